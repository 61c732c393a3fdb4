import { Labels } from "../model/index.js";
import type { Label } from "../model/index.js";
import { parseGoFloat } from "./float.js";
import { OpenMetricsLexer } from "./lexer-openmetrics.js";
import type { Entry, ExpositionParser } from "./parser.js";
import { ParserBase } from "./parser-base.js";
import { unescapeBytes, validUtf8 } from "./strings.js";
import {
  T_BRACECLOSE,
  T_BRACEOPEN,
  T_COMMA,
  T_COMMENT,
  T_EOF,
  T_EOFWORD,
  T_EQUAL,
  T_HELP,
  T_LINEBREAK,
  T_LNAME,
  T_LVALUE,
  T_MNAME,
  T_TEXT,
  T_TIMESTAMP,
  T_TYPE,
  T_UNIT,
  T_VALUE,
  tokenName,
} from "./tokens.js";
import type { Exemplar, MetricType } from "./types.js";

const OM_TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
  ["counter", "counter"],
  ["gauge", "gauge"],
  ["histogram", "histogram"],
  ["gaugehistogram", "gaugehistogram"],
  ["summary", "summary"],
  ["info", "info"],
  ["stateset", "stateset"],
  ["unknown", "unknown"],
]);

const INT64_MIN = -9223372036854775808;
const INT64_LIMIT = 9223372036854775808;

/**
 * Seconds to milliseconds exactly as Go's `int64(ts * 1000)` on amd64: truncation toward zero, and
 * the "integer indefinite" value (minimum int64) for anything out of range.
 */
export function secondsToMs(ts: number): number {
  const v = ts * 1000;
  if (!(v > -INT64_LIMIT - 1 && v < INT64_LIMIT)) return INT64_MIN;
  return Math.trunc(v) + 0;
}

/** Streaming parser for OpenMetrics 1.0.0 with Prometheus 2.42's acceptance rules. */
export class OpenMetricsParser extends ParserBase implements ExpositionParser {
  readonly #lx: OpenMetricsLexer;
  #exOffsets: number[] = [];
  #nEx = 0;
  #exVal = 0;
  #exTs = 0;
  #exHasTs = false;
  #hasExemplar = false;

  constructor(body: Uint8Array) {
    super(body);
    this.#lx = new OpenMetricsLexer(body);
    this.mtype = "unknown";
  }

  help(): string {
    return unescapeBytes(this.decoder, this.b, this.textStart, this.textEnd, true);
  }

