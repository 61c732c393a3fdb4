/**
 * PromQL string literals: `"…"` and `'…'` with Go's escapes, and back-quoted raw strings. `\x`
 * and octal escapes are bytes, so the content is assembled as UTF-8 and decoded once.
 */
import { MeridianError } from "../../model/index.js";

/** A string literal that is not valid PromQL. */
export class StringLiteralError extends MeridianError {
  constructor(literal: string, reason: string) {
    super("promqltest_string", `bad string literal ${literal}: ${reason}`);
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 };

/** Reads the literal starting at `start`; returns its value and the index just after it. */
export function readStringLiteral(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  if (quote !== '"' && quote !== "'" && quote !== "`") throw new StringLiteralError(text.slice(start), "expected a quote");
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let i = start + 1;
  for (;;) {
    if (i >= text.length) throw new StringLiteralError(text.slice(start), "unterminated string");
    const c = text[i] as string;
    if (c === quote) break;
    if (c !== "\\" || quote === "`") {
      const cp = text.codePointAt(i) as number;
      const ch = String.fromCodePoint(cp);
      bytes.push(...encoder.encode(ch));
      i += ch.length;
      continue;
    }
    const e = text[i + 1] ?? "";
    i += 2;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined || e === quote) {
      bytes.push(simple ?? e.charCodeAt(0));
    } else if (/[0-7]/.test(e)) {
      const digits = text.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 255) throw new StringLiteralError(text.slice(start), "bad octal escape");
      bytes.push(parseInt(digits, 8));
      i += 2;
    } else if (e === "x" || e === "u" || e === "U") {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = text.slice(i, i + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) throw new StringLiteralError(text.slice(start), `bad \\${e} escape`);
      const v = parseInt(hex, 16);
      i += n;
      if (e === "x") {
        bytes.push(v);
      } else {
        if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) throw new StringLiteralError(text.slice(start), "escape is not a valid Unicode code point");
        bytes.push(...encoder.encode(String.fromCodePoint(v)));
      }
    } else {
      throw new StringLiteralError(text.slice(start), `unknown escape sequence \\${e}`);
    }
  }
  return { value: new TextDecoder().decode(new Uint8Array(bytes)), end: i + 1 };
}

/** The value of a whole string literal (surrounding spaces allowed). */
export function unquoteString(literal: string): string {
  const trimmed = literal.trim();
  const { value, end } = readStringLiteral(trimmed, 0);
  if (end !== trimmed.length) throw new StringLiteralError(literal, "text after the closing quote");
  return value;
}
