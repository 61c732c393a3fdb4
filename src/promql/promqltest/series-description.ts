/**
 * Series descriptions of test scripts: `metric{a="b"} 0+10x10 _ stale {{schema:0 sum:1 count:1}}`,
 * the lines of `load` blocks and the expected result lines of `eval` blocks. The value grammar is
 * PromQL's series-description mode: items are separated by spaces; hexadecimal numbers are not
 * allowed there because `0x5` means "0 repeated".
 */
import { Labels, METRIC_NAME, MeridianError } from "../../model/index.js";
import { STALE, type SequenceValue } from "./script.js";
import { readStringLiteral } from "./string-literal.js";

/** A series line or value that does not follow the test-script syntax. */
export class SeriesDescriptionError extends MeridianError {
  constructor(message: string) {
    super("promqltest_series", message);
  }
}

/** A series description split into its labels and value sequence. */
export interface SeriesDescription {
  readonly labels: Labels;
  readonly values: SequenceValue[];
}

/** Reads `<labels> <values…>`, e.g. `m{a="b"} 1 2`, `{} 1`, `{"a.b", c="d"} 1`. */
export function parseSeriesDescription(line: string): SeriesDescription {
  const { labels, end } = readLabels(line);
  const rest = line.slice(end);
  if (rest !== "" && !/^\s/.test(rest)) throw new SeriesDescriptionError(`unexpected ${JSON.stringify(rest)} after series labels in ${JSON.stringify(line)}`);
  return { labels, values: parseValueSequence(rest.trim()) };
}

/** Reads a whole label set written as a selector with `=` only (`m`, `m{a="b"}`, `{"m", a="b"}`, `{}`). */
export function parseLabels(text: string): Labels {
  const { labels, end } = readLabels(text);
  if (text.slice(end).trim() !== "") throw new SeriesDescriptionError(`unexpected text after series labels in ${JSON.stringify(text)}`);
  return labels;
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_PART = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_PART = /[a-zA-Z0-9_]/;

// The series-description grammar: an optional metric name, then optional braces holding
// `name="value"` pairs, where a name may be quoted and a lone quoted string is the metric name.
function readLabels(text: string): { labels: Labels; end: number } {
  const bad = (reason: string): never => {
    throw new SeriesDescriptionError(`bad series labels in ${JSON.stringify(text)}: ${reason}`);
  };
  const pairs: [string, string][] = [];
  let i = 0;
  const word = (start: RegExp, part: RegExp): string => {
    const from = i;
    if (!start.test(text[i] ?? "")) return "";
    while (i < text.length && part.test(text[i] as string)) i++;
    return text.slice(from, i);
  };
  const string = (): string => {
    try {
      const r = readStringLiteral(text, i);
      i = r.end;
      return r.value;
    } catch (err) {
      return bad((err as Error).message);
    }
  };
  const skipSpace = (): void => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  const name = word(NAME_START, NAME_PART);
  if (name !== "") pairs.push([METRIC_NAME, name]);
  if (text[i] !== "{") {
    if (name === "") bad("expected a metric name or \"{\"");
    return { labels: Labels.fromPairs(pairs), end: i };
  }
  i++;
  for (;;) {
    skipSpace();
    if (text[i] === "}") break;
    let label: string;
    if (text[i] === '"' || text[i] === "'" || text[i] === "`") {
      label = string();
      skipSpace();
      if (text[i] === "," || text[i] === "}") {
        pairs.push([METRIC_NAME, label]);
        if (text[i] === ",") i++;
        continue;
      }
    } else {
      label = word(LABEL_START, LABEL_PART);
      if (label === "") bad(`unexpected ${JSON.stringify(text[i] ?? "end of input")}, expected a label name`);
      skipSpace();
    }
    if (text[i] !== "=" || text[i + 1] === "~") bad(`expected "=" after ${JSON.stringify(label)}`);
    i++;
    skipSpace();
    pairs.push([label, string()]);
    skipSpace();
    if (text[i] === ",") i++;
    else if (text[i] !== "}") bad(`expected "," or "}"`);
  }
  return { labels: Labels.fromPairs(pairs), end: i + 1 };
}

type Token =
  | { readonly t: "num"; readonly text: string }
  | { readonly t: "ident"; readonly text: string }
  | { readonly t: "hist"; readonly text: string }
  | { readonly t: "+" | "-" | "x" | "_" };

/** Expands a value sequence (`1 2 _ 0+10x3 5x2 _x3 stale -Inf {{…}}x2`) into one value per position. */
export function parseValueSequence(text: string): SequenceValue[] {
  const out: SequenceValue[] = [];
  for (const item of splitItems(text)) expandItem(item, tokenize(item), out);
  return out;
}

// Splits on whitespace outside `{{…}}`.
function splitItems(text: string): string[] {
  const items: string[] = [];
  let cur = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("{{", i)) {
      const close = text.indexOf("}}", i + 2);
      if (close < 0) throw new SeriesDescriptionError(`unclosed "{{" in ${JSON.stringify(text)}`);
      cur += text.slice(i, close + 2);
      i = close + 2;
      continue;
    }
    const c = text[i] as string;
    if (c === " " || c === "\t") {
      if (cur !== "") items.push(cur);
      cur = "";
    } else {
      cur += c;
    }
    i++;
  }
  if (cur !== "") items.push(cur);
  return items;
}

