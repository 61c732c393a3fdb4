/**
 * PromQL literals as Prometheus reads and prints them: numbers (Go's `strconv.ParseInt(s, 0, 64)`
 * falling back to `ParseFloat`), durations (`model.ParseDuration`), strings (Go escapes, with
 * byte escapes such as `\xc3\xa9` decoded as UTF-8) and Go's shortest float formatting.
 */
import { parseDuration } from "../../model/index.js";

/** A parsed literal, or the reason Prometheus gives for refusing it. */
export type LiteralResult = { readonly value: number; readonly error?: undefined } | { readonly error: string };

const OCTAL = /^0[0-7_]*$/;
const HEX = /^0[xX]_?[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*$/;
const DECIMAL_INT = /^[0-9]+(?:_[0-9]+)*$/;
const DECIMAL_FLOAT = /^(?:[0-9]+(?:_[0-9]+)*(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?|\.[0-9]+(?:_[0-9]+)*)(?:[eE][+-]?[0-9]+(?:_[0-9]+)*)?$/;
const SPECIAL = /^(?:inf|infinity|nan)$/i;
const INT64_LIMIT = 2n ** 63n;

/** The value of a NUMBER token (no sign), as Prometheus's `parser.number`. */
export function parseNumber(text: string): LiteralResult {
  const int = parseGoInt(text);
  if (int !== undefined) return { value: int };
  if (SPECIAL.test(text)) return { value: text.toLowerCase().startsWith("n") ? NaN : Infinity };
  if (DECIMAL_FLOAT.test(text)) {
    const value = Number(text.replace(/_/g, ""));
    if (!Number.isFinite(value)) return { error: `error parsing number: strconv.ParseFloat: parsing ${quote(text)}: value out of range` };
    return { value };
  }
  return { error: `error parsing number: strconv.ParseFloat: parsing ${quote(text)}: invalid syntax` };
}

// strconv.ParseInt(s, 0, 64): decimal, 0x hex or leading-0 octal, underscores between digits.
function parseGoInt(text: string): number | undefined {
  let digits: bigint;
  if (HEX.test(text)) digits = BigInt(`0x${text.slice(2).replace(/_/g, "")}`);
  else if (OCTAL.test(text) && !text.includes("__") && !text.endsWith("_")) digits = BigInt(`0o${text.replace(/_/g, "") || "0"}`);
  else if (DECIMAL_INT.test(text) && !(text.length > 1 && text.startsWith("0"))) digits = BigInt(text.replace(/_/g, ""));
  else return undefined;
  return digits < INT64_LIMIT ? Number(digits) : undefined;
}

/** A DURATION token in milliseconds, or Prometheus's (`model.ParseDuration`) reason for refusing it. */
export function parseDurationToken(text: string): LiteralResult {
  try {
    return { value: parseDuration(text) };
  } catch {
    return { error: durationError(text) };
  }
}

const UNITS = ["y", "w", "d", "h", "m", "s", "ms"];

// The reason model.ParseDuration gives; only called for text that failed to parse.
function durationError(text: string): string {
  let last = -1;
  for (const [, number = "", unit = ""] of text.matchAll(/([0-9]*)([^0-9]*)/g)) {
    if (number === "" && unit === "") break;
    if (number === "" || unit === "") return `not a valid duration string: ${quote(text)}`;
    const position = UNITS.indexOf(unit);
    if (position < 0) return `unknown unit ${quote(unit)} in duration ${quote(text)}`;
    if (position <= last) return `not a valid duration string: ${quote(text)}`;
    last = position;
  }
  return "duration out of range";
}

/**
 * The value of a STRING token (quotes included). The lexer has already refused bad escapes, so
 * this only decodes: Go escapes in `"…"` and `'…'`, nothing in back-quoted strings. Byte escapes
 * (`\xNN`, `\NNN`) are collected and decoded as UTF-8. A byte that is not part of valid UTF-8
 * becomes the lone surrogate U+DC00+byte (as Python's "surrogateescape"): the string is then not
 * well-formed, so it fails name validation and matches no stored value, as the invalid bytes do
 * in Prometheus's Go strings.
 */
export function unquoteString(text: string): string {
  const body = text.slice(1, -1);
  if (text.startsWith("`") || !body.includes("\\")) return body;
  let out = "";
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) {
      out += decodeUtf8Escaping(bytes);
      bytes = [];
    }
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      flush();
      out += c;
      continue;
    }
    const e = body[++i] as string;
    if (e === "x" || (e >= "0" && e <= "7")) {
      const width = e === "x" ? 2 : 3;
      const start = e === "x" ? i + 1 : i;
      bytes.push(parseInt(body.slice(start, start + width), e === "x" ? 16 : 8));
      i = start + width - 1;
      continue;
    }
    flush();
    if (e === "u" || e === "U") {
      const width = e === "u" ? 4 : 8;
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + width), 16));
      i += width;
    } else {
      out += SIMPLE_ESCAPES[e] ?? e;
    }
  }
  flush();
  return out;
}

/** UTF-8 decoding where each byte of an invalid sequence becomes U+DC00+byte. */
function decodeUtf8Escaping(bytes: readonly number[]): string {
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    }
    let ok = need > 0 && i + need < bytes.length + 1;
    for (let k = 1; ok && k <= need; k++) {
      const b = bytes[i + k];
      if (b === undefined || (b & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (b & 0x3f);
    }
    if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) ok = false;
    if (!ok) {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits that read back as `v`, never an exponent. */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Object.is(v, -0)) return "-0";
  const s = String(v);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (match === null) return s;
  const [, sign = "", lead = "", fraction = "", exp = "0"] = match;
  const digits = lead + fraction;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function quote(s: string): string {
  return JSON.stringify(s);
}
