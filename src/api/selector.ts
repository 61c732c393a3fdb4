/**
 * A parser for PromQL series selectors (`up`, `{job="x"}`, `up{instance=~"a.*"}`, Prometheus 3's
 * quoted names `{"my.metric", "a.b"="c"}`), the syntax of `match[]` parameters.
 *
 * Hand-written rather than taken from `@prometheus-io/lezer-promql`: that package is not
 * installed, its grammar builds a syntax tree for the whole language while `match[]` needs one
 * production, and error messages here must follow Prometheus's (`1:4: parse error: unexpected end
 * of input inside braces`), which a Lezer tree does not produce. Messages match Prometheus's for
 * the mistakes people make; exotic inputs may be reported in other words, and regex errors carry
 * Meridian's RE2 wording.
 */
import { Matcher, MeridianError, METRIC_NAME, goQuote, type MatchType } from "../model/index.js";

/** A `match[]` value is not a valid series selector; the message is Prometheus's `line:col: parse error: …`. */
export class SelectorParseError extends MeridianError {
  /** UTF-16 offset of the offending token in the input. */
  readonly offset: number;

  constructor(input: string, offset: number, reason: string) {
    super("bad_selector", `${position(input, offset)} parse error: ${reason}`);
    this.offset = offset;
  }
}

/** Parses one series selector into matchers (the metric name, when given, becomes a `__name__` matcher). */
export function parseSeriesSelector(input: string): Matcher[] {
  return new SelectorParser(input).parse();
}

const KEYWORDS: Readonly<Record<string, string>> = {
  offset: "<offset>", by: "<by>", without: "<without>", on: "<on>", ignoring: "<ignoring>",
  group_left: "<group_left>", group_right: "<group_right>", bool: "<bool>", start: "<start>", end: "<end>",
  and: "<op:and>", or: "<op:or>", unless: "<op:unless>", atan2: "<op:atan2>",
  sum: "<aggr:sum>", avg: "<aggr:avg>", count: "<aggr:count>", min: "<aggr:min>", max: "<aggr:max>",
  group: "<aggr:group>", stddev: "<aggr:stddev>", stdvar: "<aggr:stdvar>", topk: "<aggr:topk>",
  bottomk: "<aggr:bottomk>", count_values: "<aggr:count_values>", quantile: "<aggr:quantile>",
};
const OPERATORS = ["==", "!=", "=~", "!~", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "%", "^", "@", "(", ")", "[", "]", ",", "}", "{"];
const METRIC_START = /[a-zA-Z_:]/;
const METRIC_PART = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_PART = /[a-zA-Z0-9_]/;
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };

class SelectorParser {
  readonly #in: string;
  #pos = 0;

  constructor(input: string) {
    this.#in = input;
  }

  parse(): Matcher[] {
    this.#skipSpace();
    const matchers: Matcher[] = [];
    const c = this.#peek();
    if (c === "") this.#fail(this.#pos, "unexpected end of input");
    let name: string | undefined;
    if (METRIC_START.test(c)) {
      const start = this.#pos;
      name = this.#take(METRIC_PART);
      const lower = name.toLowerCase();
      if (lower === "inf" || lower === "nan") this.#fail(start, `unexpected number ${goQuote(name)}`);
      this.#skipSpace();
    } else if (c !== "{") {
      this.#unexpectedTopLevel();
    }
    if (this.#peek() === "{") {
      this.#pos++;
      this.#braces(matchers);
      this.#skipSpace();
    }
    if (this.#peek() !== "") this.#unexpectedTopLevel();
    // Prometheus appends the name matcher after the braces' ones; order does not change the selection.
    if (name !== undefined) matchers.push(new Matcher("=", METRIC_NAME, name));
    return matchers;
  }

  #braces(out: Matcher[]): void {
    for (;;) {
      this.#skipSpace();
      const start = this.#pos;
      const c = this.#peek();
      if (c === "}") {
        this.#pos++;
        return;
      }
      let name: string;
      if (LABEL_START.test(c)) {
        name = this.#take(LABEL_PART);
      } else if (c === '"' || c === "'" || c === "`") {
        name = this.#string();
        this.#skipSpace();
        const next = this.#peek();
        if (next === "," || next === "}") {
          // Prometheus 3: a lone quoted name inside braces is the metric name.
          out.push(new Matcher("=", METRIC_NAME, name));
          this.#afterMatcher();
          if (this.#peek() === "}") {
            this.#pos++;
            return;
          }
          continue;
        }
      } else {
        this.#fail(start, `unexpected ${this.#describeInBraces()} in label matching, expected identifier or "}"`);
      }
      this.#skipSpace();
      const op = this.#operator("expected label matching operator");
      this.#skipSpace();
      const q = this.#peek();
      if (q !== '"' && q !== "'" && q !== "`") this.#fail(this.#pos, `unexpected ${this.#describeInBraces()} in label matching, expected string`);
      const value = this.#string();
      try {
        out.push(new Matcher(op, name, value));
      } catch (err) {
        this.#fail(start, (err as Error).message);
      }
      this.#afterMatcher();
      if (this.#peek() === "}") {
        this.#pos++;
        return;
      }
    }
  }

