/**
 * The label-level functions: label_replace and label_join as pure functions over one series'
 * labels, and the comparison behind sort_by_label(_desc). The evaluator applies them to every
 * series and handles `__name__` dropping and duplicate label sets.
 */
import { compareStrings, compileRE2, isValidLabelName } from "../../model/index.js";
import type { Labels } from "../../model/index.js";
import { PromQLEvalError } from "../errors.js";

/** A label_replace call with its regular expression compiled once, applicable to many series. */
export interface LabelReplacer {
  /** The labels with `dst` set to the expanded replacement if `src`'s value matches, else unchanged. */
  apply(labels: Labels): Labels;
}

/**
 * Compiles label_replace(v, dst, replacement, src, regex). The regex is RE2, anchored at both ends
 * and with `.` matching newlines (`^(?s:regex)$`); `$1`, `${1}`, `$name`, `${name}` and `$$` expand
 * as Go's Regexp.Expand. Throws PromQLEvalError with Prometheus's text for an invalid regex
 * (checked first) or destination label name.
 */
export function compileLabelReplace(dst: string, replacement: string, src: string, regex: string): LabelReplacer {
  const pattern = `^(?s:${regex})$`;
  let re: RegExp;
  try {
    re = compileRE2(pattern);
  } catch (err) {
    throw new PromQLEvalError(`invalid regular expression in label_replace(): ${regex}`, { cause: err });
  }
  if (!isValidLabelName(dst, "utf8")) throw new PromQLEvalError(`invalid destination label name in label_replace(): ${dst}`);
  const names = captureNames(pattern);
  return {
    apply(labels: Labels): Labels {
      const m = re.exec(labels.get(src));
      if (m === null) return labels;
      // An empty result removes the label, as setting "" does in Prometheus's label builder.
      return labels.with(dst, expand(replacement, m, names));
    },
  };
}

/** label_replace for one series; see {@link compileLabelReplace}, which to prefer for many series. */
export function labelReplace(labels: Labels, dst: string, replacement: string, src: string, regex: string): Labels {
  return compileLabelReplace(dst, replacement, src, regex).apply(labels);
}

/**
 * label_join(v, dst, separator, src…) for one series: `dst` becomes the values of `srcs` (absent
 * ones as "") joined by `separator`; an empty result removes `dst`. Throws PromQLEvalError with
 * Prometheus's text for an invalid source (checked first) or destination label name.
 */
export function labelJoin(labels: Labels, dst: string, separator: string, srcs: readonly string[]): Labels {
  for (const src of srcs) {
    if (!isValidLabelName(src, "utf8")) throw new PromQLEvalError(`invalid source label name in label_join(): ${src}`);
  }
  if (!isValidLabelName(dst, "utf8")) throw new PromQLEvalError(`invalid destination label name in label_join(): ${dst}`);
  return labels.with(dst, srcs.map((src) => labels.get(src)).join(separator));
}

/**
 * The order of sort_by_label(v, names…): by each named label's value in natural order (see
 * {@link naturalLess}; an absent label is ""), then by the whole label sets. With `descending`,
 * the order of sort_by_label_desc. Returns a negative, zero or positive number for Array.sort.
 */
export function sortByLabelCompare(a: Labels, b: Labels, names: readonly string[], descending = false): number {
  for (const name of names) {
    const x = a.get(name);
    const y = b.get(name);
    if (x === y) continue;
    const less = naturalLess(x, y);
    return less !== descending ? -1 : 1;
  }
  return descending ? -a.compare(b) : a.compare(b);
}

/**
 * Natural string order as the facette/natsort library Prometheus uses: the strings are split into
 * runs of ASCII digits and runs of other characters, digit runs compare as integers (when both fit
 * in int64), the rest byte-wise. Quirks kept: a string with no runs ("") is never less, and when
 * one string runs out of runs while equal so far, `a` counts as less.
 */
