/**
 * The parts of Go's `strconv` that go-bexpr leans on: `Unquote` for string literals and the
 * `Parse*` functions it uses to coerce a literal to the type of the field it is compared with.
 * They are reproduced rather than approximated with `JSON.parse`/`Number` because the accepted
 * spellings differ (`"0x1F"` is an int, `"T"` is a bool, `\'` is not an escape inside `"..."`).
 */
import { goQuote } from "../../model/index.js";

/** Thrown by these helpers with Go's own error text, so callers can quote it as bexpr does. */
export class GoSyntaxError extends Error {}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  "\\": 0x5c,
  '"': 0x22,
};

const utf8 = new TextEncoder();

/** Go's `strconv.Unquote` for `"..."` and `` `...` `` literals; throws `GoSyntaxError("invalid syntax")`. */
export function goUnquote(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) throw invalidSyntax();
  const body = literal.slice(1, -1);
  if (quote === "`") {
    if (body.includes("`")) throw invalidSyntax();
    // Go drops carriage returns from raw strings so that CRLF sources read the same.
    return body.replaceAll("\r", "");
  }
  if (quote !== '"') throw invalidSyntax();
  // Go strings are bytes: \x and octal escapes add single bytes, other text adds its UTF-8.
  const bytes: number[] = [];
  let i = 0;
  while (i < body.length) {
    const ch = body[i] as string;
    if (ch === '"' || ch === "\n") throw invalidSyntax();
    if (ch !== "\\") {
      const cp = body.codePointAt(i) as number;
      const text = String.fromCodePoint(cp);
      for (const b of utf8.encode(text)) bytes.push(b);
      i += text.length;
      continue;
    }
    const esc = body[i + 1];
    if (esc === undefined) throw invalidSyntax();
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (esc === "x" || esc === "u" || esc === "U") {
      const n = esc === "x" ? 2 : esc === "u" ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) throw invalidSyntax();
      const v = parseInt(digits, 16);
      if (esc === "x") bytes.push(v);
      else {
        if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw invalidSyntax();
        for (const b of utf8.encode(String.fromCodePoint(v))) bytes.push(b);
      }
      i += 2 + n;
    } else if (esc >= "0" && esc <= "7") {
      const digits = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) throw invalidSyntax();
      const v = parseInt(digits, 8);
      if (v > 255) throw invalidSyntax();
      bytes.push(v);
      i += 4;
    } else {
      throw invalidSyntax();
    }
  }
  // Bytes that are not UTF-8 (from \x or octal escapes) become U+FFFD: JavaScript strings cannot hold them.
  return new TextDecoder().decode(Uint8Array.from(bytes));
}

function invalidSyntax(): GoSyntaxError {
  return new GoSyntaxError("invalid syntax");
}

/** Go's `strconv.ParseBool`. */
export function goParseBool(s: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  throw new GoSyntaxError(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then a base prefix (0x, 0o, 0b, 0) as in Go source. */
export function goParseInt(s: string): bigint {
  const fn = "strconv.ParseInt";
  let body = s;
  let negative = false;
  if (body.startsWith("+") || body.startsWith("-")) {
    negative = body[0] === "-";
    body = body.slice(1);
  }
  const magnitude = parseUnsignedBase0(fn, s, body);
  const v = negative ? -magnitude : magnitude;
  if (v < INT64_MIN || v > INT64_MAX) throw rangeError(fn, s);
  return v;
}

/** Go's `strconv.ParseUint(s, 0, 64)`: no sign allowed. */
export function goParseUint(s: string): bigint {
  const fn = "strconv.ParseUint";
  const v = parseUnsignedBase0(fn, s, s);
  if (v > UINT64_MAX) throw rangeError(fn, s);
  return v;
}

function parseUnsignedBase0(fn: string, original: string, body: string): bigint {
  let base = 10;
  let digits = body;
  let prefixed = false;
  const lower = body.toLowerCase();
  if (lower.startsWith("0x")) [base, digits, prefixed] = [16, body.slice(2), true];
  else if (lower.startsWith("0o")) [base, digits, prefixed] = [8, body.slice(2), true];
  else if (lower.startsWith("0b")) [base, digits, prefixed] = [2, body.slice(2), true];
  else if (body.length > 1 && body.startsWith("0")) [base, digits, prefixed] = [8, body.slice(1), true];
  // Base 0 allows underscores between digits (and after a prefix), exactly as Go literals do.
  if (digits.includes("_") && !underscoresOK(prefixed ? `0${body.slice(1)}` : body)) throw syntaxError(fn, original);
  const clean = digits.replaceAll("_", "");
  if (clean === "") throw syntaxError(fn, original);
  let v = 0n;
  for (const ch of clean) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) throw syntaxError(fn, original);
    v = v * BigInt(base) + BigInt(d);
  }
  return v;
}

/** Go's `underscoreOK`: underscores only separate digits or follow a base prefix. */
function underscoresOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === "0" && /[bBoOxX]/.test(s[1] as string)) {
    hex = s[1] === "x" || s[1] === "X";
    i = 2;
    saw = "0";
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if (/[0-9]/.test(c) || (hex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** Go's `strconv.ParseFloat(s, 64)`: decimal, hexadecimal (`0x1p-2`), `inf` and `nan` spellings. */
export function goParseFloat(s: string): number {
  const fn = "strconv.ParseFloat";
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special !== null) {
    if ((special[2] as string).toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  const hex = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(s);
  if (hex !== null) {
    const [, sign, whole = "", frac = "", exp = ""] = hex;
    if (whole.replaceAll("_", "") + frac.replaceAll("_", "") === "" || !underscoresOK(s.replace(/^[+-]/, ""))) throw syntaxError(fn, s);
    const digits = (whole + frac).replaceAll("_", "");
    const mantissa = digits === "" ? 0 : Number(BigInt(`0x${digits}`));
    const v = mantissa * 2 ** (Number(exp.replaceAll("_", "")) - 4 * frac.replaceAll("_", "").length);
    if (!Number.isFinite(v)) throw rangeError(fn, s);
    return sign === "-" ? -v : v;
  }
  if (!/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/.test(s)) throw syntaxError(fn, s);
  const v = Number(s.replaceAll("_", ""));
  if (!Number.isFinite(v)) throw rangeError(fn, s);
  return v;
}

function syntaxError(fn: string, s: string): GoSyntaxError {
  return new GoSyntaxError(`${fn}: parsing ${goQuote(s)}: invalid syntax`);
}

function rangeError(fn: string, s: string): GoSyntaxError {
  return new GoSyntaxError(`${fn}: parsing ${goQuote(s)}: value out of range`);
}
