/**
 * Character sets for the RE2 translator (see `re2.ts`): code point ranges, RE2's ASCII classes,
 * and case folding done by hand, because the translated pattern never uses JavaScript's `i` flag
 * (RE2 scopes `(?i)` to a group; a JavaScript flag covers the whole pattern).
 */

/** An inclusive code point range. */
export type Range = readonly [number, number];

/** The largest code point. */
export const MAX_CODE_POINT = 0x10ffff;

// No code point above this one belongs to a Unicode case-folding orbit (it is the last Adlam
// letter), so folding loops can stop here instead of walking all of Unicode.
const MAX_FOLDING_CODE_POINT = 0x1e943;

// Code points whose folding partners cannot be found from their own toLowerCase/toUpperCase
// (for example KELVIN SIGN folds with "k", but "k".toUpperCase() is "K"). Computed once against
// Go's unicode.SimpleFold: with these added as candidates, every orbit is found.
const FOLD_EXTRAS: readonly number[] = [
  0xb5, 0x17f, 0x1c5, 0x1c8, 0x1cb, 0x1f2, 0x345, 0x3c2, 0x3d0, 0x3d1, 0x3d5, 0x3d6, 0x3f0, 0x3f1,
  0x3f4, 0x3f5, 0x1c80, 0x1c81, 0x1c82, 0x1c83, 0x1c84, 0x1c85, 0x1c86, 0x1c87, 0x1c88, 0x1e9b,
  0x1e9e, 0x1f88, 0x1f89, 0x1f8a, 0x1f8b, 0x1f8c, 0x1f8d, 0x1f8e, 0x1f8f, 0x1f98, 0x1f99, 0x1f9a,
  0x1f9b, 0x1f9c, 0x1f9d, 0x1f9e, 0x1f9f, 0x1fa8, 0x1fa9, 0x1faa, 0x1fab, 0x1fac, 0x1fad, 0x1fae,
  0x1faf, 0x1fbc, 0x1fbe, 0x1fcc, 0x1ffc, 0x2126, 0x212a, 0x212b,
];
const FOLD_EXTRAS_SET: ReadonlySet<number> = new Set(FOLD_EXTRAS);

/** RE2's Perl classes, which are ASCII-only (JavaScript's `\s` is much wider). */
export const PERL_CLASSES: Readonly<Record<string, readonly Range[]>> = {
  d: [[0x30, 0x39]],
  s: [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
};

/** RE2's POSIX bracket classes such as `[:alpha:]`, all ASCII-only. */
export const POSIX_CLASSES: Readonly<Record<string, readonly Range[]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

/** Sorts and merges overlapping or adjacent ranges. */
export function normalizeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The complement of `ranges` within all code points. */
export function negateRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of normalizeRanges(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

function singleCodePoint(s: string): number | undefined {
  const cp = s.codePointAt(0);
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

/** Whether `cp` might have case-folding partners; a cheap filter before `foldOrbit`. */
function maybeCased(cp: number): boolean {
  if (FOLD_EXTRAS_SET.has(cp)) return true;
  const s = String.fromCodePoint(cp);
  return s.toLowerCase() !== s || s.toUpperCase() !== s;
}

/**
 * Every code point that RE2's `(?i)` treats as equal to `cp` (its Unicode simple case-folding
 * orbit), including `cp`. JavaScript's `iu` matching uses the same simple folding, so it is the
 * judge of which candidates really belong to the orbit.
 */
export function foldOrbit(cp: number): number[] {
  const candidates = new Set<number>([cp]);
  const queue = [cp];
  while (queue.length > 0) {
    const s = String.fromCodePoint(queue.pop() as number);
    for (const t of [s.toLowerCase(), s.toUpperCase()]) {
      const c = singleCodePoint(t);
      if (c !== undefined && !candidates.has(c)) {
        candidates.add(c);
        queue.push(c);
      }
    }
  }
  for (const c of FOLD_EXTRAS) candidates.add(c);
  const same = new RegExp(`^\\u{${cp.toString(16)}}$`, "iu");
  return [...candidates].filter((c) => c === cp || same.test(String.fromCodePoint(c))).sort((a, b) => a - b);
}

/** `ranges` plus every case-folding partner of their members, as RE2 builds `(?i)[...]`. */
export function foldRanges(ranges: readonly Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const [lo, hi] of ranges) {
    for (let cp = lo; cp <= Math.min(hi, MAX_FOLDING_CODE_POINT); cp++) {
      if (!maybeCased(cp)) continue;
      for (const c of foldOrbit(cp)) if (c < lo || c > hi) out.push([c, c]);
    }
  }
  return normalizeRanges(out);
}

/**
 * The case-folding partners of a Unicode property's members that are not members themselves
 * (`prop` is the text inside `\p{...}`), found by walking the code points that can fold at all.
 */
export function propertyFoldAdditions(prop: string): Range[] {
  const member = new RegExp(`^\\p{${prop}}$`, "u");
  const out: Range[] = [];
  for (let cp = 0; cp <= MAX_FOLDING_CODE_POINT; cp++) {
    if (!maybeCased(cp) || !member.test(String.fromCodePoint(cp))) continue;
    for (const c of foldOrbit(cp)) if (!member.test(String.fromCodePoint(c))) out.push([c, c]);
  }
  return normalizeRanges(out);
}

/** A code point as JavaScript `u`-mode pattern text, safe both inside and outside brackets. */
export function codePointSource(cp: number): string {
  const alnum = (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  return alnum || cp === 0x5f ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

/** Ranges as the inside of a JavaScript bracket expression. */
export function rangesSource(ranges: readonly Range[]): string {
  let out = "";
  for (const [lo, hi] of ranges) {
    out += lo === hi ? codePointSource(lo) : `${codePointSource(lo)}-${codePointSource(hi)}`;
  }
  return out;
}
