/**
 * Go's `strings.ToLower` / `strings.ToUpper`, which map each code point by Unicode's simple
 * (one-to-one) case mapping. JavaScript's `toLowerCase`/`toUpperCase` use the full mappings
 * instead (`ß` becomes `SS`, `İ` becomes `i̇`, a final `Σ` becomes `ς`), so outside ASCII each
 * code point is mapped on its own and the few full mappings that expand are replaced by the
 * simple ones. Characters newer than the Unicode version of Prometheus's Go release may differ.
 */

const ASCII = /^\p{ASCII}*$/u;

/** Lowercases as Go's `strings.ToLower` does. */
export function goToLower(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  let out = "";
  for (const ch of s) {
    // U+0130 is the only code point whose full lowercase mapping expands; its simple one is `i`.
    out += ch === "\u0130" ? "i" : ch.toLowerCase();
  }
  return out;
}

/** Uppercases as Go's `strings.ToUpper` does. */
export function goToUpper(s: string): string {
  if (ASCII.test(s)) return s.toUpperCase();
  let out = "";
  for (const ch of s) {
    const full = ch.toUpperCase();
    out += isSingleCodePoint(full) ? full : simpleUpperOfExpanding(ch);
  }
  return out;
}

function isSingleCodePoint(s: string): boolean {
  return s.length === 1 || (s.length === 2 && (s.codePointAt(0) as number) > 0xffff);
}

// Of the code points whose full uppercase mapping expands (ß, ŉ, ǰ, ligatures, Greek with
// ypogegrammeni ...), only the Greek lowercase letters with ypogegrammeni have a simple uppercase
// mapping (to the titlecase letter); every other one stays as it is.
function simpleUpperOfExpanding(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) {
    return String.fromCodePoint(cp + 8);
  }
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return String.fromCodePoint(cp + 9);
  return ch;
}