  // After a matcher: `,` (optionally followed by `}`), or `}` left for the caller to consume.
  #afterMatcher(): void {
    this.#skipSpace();
    const c = this.#peek();
    if (c === ",") {
      this.#pos++;
      this.#skipSpace();
      return;
    }
    if (c === "}") return;
    this.#fail(this.#pos, `unexpected ${this.#describeInBraces()} in label matching, expected "," or "}"`);
  }

  #operator(expected: string): MatchType {
    const at = this.#pos;
    const c = this.#peek();
    const next = this.#in[at + 1] ?? "";
    if (c === "=") {
      this.#pos += next === "~" ? 2 : 1;
      return next === "~" ? "=~" : "=";
    }
    if (c === "!") {
      if (next !== "=" && next !== "~") {
        if (next === "") this.#fail(this.#in.length, "unexpected end of input inside braces");
        this.#fail(at, `unexpected character after '!' inside braces: ${quoteRune(this.#charAt(at + 1))}`);
      }
      this.#pos += 2;
      return next === "=" ? "!=" : "!~";
    }
    return this.#fail(at, `unexpected ${this.#describeInBraces()} in label matching, ${expected}`);
  }

  // Describes the token at the cursor inside braces, failing as the lexer does on a bad character.
  #describeInBraces(): string {
    const at = this.#pos;
    const c = this.#peek();
    if (c === "") this.#fail(this.#in.length, "unexpected end of input inside braces");
    if (LABEL_START.test(c)) return `identifier ${goQuote(this.#scan(LABEL_PART))}`;
    if (c === '"' || c === "'" || c === "`") {
      this.#string();
      return `string ${goQuote(this.#in.slice(at, this.#pos))}`;
    }
    if (c === "=" && this.#in[at + 1] === "~") return '"=~"';
    if (c === "!" && (this.#in[at + 1] === "=" || this.#in[at + 1] === "~")) return `"!${this.#in[at + 1]}"`;
    if (c === "=" || c === "," || c === "}" || c === "{") return `"${c}"`;
    return this.#fail(at, `unexpected character inside braces: ${quoteRune(this.#charAt(at))}`);
  }

  #unexpectedTopLevel(): never {
    const at = this.#pos;
    const c = this.#peek();
    if (c === "") this.#fail(at, "unexpected end of input");
    if (METRIC_START.test(c)) {
      const word = this.#scan(METRIC_PART);
      this.#fail(at, `unexpected ${KEYWORDS[word.toLowerCase()] ?? `identifier ${goQuote(word)}`}`);
    }
    if (/[0-9.]/.test(c)) {
      const word = this.#scan(/[0-9a-zA-Z_.]/);
      const kind = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(word) ? "number" : /^(\d+[a-z]+)+$/.test(word) ? "duration" : undefined;
      this.#fail(at, kind ? `unexpected ${kind} ${goQuote(word)}` : `bad number or duration syntax: ${goQuote(word)}`);
    }
    if (c === '"' || c === "'" || c === "`") {
      this.#string();
      this.#fail(at, `unexpected string ${goQuote(this.#in.slice(at, this.#pos))}`);
    }
    const op = OPERATORS.find((o) => this.#in.startsWith(o, at));
    if (op !== undefined) this.#fail(at, `unexpected "${op}"`);
    return this.#fail(at, `unexpected character: ${quoteRune(this.#charAt(at))}`);
  }

  // Reads a quoted string at the cursor with PromQL's escapes: Go's, where \x and octal escapes
  // are bytes, so the content is assembled as UTF-8 bytes and decoded once at the end.
  #string(): string {
    const start = this.#pos;
    const quote = this.#in[start] as string;
    this.#pos++;
    if (quote === "`") {
      const end = this.#in.indexOf("`", this.#pos);
      if (end < 0) this.#fail(start, "unterminated raw string");
      this.#pos = end + 1;
      return this.#in.slice(start + 1, end);
    }
    const bytes: number[] = [];
    const encoder = new TextEncoder();
    for (;;) {
      const ch = this.#charAt(this.#pos);
      if (ch === "" || ch === "\n") this.#fail(start, "unterminated quoted string");
      this.#pos += ch.length;
      if (ch === quote) break;
      if (ch !== "\\") {
        bytes.push(...encoder.encode(ch));
        continue;
      }
      const e = this.#charAt(this.#pos);
      if (e === "") this.#fail(start, "escape sequence not terminated");
      this.#pos += e.length;
      if (e === quote) bytes.push(quote.charCodeAt(0));
      else if (SIMPLE_ESCAPES[e] !== undefined) bytes.push(SIMPLE_ESCAPES[e]);
      else if (e === "x") bytes.push(this.#digits(start, 2, 16));
      else if (e === "u" || e === "U") {
        const cp = this.#digits(start, e === "u" ? 4 : 8, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) this.#fail(start, "escape sequence is an invalid Unicode code point");
        bytes.push(...encoder.encode(String.fromCodePoint(cp)));
      } else if (e >= "0" && e <= "7") {
        this.#pos--;
        const b = this.#digits(start, 3, 8);
        if (b > 255) this.#fail(start, "escape sequence is an invalid Unicode code point");
        bytes.push(b);
      } else {
        this.#fail(start, `unknown escape sequence ${runeName(e)}`);
      }
    }
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }

  #digits(start: number, n: number, base: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const ch = this.#charAt(this.#pos);
      if (ch === "") this.#fail(start, "escape sequence not terminated");
      const d = parseInt(ch, base);
      if (Number.isNaN(d)) this.#fail(start, `illegal character ${runeName(ch)} in escape sequence`);
      v = v * base + d;
      this.#pos += ch.length;
    }
    return v;
  }

  #skipSpace(): void {
    for (;;) {
      const c = this.#peek();
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.#pos++;
      else if (c === "#") {
        const nl = this.#in.indexOf("\n", this.#pos);
        this.#pos = nl < 0 ? this.#in.length : nl;
      } else return;
    }
  }

  #take(part: RegExp): string {
    const word = this.#scan(part);
    this.#pos += word.length;
    return word;
  }

  #scan(part: RegExp): string {
    let end = this.#pos;
    while (end < this.#in.length && part.test(this.#in[end] as string)) end++;
    return this.#in.slice(this.#pos, end);
  }

  #peek(): string {
    return this.#in[this.#pos] ?? "";
  }

  // The whole code point at `i`, so a surrogate pair is one character.
  #charAt(i: number): string {
    const cp = this.#in.codePointAt(i);
    return cp === undefined ? "" : String.fromCodePoint(cp);
  }

  #fail(offset: number, reason: string): never {
    throw new SelectorParseError(this.#in, offset, reason);
  }
}

// Prometheus counts lines from 1 and columns in UTF-8 bytes from 1.
function position(input: string, offset: number): string {
  const before = input.slice(0, offset);
  const line = before.split("\n").length;
  const col = Buffer.byteLength(before.slice(before.lastIndexOf("\n") + 1)) + 1;
  return `${line}:${col}:`;
}

// Go's %q of a rune: 'x', with Go's escapes for what is not printable.
function quoteRune(ch: string): string {
  if (ch === "'") return "'\\''";
  return `'${goQuote(ch).slice(1, -1).replace(/\\"/g, '"')}'`;
}

// Go's %#U: U+0071 'q'.
function runeName(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  return `U+${cp.toString(16).toUpperCase().padStart(4, "0")} ${quoteRune(ch)}`;
}
