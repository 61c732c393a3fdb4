/**
 * Go's `regexp.Expand` templates (`$1`, `${1}`, `$name`, `${name}`, `$$`), parsed once per rule so
 * that expanding per sample is a concatenation. Go reads the longest run of letters, digits and `_`
 * after `$` as the reference, so `$1x` names a group called `1x` (usually none, hence empty), and
 * a malformed reference such as `${1` or `$-` stays literal text.
 */

/**
 * One piece of a parsed template: literal text, a group number, or the group numbers sharing a
 * name (Go uses the first of them that took part in the match).
 */
export type TemplatePart = string | number | readonly number[];

/** A parsed template; `literal` is set when it references no group at all. */
export interface Template {
  readonly parts: readonly TemplatePart[];
  readonly literal: string | undefined;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;
// Go stops reading a group number at this size and then treats the reference as a name.
const MAX_GROUP_NUMBER = 1e8;

/**
 * Parses `template` for a regex whose capture groups are named `groupNames` (index 0 is the whole
 * match; unnamed groups are undefined).
 */
export function parseTemplate(template: string, groupNames: readonly (string | undefined)[]): Template {
  const parts: TemplatePart[] = [];
  let text = "";
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf("$");
    if (dollar < 0) break;
    text += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith("$")) {
      text += "$";
      rest = rest.slice(1);
      continue;
    }
    const ref = extractReference(rest);
    if (ref === undefined) {
      text += "$";
      continue;
    }
    rest = ref.rest;
    const groups = resolve(ref.name, groupNames);
    // A reference to a group that does not exist always expands to nothing.
    if (groups.length === 0) continue;
    if (text !== "") parts.push(text);
    text = "";
    parts.push(groups.length === 1 ? (groups[0] as number) : groups);
  }
  text += rest;
  if (text !== "") parts.push(text);
  const literal = parts.every((p) => typeof p === "string") ? parts.join("") : undefined;
  return { parts, literal };
}

/** Expands a parsed template with a match (`groups[i]` undefined when group i did not take part). */
export function expandTemplate(template: Template, groups: ArrayLike<string | undefined>): string {
  if (template.literal !== undefined) return template.literal;
  let out = "";
  for (const part of template.parts) {
    if (typeof part === "string") out += part;
    else if (typeof part === "number") out += groups[part] ?? "";
    else {
      for (const i of part) {
        const g = groups[i];
        if (g !== undefined) {
          out += g;
          break;
        }
      }
    }
  }
  return out;
}

// Go's regexp.extract: a name of letters, digits and `_`, optionally in braces.
function extractReference(s: string): { name: string; rest: string } | undefined {
  const brace = s.startsWith("{");
  let i = brace ? 1 : 0;
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
  return { name, rest: s.slice(i) };
}

function resolve(name: string, groupNames: readonly (string | undefined)[]): number[] {
  const num = groupNumber(name);
  if (num !== undefined) return num < groupNames.length ? [num] : [];
  const out: number[] = [];
  groupNames.forEach((n, i) => {
    if (n === name) out.push(i);
  });
  return out;
}

// Go reads a reference as a number only when it is all ASCII digits, has no leading zero and
// stays below 1e8; anything else is looked up as a name.
function groupNumber(name: string): number | undefined {
  if (name.length > 1 && name.startsWith("0")) return undefined;
  let num = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x30 || c > 0x39 || num >= MAX_GROUP_NUMBER) return undefined;
    num = num * 10 + (c - 0x30);
  }
  return num;
}

/**
 * The capture groups of an RE2 pattern in RE2's numbering, by name (undefined when unnamed), index
 * 0 being the whole match. Read from the pattern itself because the JavaScript translation drops
 * names JavaScript refuses (a leading digit, duplicates) while Go's Expand still finds them.
 */
export function captureGroupNames(pattern: string): (string | undefined)[] {
  const names: (string | undefined)[] = [undefined];
  let i = 0;
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
    if (c === "[") {
      i = skipClass(pattern, i);
      continue;
    }
    if (c === "(") {
      if (pattern[i + 1] !== "?") names.push(undefined);
      else {
        const open = pattern.startsWith("(?P<", i) ? i + 4 : pattern.startsWith("(?<", i) ? i + 3 : -1;
        if (open >= 0) names.push(pattern.slice(open, pattern.indexOf(">", open)));
      }
    }
    i++;
  }
  return names;
}

// Returns the index just past the bracket expression starting at `start`.
function skipClass(pattern: string, start: number): number {
  let j = start + 1;
  if (pattern[j] === "^") j++;
  // A `]` right after the opening bracket is a literal.
  if (pattern[j] === "]") j++;
  while (j < pattern.length) {
    const c = pattern[j];
    if (c === "\\") {
      j += 2;
      continue;
    }
    if (c === "]") return j + 1;
    const posix = /^\[:\^?[a-z]+:\]/.exec(pattern.slice(j, j + 16));
    j += posix !== null ? posix[0].length : 1;
  }
  return j;
}
