import { parseGoFloat, asciiString } from "./float.js";
import { TextLexer } from "./lexer-text.js";
import type { Entry, ExpositionParser } from "./parser.js";
import { ParserBase } from "./parser-base.js";
import { unescapeBytes, validUtf8 } from "./strings.js";
import type { Utf8Decoder } from "./strings.js";
import {
  T_BRACECLOSE,
  T_BRACEOPEN,
  T_COMMA,
  T_COMMENT,
  T_EOF,
  T_EQUAL,
  T_HELP,
  T_LINEBREAK,
  T_LNAME,
  T_LVALUE,
  T_MNAME,
  T_TEXT,
  T_TIMESTAMP,
  T_TYPE,
  T_VALUE,
  T_WHITESPACE,
  tokenName,
} from "./tokens.js";
import type { MetricType } from "./types.js";

const TEXT_TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
  ["counter", "counter"],
  ["gauge", "gauge"],
  ["histogram", "histogram"],
  ["summary", "summary"],
  ["untyped", "untyped"],
]);

/** Largest int64, as text: Go's ParseInt rejects anything above it. */
const INT64_MAX = "9223372036854775807";

/** Streaming parser for Prometheus text format 0.0.4 with Prometheus 2.42's acceptance rules. */
export class TextParser extends ParserBase implements ExpositionParser {
  readonly #lx: TextLexer;

  /** `body` must already end with the extra `\n` Prometheus appends (see `createParser`). */
  constructor(body: Uint8Array) {
    super(body);
    this.#lx = new TextLexer(body);
  }

  #token(): number {
    const lx = this.#lx;
    let t = lx.lex();
    while (t === T_WHITESPACE) t = lx.lex();
    return t;
  }

  help(): string {
    return unescapeBytes(this.decoder, this.b, this.textStart, this.textEnd, false);
  }

  next(): Entry {
    const lx = this.#lx;
    for (;;) {
      const lineStart = lx.i;
      this.nOffsets = 0;
      const t = this.#token();
      switch (t) {
        case T_EOF:
          return "eof";
        case T_LINEBREAK:
          continue;
        case T_HELP:
        case T_TYPE:
          return this.#metadata(t);
        case T_COMMENT: {
          this.textStart = lx.start;
          this.textEnd = lx.i;
          const t2 = this.#token();
          if (t2 !== T_LINEBREAK) throw this.tokenError(lx.start, "linebreak expected after comment", t2);
          return "comment";
        }
        case T_MNAME:
          return this.#series(lineStart);
        default:
          throw this.error(lx.start, `"${tokenName(t)}" is not a valid start token`);
      }
    }
  }

  #metadata(kind: number): Entry {
    const lx = this.#lx;
    const word = tokenName(kind);
    let t = this.#token();
    if (t !== T_MNAME) throw this.tokenError(lx.start, `expected metric name after ${word}`, t);
    this.pushOffsets(lx.start, lx.i);
    t = this.#token();
    if (t !== T_TEXT) throw this.error(lx.start, `expected text in ${word}`);
    // The token keeps the one byte that separated it from the name; Prometheus drops it.
    this.textStart = lx.i - lx.start > 1 ? lx.start + 1 : lx.i;
    this.textEnd = lx.i;
    if (kind === T_TYPE) {
      const s = decodeRange(this.b, this.textStart, this.textEnd, this.decoder);
      const mt = TEXT_TYPES.get(s);
      if (mt === undefined) throw this.error(this.textStart, `invalid metric type ${JSON.stringify(s)}`);
      this.mtype = mt;
    } else if (!validUtf8(this.b, this.textStart, this.textEnd)) {
      throw this.error(this.textStart, "help text is not a valid utf8 string");
    }
    t = this.#token();
    if (t !== T_LINEBREAK) throw this.tokenError(lx.start, "linebreak expected after metadata", t);
    return kind === T_TYPE ? "type" : "help";
  }

  #series(lineStart: number): Entry {
    const lx = this.#lx;
    const b = this.b;
    this.seriesStart = lineStart;
    // Prometheus takes the name from the line start, so leading blanks end up in it and the
    // scrape then fails on an invalid metric name.
    if (lx.start !== lineStart) throw this.error(lineStart, `invalid metric name "${asciiString(b, lineStart, lx.i)}"`);
    this.pushOffsets(lx.start, lx.i);
    this.seriesEnd = lx.i;
    let t = this.#token();
    if (t === T_BRACEOPEN) {
      this.#labels();
      this.seriesEnd = lx.i;
      t = this.#token();
    }
    if (t !== T_VALUE) throw this.tokenError(lx.start, "expected value after metric", t);
    const v = parseGoFloat(b, lx.start, lx.i);
    if (v === undefined) {
      throw this.error(lx.start, `strconv.ParseFloat: parsing ${quoteBytes(b, lx.start, lx.i, this.decoder)}: invalid syntax`);
    }
    this.val = v;
    this.hasTs = false;
    t = this.#token();
    if (t === T_TIMESTAMP) {
      this.ts = parseInt64Digits(b, lx.start, lx.i);
      if (Number.isNaN(this.ts)) {
        throw this.error(lx.start, `strconv.ParseInt: parsing "${asciiString(b, lx.start, lx.i)}": value out of range`);
      }
      this.hasTs = true;
      t = this.#token();
      if (t !== T_LINEBREAK) throw this.tokenError(lx.start, "expected next entry after timestamp", t);
    } else if (t !== T_LINEBREAK) {
      throw this.tokenError(lx.start, "expected timestamp or new record", t);
    }
    return "series";
  }

  #labels(): void {
    const lx = this.#lx;
    let t = this.#token();
    for (;;) {
      if (t === T_BRACECLOSE) return;
      if (t !== T_LNAME) throw this.tokenError(lx.start, "expected label name", t);
      const ns = lx.start;
      const ne = lx.i;
      t = this.#token();
      if (t !== T_EQUAL) throw this.tokenError(lx.start, "expected equal", t);
      t = this.#token();
      if (t !== T_LVALUE) throw this.tokenError(lx.start, "expected label value", t);
      if (lx.highBit && !validUtf8(this.b, lx.start, lx.i)) throw this.error(lx.start, "invalid UTF-8 label value");
      this.pushOffsets(ns, ne);
      this.pushOffsets(lx.start + 1, lx.i - 1);
      // A comma between pairs is optional and one trailing comma is allowed, as in Prometheus.
      t = this.#token();
      if (t === T_COMMA) t = this.#token();
    }
  }
}

function decodeRange(b: Uint8Array, s: number, e: number, d: Utf8Decoder): string {
  return d.decode(b.subarray(s, e));
}

function quoteBytes(b: Uint8Array, s: number, e: number, d: Utf8Decoder): string {
  return JSON.stringify(d.decode(b.subarray(s, Math.min(e, s + 64))));
}

/** Go's ParseInt(s, 10, 64) for a digits-only token; NaN when it overflows int64. */
function parseInt64Digits(b: Uint8Array, s: number, e: number): number {
  while (s < e - 1 && b[s] === 0x30) s++;
  const len = e - s;
  if (len <= 15) {
    let v = 0;
    for (let i = s; i < e; i++) v = v * 10 + ((b[i] as number) - 0x30);
    return v;
  }
  const str = asciiString(b, s, e);
  if (len > 19 || (len === 19 && str > INT64_MAX)) return NaN;
  return Number(str);
}
