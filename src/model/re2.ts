/**
 * Translates Go RE2 regular expressions (the dialect of PromQL matchers, relabelling and every
 * Prometheus config) into JavaScript `RegExp` source with the `u` flag.
 *
 * Hand-written because nothing maintained does this: no npm library translates RE2 syntax to a
 * JavaScript pattern, and the `re2` npm package (node-re2, 1.27 at the time of writing) is a
 * native addon binding Google's C++ RE2, which Meridian avoids so that it installs and runs
 * anywhere Node does without a compiler.
 *
 * The two dialects look alike but read many patterns differently, so the pattern is parsed as RE2
 * (`re2-parser.ts`) and printed again in a form that means the same thing to JavaScript:
 * - `(?i)`, `(?i:...)` and flags in the middle are scoped in RE2 but global in JavaScript
 *   (Node 20 has no pattern modifiers), so case-insensitive literals and classes are expanded
 *   into their Unicode simple case-folding orbits (`k` becomes `[Kk\u{212a}]`) and no flag is used.
 * - `\s`, `\w`, `\d`, `[[:alpha:]]` and friends are ASCII in RE2 and printed as explicit ranges.
 * - `.` is `[^]` under `(?s)` and `[^\n]` otherwise (JavaScript's `.` also stops at `\r`).
 * - `(?m)` anchors only care about `\n` in RE2, so they become lookarounds on `\n`.
 * - `\A`, `\z`, `\Q...\E`, `\pL`, `\p{Greek}`, `\x{10FFFF}`, octal `\123`, `(?P<name>...)` and
 *   escaped punctuation are rewritten into JavaScript spellings.
 * - `(?U)` swaps greediness, which JavaScript expresses per quantifier.
 * - Group names JavaScript refuses (duplicates, a leading digit) are dropped; the group still
 *   captures under the same number.
 * What RE2 itself rejects (lookarounds, backreferences, atomic groups, possessive quantifiers,
 * `\C`, `\Z`, repeat counts over 1000) is rejected with a `RegexSyntaxError` naming the position;
 * nothing is silently read another way. Unicode class names are Go's exact category and script
 * names (not the loose aliases such as `\p{Letter}` that only Go 1.25+ accepts).
 */
import { RegexSyntaxError } from "./errors.js";
import { parseRE2 } from "./re2-parser.js";
import type { ClassItem, Node } from "./re2-parser.js";
import {
  foldOrbit,
  foldRanges,
  negateRanges,
  normalizeRanges,
  propertyFoldAdditions,
  codePointSource,
  rangesSource,
} from "./re2-charset.js";
import type { Range } from "./re2-charset.js";

/** How to translate an RE2 pattern. */
export interface RE2Options {
  /** Start with `(?s)` in force, as Prometheus does for matchers and relabelling; default false. */
  readonly dotNL?: boolean;
  /** Require the whole input to match (`^(?:...)$`), as Prometheus does; default false. */
  readonly anchored?: boolean;
}

/** Translates an RE2 pattern to JavaScript `RegExp` source meant for the `u` flag (and no other). */
export function translateRE2(pattern: string, options: RE2Options = {}): string {
  const tree = parseRE2(pattern, { dotNL: options.dotNL ?? false });
  const source = print(tree);
  return options.anchored === true ? `^(?:${source})$` : source;
}

/** Compiles an RE2 pattern into an equivalent JavaScript `RegExp`; throws `RegexSyntaxError`. */
export function compileRE2(pattern: string, options: RE2Options = {}): RegExp {
  const source = translateRE2(pattern, options);
  try {
    return new RegExp(source, "u");
  } catch (err) {
    throw new RegexSyntaxError(pattern, 0, pattern, `translated pattern was rejected by JavaScript: ${String(err)}`);
  }
}

function print(node: Node): string {
  switch (node.k) {
    case "literal": {
      if (!node.fold) return codePointSource(node.cp);
      const orbit = foldOrbit(node.cp);
      if (orbit.length === 1) return codePointSource(node.cp);
      return `[${rangesSource(normalizeRanges(orbit.map((c): Range => [c, c])))}]`;
    }
    case "class":
      return printClass(node.items, node.negated, node.fold);
    case "dot":
      return node.newline ? "[^]" : "[^\\n]";
    case "assert":
      return ASSERTIONS[node.what];
    case "group": {
      const open = !node.capture ? "(?:" : node.name !== undefined ? `(?<${node.name}>` : "(";
      return `${open}${print(node.body)})`;
    }
    case "alternate":
      return node.alternatives.map((a) => print(a)).join("|");
    case "concat":
      return node.items.map((i) => print(i)).join("");
    case "repeat": {
      const body = print(node.body);
      const atomic = node.body.k === "literal" || node.body.k === "class" || node.body.k === "dot" || node.body.k === "group";
      const { min, max } = node;
      let op: string;
      if (min === 0 && max === -1) op = "*";
      else if (min === 1 && max === -1) op = "+";
      else if (min === 0 && max === 1) op = "?";
      else if (max === -1) op = `{${min},}`;
      else if (min === max) op = `{${min}}`;
      else op = `{${min},${max}}`;
      return `${atomic ? body : `(?:${body})`}${op}${node.greedy ? "" : "?"}`;
    }
  }
}

// A bracket expression when JavaScript can say it with one; otherwise a union of one-character
// alternatives, because RE2 folds a negated property before negating it (`(?i)\P{Greek}` also
// refuses `µ`, which folds to Greek `μ`) and a bracket cannot subtract.
function printClass(items: readonly ClassItem[], negated: boolean, fold: boolean): string {
  const ranges: Range[] = [];
  const properties: string[] = [];
  const subtracted: string[] = [];
  for (const item of items) {
    if (item.kind === "ranges") {
      const folded = fold ? foldRanges(item.ranges) : item.ranges;
      ranges.push(...(item.negated ? negateRanges(folded) : folded));
      continue;
    }
    const escape = `\\${item.negated ? "P" : "p"}{${item.property}}`;
    const additions = fold ? propertyFoldAdditions(item.property) : [];
    if (!item.negated) ranges.push(...additions);
    if (item.negated && additions.length > 0) subtracted.push(`(?![${rangesSource(additions)}])${escape}`);
    else properties.push(escape);
  }
  const bracket = `[${rangesSource(normalizeRanges(ranges))}${properties.join("")}]`;
  if (subtracted.length === 0) return negated ? `[^${bracket.slice(1)}` : bracket;
  const union = [bracket, ...subtracted].join("|");
  return negated ? `(?:(?!${union})[^])` : `(?:${union})`;
}

const ASSERTIONS = {
  beginText: "^",
  endText: "$",
  // RE2's (?m) lines end only at \n; JavaScript's m flag would also split at \r, U+2028, U+2029.
  beginLine: "(?<![^\\n])",
  endLine: "(?![^\\n])",
  // Without the i flag JavaScript's \b is ASCII-only, like RE2's.
  wordBoundary: "\\b",
  notWordBoundary: "\\B",
} as const;
