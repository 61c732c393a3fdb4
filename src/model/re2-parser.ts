/**
 * A parser for Go RE2 syntax (as `regexp/syntax` with the Perl flags reads it) into a small tree
 * for `re2.ts` to print as JavaScript. It follows Go's parser closely, including what Go rejects,
 * so that a pattern Prometheus refuses is refused here too.
 */
import { RegexSyntaxError } from "./errors.js";
import { PERL_CLASSES, POSIX_CLASSES, MAX_CODE_POINT } from "./re2-charset.js";
import type { Range } from "./re2-charset.js";

/** One member of a bracket expression or a class escape. */
export type ClassItem =
  | { readonly kind: "ranges"; readonly ranges: readonly Range[]; readonly negated: boolean }
  | { readonly kind: "property"; readonly property: string; readonly negated: boolean };

/** A parsed RE2 expression; `fold` records whether `(?i)` was in force. */
export type Node =
  | { readonly k: "literal"; readonly cp: number; readonly fold: boolean }
  | { readonly k: "class"; readonly items: readonly ClassItem[]; readonly negated: boolean; readonly fold: boolean }
  | { readonly k: "dot"; readonly newline: boolean }
  | { readonly k: "assert"; readonly what: "beginText" | "endText" | "beginLine" | "endLine" | "wordBoundary" | "notWordBoundary" }
  | { readonly k: "group"; readonly capture: boolean; readonly name: string | undefined; readonly body: Node }
  | { readonly k: "alternate"; readonly alternatives: readonly Node[] }
  | { readonly k: "concat"; readonly items: readonly Node[] }
  | { readonly k: "repeat"; readonly body: Node; readonly min: number; readonly max: number; readonly greedy: boolean };

/** Options of the RE2 parse. */
export interface ParseOptions {
  /** Whether `.` matches `\n` from the start, as Prometheus's `(?s:...)` wrapping makes it. */
  readonly dotNL: boolean;
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

// Go's unicode.Categories keys; any other \p name is taken as a script.
const CATEGORIES = new Set([
  "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "LC", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
  "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So",
  "Z", "Zl", "Zp", "Zs",
]);

const MAX_REPEAT = 1000;

/** Parses `pattern` as RE2; throws `RegexSyntaxError` naming the position of the first problem. */
export function parseRE2(pattern: string, options: ParseOptions): Node {
  return new Parser(pattern).parseAll({ i: false, m: false, s: options.dotNL, U: false });
}

class Parser {
  readonly #src: string;
  #pos = 0;
  readonly #names = new Set<string>();

  constructor(src: string) {
    this.#src = src;
  }

  parseAll(flags: Flags): Node {
    const node = this.#parseAlternation(flags);
    if (this.#pos < this.#src.length) this.#fail(this.#pos, ")", "unexpected )");
    return node;
  }

  #fail(position: number, construct: string, reason: string): never {
    throw new RegexSyntaxError(this.#src, position, construct, reason);
  }

  #peek(offset = 0): string {
    return this.#src.charAt(this.#pos + offset);
  }