  override exemplar(): Exemplar | undefined {
    if (!this.#hasExemplar) return undefined;
    const pairs: Label[] = [];
    let sawEmpty = false;
    for (let k = 0; k < this.#nEx; k += 4) {
      const o = this.#exOffsets;
      const name = this.interner.ascii(this.b, o[k] as number, o[k + 1] as number);
      const value = unescapeBytes(this.decoder, this.b, o[k + 2] as number, o[k + 3] as number, true);
      if (value === "") sawEmpty = true;
      pairs.push({ name, value });
    }
    // Prometheus's parser does not validate exemplar labels; a repeated name keeps the last value.
    const labels = sawEmpty || pairs.length > 0 ? Labels.fromPairs(pairs) : Labels.EMPTY;
    return this.#exHasTs
      ? { labels, value: this.#exVal, timestampMs: this.#exTs }
      : { labels, value: this.#exVal };
  }

  next(): Entry {
    const lx = this.#lx;
    this.nOffsets = 0;
    this.#nEx = 0;
    this.#hasExemplar = false;
    const lineStart = lx.i;
    const t = lx.lex();
    switch (t) {
      case T_EOFWORD: {
        const t2 = lx.lex();
        if (t2 !== T_EOF) throw this.error(lx.start, "unexpected data after # EOF");
        return "eof";
      }
      case T_EOF:
        throw this.error(lx.i, "data does not end with # EOF");
      case T_HELP:
      case T_TYPE:
      case T_UNIT:
        return this.#metadata(t);
      case T_MNAME:
        return this.#series(lineStart);
      default:
        throw this.error(lx.start, `"${tokenName(t)}" is not a valid start token`);
    }
  }

  #metadata(kind: number): Entry {
    const lx = this.#lx;
    const word = tokenName(kind);
    let t = lx.lex();
    if (t !== T_MNAME) throw this.tokenError(lx.start, `expected metric name after ${word}`, t);
    this.pushOffsets(lx.start, lx.i);
    t = lx.lex();
    if (t !== T_TEXT) throw this.error(lx.start, `expected text in ${word}`);
    // Prometheus strips the leading space and the final byte of the token (normally the newline).
    this.textStart = lx.start + 1;
    this.textEnd = lx.i - 1;
    const b = this.b;
    if (kind === T_TYPE) {
      const s = this.decoder.decode(b.subarray(this.textStart, this.textEnd));
      const mt = OM_TYPES.get(s);
      if (mt === undefined) throw this.error(this.textStart, `invalid metric type ${JSON.stringify(s)}`);
      this.mtype = mt;
      return "type";
    }
    if (kind === T_HELP) {
      if (!validUtf8(b, this.textStart, this.textEnd)) throw this.error(this.textStart, "help text is not a valid utf8 string");
      return "help";
    }
    const ns = this.offsets[0] as number;
    const ne = this.offsets[1] as number;
    const ulen = this.textEnd - this.textStart;
    if (ulen > 0) {
      let ok = ne - ns >= ulen + 1 && b[ne - ulen - 1] === 0x5f;
      for (let k = 0; ok && k < ulen; k++) ok = b[ne - ulen + k] === b[this.textStart + k];
      if (!ok) throw this.error(this.textStart, `unit not a suffix of metric ${JSON.stringify(this.name())}`);
    }
    return "unit";
  }

  #series(lineStart: number): Entry {
    const lx = this.#lx;
    this.seriesStart = lineStart;
    this.pushOffsets(lx.start, lx.i);
    this.seriesEnd = lx.i;
    let t = lx.lex();
    if (t === T_BRACEOPEN) {
      this.#labels(false);
      this.seriesEnd = lx.i;
      t = lx.lex();
    }
    this.val = this.#float(t, "metric");
    this.hasTs = false;
    t = lx.lex();
    switch (t) {
      case T_EOF:
        throw this.error(lx.i, "data does not end with # EOF");
      case T_LINEBREAK:
        break;
      case T_COMMENT:
        this.#exemplarTail();
        break;
      case T_TIMESTAMP: {
        this.ts = this.#timestamp("invalid timestamp");
        this.hasTs = true;
        const t3 = lx.lex();
        if (t3 === T_COMMENT) this.#exemplarTail();
        else if (t3 !== T_LINEBREAK) throw this.tokenError(lx.start, "expected next entry after timestamp", t3);
        break;
      }
      default:
        throw this.tokenError(lx.start, "expected timestamp or # symbol", t);
    }
    return "series";
  }

  #float(t: number, after: string): number {
    const lx = this.#lx;
    if (t !== T_VALUE) throw this.tokenError(lx.start, `expected value after ${after}`, t);
    const v = parseGoFloat(this.b, lx.start + 1, lx.i);
    if (v === undefined) {
      const text = this.decoder.decode(this.b.subarray(lx.start + 1, Math.min(lx.i, lx.start + 65)));
      throw this.error(lx.start + 1, `strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
    }
    return v;
  }

  #timestamp(what: string): number {
    const lx = this.#lx;
    const ts = parseGoFloat(this.b, lx.start + 1, lx.i);
    if (ts === undefined) {
      const text = this.decoder.decode(this.b.subarray(lx.start + 1, Math.min(lx.i, lx.start + 65)));
      throw this.error(lx.start + 1, `strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
    }
    if (!Number.isFinite(ts)) throw this.error(lx.start + 1, `${what} ${ts}`);
    return secondsToMs(ts);
  }

  #exemplarTail(): void {
    const lx = this.#lx;
    // Prometheus 2.42 accepts exemplars only on counter totals and histogram buckets.
    const ne = this.offsets[1] as number;
    if (!endsWith(this.b, ne, "_total") && !endsWith(this.b, ne, "_bucket")) {
      throw this.error(lx.start, `metric name ${JSON.stringify(this.name())} does not support exemplars`);
    }
    this.#labels(true);
    this.#hasExemplar = true;
    this.#exVal = this.#float(lx.lex(), "exemplar labels");
    this.#exHasTs = false;
    const t = lx.lex();
    if (t === T_EOF) throw this.error(lx.i, "data does not end with # EOF");
    if (t === T_LINEBREAK) return;
    if (t !== T_TIMESTAMP) throw this.tokenError(lx.start, "expected timestamp or comment", t);
    this.#exTs = this.#timestamp("invalid exemplar timestamp");
    this.#exHasTs = true;
    const t2 = lx.lex();
    if (t2 !== T_LINEBREAK) throw this.tokenError(lx.start, "expected next entry after exemplar timestamp", t2);
  }

  #labels(exemplar: boolean): void {
    const lx = this.#lx;
    let first = true;
    for (;;) {
      let t = lx.lex();
      if (t === T_BRACECLOSE) return;
      if (t === T_COMMA) {
        if (first) throw this.tokenError(lx.start, "expected label name or left brace", t);
        t = lx.lex();
        if (t !== T_LNAME) throw this.tokenError(lx.start, "expected label name", t);
      } else if (t === T_LNAME) {
        if (!first) throw this.tokenError(lx.start, "expected comma", t);
      } else {
        throw this.tokenError(lx.start, first ? "expected label name or left brace" : "expected comma or left brace", t);
      }
      first = false;
      const ns = lx.start;
      const ne = lx.i;
      t = lx.lex();
      if (t !== T_EQUAL) throw this.tokenError(lx.start, "expected equal", t);
      t = lx.lex();
      if (t !== T_LVALUE) throw this.tokenError(lx.start, "expected label value", t);
      if (lx.highBit && !validUtf8(this.b, lx.start, lx.i)) throw this.error(lx.start, "invalid UTF-8 label value");
      if (exemplar) {
        const o = this.#exOffsets;
        if (this.#nEx + 4 > o.length) o.push(0, 0, 0, 0);
        o[this.#nEx++] = ns;
        o[this.#nEx++] = ne;
        o[this.#nEx++] = lx.start + 1;
        o[this.#nEx++] = lx.i - 1;
      } else {
        this.pushOffsets(ns, ne);
        this.pushOffsets(lx.start + 1, lx.i - 1);
      }
    }
  }
}

function endsWith(b: Uint8Array, end: number, suffix: string): boolean {
  const n = suffix.length;
  if (end < n) return false;
  for (let k = 0; k < n; k++) if (b[end - n + k] !== suffix.charCodeAt(k)) return false;
  return true;
}