export function naturalLess(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length) {
    if (j >= b.length) return false;
    const aStart = i;
    const aDigits = isDigit(a, i);
    while (i < a.length && isDigit(a, i) === aDigits) i++;
    const bStart = j;
    const bDigits = isDigit(b, j);
    while (j < b.length && isDigit(b, j) === bDigits) j++;
    const ca = a.slice(aStart, i);
    const cb = b.slice(bStart, j);
    let cmp: number;
    if (aDigits && bDigits && fitsInt64(ca) && fitsInt64(cb)) cmp = compareDecimal(ca, cb);
    else cmp = ca === cb ? 0 : compareStrings(ca, cb);
    if (cmp !== 0) return cmp < 0;
    if (i >= a.length) return true;
    if (j >= b.length) return false;
  }
  return false;
}

function isDigit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

const MAX_INT64 = "9223372036854775807";

/** Whether strconv.Atoi accepts a run of ASCII digits (it overflows past int64). */
function fitsInt64(digits: string): boolean {
  const d = stripZeros(digits);
  return d.length < MAX_INT64.length || (d.length === MAX_INT64.length && d <= MAX_INT64);
}

function compareDecimal(a: string, b: string): number {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

function stripZeros(digits: string): string {
  let k = 0;
  while (k < digits.length - 1 && digits.charCodeAt(k) === 48) k++;
  return digits.slice(k);
}

/**
 * Go's Regexp.Expand: `$$` is `$`; `$name` takes the longest run of letters, digits and `_`;
 * `${name}` is braced; an all-digit name is a group number (no leading zeros); a missing or
 * unmatched group expands to ""; a malformed reference leaves its `$` as text.
 */
function expand(template: string, m: RegExpExecArray, names: readonly (string | undefined)[]): string {
  let out = "";
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf("$");
    if (dollar < 0) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith("$")) {
      out += "$";
      rest = rest.slice(1);
      continue;
    }
    const ref = extractReference(rest);
    if (ref === undefined) {
      out += "$";
      continue;
    }
    rest = rest.slice(ref.length);
    if (ref.num >= 0) {
      out += m[ref.num] ?? "";
    } else {
      for (let g = 1; g < names.length; g++) {
        const value = m[g];
        if (names[g] === ref.name && value !== undefined) {
          out += value;
          break;
        }
      }
    }
  }
  return out + rest;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

function extractReference(s: string): { name: string; num: number; length: number } | undefined {
  let i = 0;
  const brace = s.startsWith("{");
  if (brace) i = 1;
  const start = i;
  while (i < s.length) {
    const cp = s.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === start) return undefined;
  const name = s.slice(start, i);
  if (brace) {
    if (s[i] !== "}") return undefined;
    i++;
  }
  let num = /^[0-9]+$/.test(name) && name.length <= 9 ? Number(name) : -1;
  if (name.length > 1 && name.startsWith("0")) num = -1;
  return { name, num, length: i };
}

/**
 * The name of every capture group of an RE2 pattern by group number (index 0 unused), undefined
 * for unnamed groups. The pattern must be valid RE2.
 */
function captureNames(pattern: string): (string | undefined)[] {
  const names: (string | undefined)[] = [undefined];
  let i = 0;
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "\\") {
      if (pattern[i + 1] === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        i = end < 0 ? pattern.length : end + 2;
      } else {
        i += 2;
      }
      continue;
    }
    if (inClass) {
      if (c === "[" && pattern[i + 1] === ":") {
        const end = pattern.indexOf(":]", i + 2);
        i = end < 0 ? i + 1 : end + 2;
        continue;
      }
      if (c === "]") inClass = false;
      i++;
      continue;
    }
    if (c === "[") {
      inClass = true;
      i++;
      if (pattern[i] === "^") i++;
      // A `]` right after the opening bracket is a literal member.
      if (pattern[i] === "]") i++;
      continue;
    }
    if (c === "(") {
      if (pattern[i + 1] !== "?") names.push(undefined);
      else {
        const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(pattern.slice(i));
        if (named !== null) names.push(named[1]);
      }
    }
    i++;
  }
  return names;
}