  #nextCodePoint(): number {
    const cp = this.#src.codePointAt(this.#pos);
    if (cp === undefined) this.#fail(this.#pos, "", "unexpected end of expression");
    this.#pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  // Parses until an unmatched `)` or the end; flags set by `(?i)` last until then, across `|`.
  #parseAlternation(flags: Flags): Node {
    const alternatives: Node[] = [];
    let items: Node[] = [];
    let lastRepeat: { start: number; end: number } | undefined;
    while (this.#pos < this.#src.length) {
      const c = this.#peek();
      if (c === ")") break;
      const start = this.#pos;
      if (c === "|") {
        alternatives.push(concat(items));
        items = [];
        this.#pos++;
        lastRepeat = undefined;
        continue;
      }
      const quantifier = this.#parseQuantifier(flags);
      if (quantifier !== undefined) {
        if (lastRepeat !== undefined) {
          const text = this.#src.slice(lastRepeat.start, quantifier.opEnd);
          this.#fail(lastRepeat.start, text, "invalid nested repetition operator (RE2 has no possessive quantifiers)");
        }
        const body = items.pop();
        if (body === undefined) this.#fail(start, this.#src.slice(start, quantifier.opEnd), "missing argument to repetition operator");
        const node: Node = { k: "repeat", body, min: quantifier.min, max: quantifier.max, greedy: quantifier.greedy };
        if ((quantifier.min >= 2 || quantifier.max >= 2) && quantifier.counted && !repeatIsValid(node, MAX_REPEAT)) {
          this.#fail(start, this.#src.slice(start, quantifier.opEnd), "invalid repeat count (nested repetition over 1000)");
        }
        items.push(node);
        lastRepeat = { start, end: this.#pos };
        continue;
      }
      lastRepeat = undefined;
      items.push(...this.#parseAtoms(flags));
    }
    alternatives.push(concat(items));
    return alternatives.length === 1 ? (alternatives[0] as Node) : { k: "alternate", alternatives };
  }

  #parseQuantifier(
    flags: Flags,
  ): { min: number; max: number; greedy: boolean; counted: boolean; opEnd: number } | undefined {
    const c = this.#peek();
    let min: number;
    let max: number;
    let counted = false;
    const start = this.#pos;
    if (c === "*") [min, max] = [0, -1];
    else if (c === "+") [min, max] = [1, -1];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.#src.slice(this.#pos));
      if (m === null) return undefined;
      const [text, lo, comma, hi] = m as unknown as [string, string, string | undefined, string | undefined];
      if (/^0\d/.test(lo) || (hi !== undefined && /^0\d/.test(hi))) return undefined; // Go: literal "{"
      min = Number(lo);
      max = comma === undefined ? min : hi === "" || hi === undefined ? -1 : Number(hi);
      if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
        this.#fail(start, text, "invalid repeat count (RE2 allows at most 1000, and min <= max)");
      }
      counted = true;
      this.#pos += text.length - 1;
    } else return undefined;
    this.#pos++;
    const opEnd = this.#pos;
    let greedy = !flags.U;
    if (this.#peek() === "?") {
      this.#pos++;
      greedy = !greedy;
    }
    return { min, max, greedy, counted, opEnd };
  }

  // Usually one atom; `\Q...\E` yields one literal per character and `(?i)` yields none.
  #parseAtoms(flags: Flags): Node[] {
    const start = this.#pos;
    const c = this.#peek();
    switch (c) {
      case "(":
        return this.#parseGroup(flags);
      case "[":
        return [this.#parseClass(flags)];
      case ".":
        this.#pos++;
        return [{ k: "dot", newline: flags.s }];
      case "^":
        this.#pos++;
        return [{ k: "assert", what: flags.m ? "beginLine" : "beginText" }];
      case "$":
        this.#pos++;
        return [{ k: "assert", what: flags.m ? "endLine" : "endText" }];
      case "\\":
        break;
      default:
        return [{ k: "literal", cp: this.#nextCodePoint(), fold: flags.i }];
    }
    const e = this.#peek(1);
    const assertion = { A: "beginText", z: "endText", b: "wordBoundary", B: "notWordBoundary" } as const;
    if (e === "A" || e === "z" || e === "b" || e === "B") {
      this.#pos += 2;
      return [{ k: "assert", what: assertion[e] }];
    }
    if (e === "C") this.#fail(start, "\\C", "\\C (any byte) is not supported by RE2");
    if (e === "Q") {
      this.#pos += 2;
      const end = this.#src.indexOf("\\E", this.#pos);
      const stop = end < 0 ? this.#src.length : end;
      const out: Node[] = [];
      while (this.#pos < stop) out.push({ k: "literal", cp: this.#nextCodePoint(), fold: flags.i });
      this.#pos = end < 0 ? stop : stop + 2;
      return out;
    }
    const item = this.#parseClassEscape();
    if (item !== undefined) return [{ k: "class", items: [item], negated: false, fold: flags.i }];
    return [{ k: "literal", cp: this.#parseEscape(), fold: flags.i }];
  }

  #parseGroup(flags: Flags): Node[] {
    const start = this.#pos;
    if (this.#peek(1) !== "?") {
      this.#pos++;
      return [this.#finishGroup(start, { ...flags }, true, undefined)];
    }
    const rest = this.#src.slice(start);
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if (named !== null && !rest.startsWith("(?<=") && !rest.startsWith("(?<!")) {
      const name = named[1] as string;
      if (!/^[A-Za-z0-9_]+$/.test(name)) this.#fail(start, named[0], "invalid named capture");
      // Names only matter to replacement templates; JavaScript refuses duplicates and leading
      // digits that Go accepts, so such a group stays a capture (same number) without its name.
      const jsName = /^[0-9]/.test(name) || this.#names.has(name) ? undefined : name;
      this.#names.add(name);
      this.#pos += named[0].length;
      return [this.#finishGroup(start, { ...flags }, true, jsName)];
    }
    const unsupported: [string, string][] = [
      ["(?=", "lookahead is not supported by RE2"],
      ["(?!", "negative lookahead is not supported by RE2"],
      ["(?<=", "lookbehind is not supported by RE2"],
      ["(?<!", "negative lookbehind is not supported by RE2"],
      ["(?>", "atomic groups are not supported by RE2"],
      ["(?P=", "backreferences are not supported by RE2"],
      ["(?P>", "recursion is not supported by RE2"],
      ["(?#", "comments are not supported by RE2"],
      ["(?|", "branch reset groups are not supported by RE2"],
      ["(?(", "conditionals are not supported by RE2"],
      ["(?R", "recursion is not supported by RE2"],
    ];
    for (const [prefix, reason] of unsupported) if (rest.startsWith(prefix)) this.#fail(start, prefix, reason);

    // Flag group, following Go's parsePerlFlags: (?flags) or (?flags:re), flags from [imsU-].
    this.#pos += 2;
    const next = { ...flags };
    let negate = false;
    let sawFlag = false;
    while (this.#pos < this.#src.length) {
      const c = this.#src.charAt(this.#pos++);
      if (c === "i" || c === "m" || c === "s" || c === "U") {
        next[c] = !negate;
        sawFlag = true;
      } else if (c === "-" && !negate) {
        negate = true;
        sawFlag = false;
      } else if ((c === ":" || c === ")") && !(negate && !sawFlag)) {
        if (c === ")") {
          Object.assign(flags, next);
          return [];
        }
        return [this.#finishGroup(start, next, false, undefined)];
      } else break;
    }
    const construct = this.#src.slice(start, this.#pos);
    this.#fail(start, construct, "invalid or unsupported Perl syntax (RE2 flags are i, m, s and U)");
  }

  #finishGroup(start: number, flags: Flags, capture: boolean, name: string | undefined): Node {
    const body = this.#parseAlternation(flags);
    if (this.#peek() !== ")") this.#fail(start, this.#src.slice(start, start + 1), "missing closing )");
    this.#pos++;
    return { k: "group", capture, name, body };
  }

  // \d \s \w and their negations, and \pN, \p{Name}, \PN, \p{^Name}; undefined for other escapes.
  #parseClassEscape(): ClassItem | undefined {
    const start = this.#pos;
    const e = this.#peek(1);
    const lower = e.toLowerCase();
    if (lower === "d" || lower === "s" || lower === "w") {
      this.#pos += 2;
      return { kind: "ranges", ranges: PERL_CLASSES[lower] as readonly Range[], negated: e !== lower };
    }
    if (e !== "p" && e !== "P") return undefined;
    let negated = e === "P";
    let name: string;
    this.#pos += 2;
    if (this.#peek() === "{") {
      const end = this.#src.indexOf("}", this.#pos);
      if (end < 0) this.#fail(start, this.#src.slice(start), "invalid character class range (missing })");
      name = this.#src.slice(this.#pos + 1, end);
      this.#pos = end + 1;
    } else {
      if (this.#pos >= this.#src.length) this.#fail(start, this.#src.slice(start), "invalid character class range");
      name = String.fromCodePoint(this.#nextCodePoint());
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const construct = this.#src.slice(start, this.#pos);
    let property: string;
    if (name === "Any") property = "Any";
    else if (CATEGORIES.has(name)) property = `General_Category=${name === "LC" ? "Cased_Letter" : name}`;
    else if (/^[A-Z][A-Za-z_]+$/.test(name) && isJsProperty(`Script=${name}`)) property = `Script=${name}`;
    else this.#fail(start, construct, "invalid character class range (unknown Unicode class)");
    return { kind: "property", property, negated };
  }

  // One escaped character, as Go's parseEscape; the cursor is at the backslash.
  #parseEscape(): number {
    const start = this.#pos;
    this.#pos++;
    if (this.#pos >= this.#src.length) this.#fail(start, "\\", "trailing backslash at end of expression");
    const c = this.#nextCodePoint();
    const bad = (reason = "invalid escape sequence"): never => this.#fail(start, this.#src.slice(start, this.#pos), reason);
    const ch = String.fromCodePoint(c);
    if (c < 0x80 && !/[0-9A-Za-z]/.test(ch)) return c;
    if (ch >= "1" && ch <= "7" && !/[0-7]/.test(this.#peek())) bad("backreferences are not supported by RE2");
    if (ch >= "0" && ch <= "7") {
      let r = c - 0x30;
      for (let i = 1; i < 3 && /[0-7]/.test(this.#peek()); i++) r = r * 8 + (this.#src.charCodeAt(this.#pos++) - 0x30);
      return r;
    }
    if (ch === "8" || ch === "9") bad("backreferences are not supported by RE2");
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (simple[ch] !== undefined) return simple[ch];
    if (ch === "x") {
      const braced = /^\{([0-9A-Fa-f]+)\}/.exec(this.#src.slice(this.#pos));
      if (braced !== null) {
        this.#pos += braced[0].length;
        const digits = (braced[1] as string).replace(/^0+(?=.)/, "");
        const value = digits.length > 6 ? Infinity : parseInt(digits, 16);
        if (value > MAX_CODE_POINT) bad("code point above U+10FFFF");
        return value;
      }
      const two = /^[0-9A-Fa-f]{2}/.exec(this.#src.slice(this.#pos));
      if (two === null) return bad("invalid escape sequence (\\x needs two hex digits or {hex})");
      this.#pos += 2;
      return parseInt(two[0], 16);
    }
    if (ch === "b") bad("\\b (word boundary) is not allowed inside a character class; use \\x08 for backspace");
    return bad();
  }

  #parseClass(flags: Flags): Node {
    const start = this.#pos;
    this.#pos++;
    let negated = false;
    if (this.#peek() === "^") {
      negated = true;
      this.#pos++;
    }
    const items: ClassItem[] = [];
    const ranges: Range[] = [];
    let first = true;
    while (this.#peek() !== "]" || first) {
      if (this.#pos >= this.#src.length) this.#fail(start, this.#src.slice(start), "missing closing ]");
      first = false;
      const itemStart = this.#pos;
      if (this.#src.startsWith("[:", this.#pos)) {
        const end = this.#src.indexOf(":]", this.#pos + 2);
        if (end >= 0) {
          const text = this.#src.slice(this.#pos, end + 2);
          const name = text.slice(2, -2);
          const neg = name.startsWith("^");
          const table = POSIX_CLASSES[neg ? name.slice(1) : name];
          if (table === undefined) this.#fail(itemStart, text, "invalid character class range (unknown POSIX class)");
          items.push({ kind: "ranges", ranges: table, negated: neg });
          this.#pos = end + 2;
          continue;
        }
      }
      if (this.#peek() === "\\") {
        const item = this.#parseClassEscape();
        if (item !== undefined) {
          items.push(item);
          continue;
        }
      }
      const lo = this.#parseClassChar();
      let hi = lo;
      if (this.#peek() === "-" && this.#pos + 1 < this.#src.length && this.#peek(1) !== "]") {
        this.#pos++;
        hi = this.#parseClassChar();
        if (hi < lo) this.#fail(itemStart, this.#src.slice(itemStart, this.#pos), "invalid character class range");
      }
      ranges.push([lo, hi]);
    }
    this.#pos++;
    if (ranges.length > 0) items.push({ kind: "ranges", ranges, negated: false });
    return { k: "class", items, negated, fold: flags.i };
  }

  #parseClassChar(): number {
    return this.#peek() === "\\" ? this.#parseEscape() : this.#nextCodePoint();
  }
}

function concat(items: Node[]): Node {
  return items.length === 1 ? (items[0] as Node) : { k: "concat", items };
}

function isJsProperty(property: string): boolean {
  try {
    new RegExp(`\\p{${property}}`, "u");
    return true;
  } catch {
    return false;
  }
}

// Go's repeatIsValid: nested counted repetitions may not multiply past the limit.
function repeatIsValid(node: Node, n: number): boolean {
  if (node.k === "repeat") {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
    return repeatIsValid(node.body, n);
  }
  if (node.k === "group") return repeatIsValid(node.body, n);
  if (node.k === "concat") return node.items.every((c) => repeatIsValid(c, n));
  if (node.k === "alternate") return node.alternatives.every((c) => repeatIsValid(c, n));
  return true;
}