function tokenize(item: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < item.length) {
    const c = item[i] as string;
    if (item.startsWith("{{", i)) {
      const close = item.indexOf("}}", i) + 2;
      tokens.push({ t: "hist", text: item.slice(i, close) });
      i = close;
    } else if (c === "+" || c === "-" || c === "x" || c === "_") {
      tokens.push({ t: c });
      i++;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(item[i + 1] ?? ""))) {
      // PromQL's number scan: digits, fraction, exponent; hex is off in series descriptions.
      const m = /^(?:[0-9_]*(?:\.[0-9_]*)?)(?:[eE][+-]?[0-9_]+)?/.exec(item.slice(i)) as RegExpExecArray;
      const text = m[0];
      i += text.length;
      if (i < item.length && /[a-zA-Z0-9_]/.test(item[i] as string) && item[i] !== "x") {
        throw new SeriesDescriptionError(`bad number syntax: ${JSON.stringify(item.slice(i - text.length, i + 1))}`);
      }
      tokens.push({ t: "num", text });
    } else if (/[a-zA-Z]/.test(c)) {
      const m = /^[a-zA-Z0-9_]+/.exec(item.slice(i)) as RegExpExecArray;
      tokens.push({ t: "ident", text: m[0] });
      i += m[0].length;
    } else {
      throw new SeriesDescriptionError(`unexpected character in series sequence: ${JSON.stringify(c)}`);
    }
  }
  return tokens;
}

// series_item: `_`, `_xN`, value, `valuexN`, `value±deltaxN`, `{{h}}`, `{{h}}xN`, `{{h}}±{{d}}xN`.
function expandItem(item: string, tokens: Token[], out: SequenceValue[]): void {
  let pos = 0;
  const bad = (): never => {
    throw new SeriesDescriptionError(`bad series value ${JSON.stringify(item)}`);
  };
  const peek = (): Token | undefined => tokens[pos];
  const times = (): number => {
    if (peek()?.t !== "x") return bad();
    pos++;
    const n = tokens[pos++];
    if (n?.t !== "num" || !/^[0-9]+$/.test(n.text)) return bad();
    return Number(n.text);
  };
  const number = (): number => {
    const tok = tokens[pos++];
    if (tok?.t === "num") return parsePromNumber(tok.text) ?? bad();
    if (tok?.t === "ident") {
      const word = tok.text.toLowerCase();
      if (word === "inf") return Infinity;
      if (word === "nan") return NaN;
    }
    return bad();
  };
  const signed = (): number => {
    const sign = tokens[pos++];
    const v = number();
    return sign?.t === "-" ? -v : v;
  };
  const first = peek();
  if (first === undefined) return bad();
  if (first.t === "_") {
    pos++;
    const n = pos < tokens.length ? times() : 1;
    for (let i = 0; i < n; i++) out.push(undefined);
  } else if (first.t === "hist") {
    pos++;
    const histogram = { histogram: first.text };
    let n = 0;
    const op = peek();
    if (op?.t === "+" || op?.t === "-") {
      pos++;
      const delta = tokens[pos++];
      if (delta?.t !== "hist") return bad();
      n = times();
      // The expansion of histogram ramps is not needed: a float-only runner skips every eval that
      // could see a histogram, so each position just carries the base histogram's text.
    } else if (op !== undefined) {
      n = times();
    }
    for (let i = 0; i <= n; i++) out.push(histogram);
  } else {
    let value: number | typeof STALE;
    if (first.t === "ident" && first.text === "stale") {
      pos++;
      value = STALE;
    } else if (first.t === "+" || first.t === "-") {
      value = signed();
    } else {
      value = number();
    }
    const next = peek();
    if (next === undefined) {
      out.push(value);
    } else if (next.t === "x") {
      const n = times();
      for (let i = 0; i <= n; i++) out.push(value);
    } else if (next.t === "+" || next.t === "-") {
      const delta = signed();
      const n = times();
      // Accumulated as upstream does (v += delta), not v + i*delta: the rounding differs. Adding
      // to the staleness marker keeps its NaN payload on the hardware Prometheus runs on.
      for (let i = 0; i <= n; i++) {
        out.push(value);
        if (typeof value === "number") value += delta;
      }
    } else {
      bad();
    }
  }
  if (pos !== tokens.length) bad();
}

/**
 * Reads a number as PromQL does: Go's `strconv.ParseInt(s, 0, 64)` (so `0x1f`, `0o17`, `017` and
 * `0b1` are integers), else `strconv.ParseFloat(s, 64)` (decimal, `Inf`, `NaN`). Undefined when
 * neither accepts it, including decimal overflow, which Go reports as a range error.
 */
export function parsePromNumber(text: string): number | undefined {
  const asInt = parseGoInt(text);
  if (asInt !== undefined) return asInt;
  const m = /^([+-]?)(inf|infinity)$/i.exec(text);
  if (m !== null) return m[1] === "-" ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text)) return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

function parseGoInt(text: string): number | undefined {
  const m = /^([+-]?)(0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*|0[oO]_?[0-7]+(?:_[0-7]+)*|0[bB]_?[01]+(?:_[01]+)*|0_?[0-7]+(?:_[0-7]+)*|[1-9][0-9]*(?:_[0-9]+)*|0)$/.exec(text);
  if (m === null) return undefined;
  let body = (m[2] as string).replaceAll("_", "");
  if (/^0[0-7]/.test(body)) body = `0o${body.slice(1)}`;
  let n = BigInt(body);
  if (m[1] === "-") n = -n;
  if (n > 0x7fffffffffffffffn || n < -0x8000000000000000n) return undefined;
  return Number(n);
}
