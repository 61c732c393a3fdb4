/**
 * A small PEG interpreter that behaves like the parsers pigeon generates, which is how go-bexpr's
 * grammar is compiled. Matching pigeon matters for more than acceptance: Consul returns pigeon's
 * error text to clients ("1:8 (7): no match found, expected: ..."), and that text comes from
 * pigeon's bookkeeping of the farthest failure and of errors raised by predicates and actions.
 *
 * Differences from pigeon that cannot change a result: results are memoised per rule, position
 * and negation state (pigeon's `-optimize-parser` output re-parses instead), and rule nesting is
 * bounded so that hostile input cannot exhaust the stack.
 */

/** A parsing expression; `val` on terminals is the text pigeon prints in "expected" lists. */
export type PegExpr =
  | { readonly t: "lit"; readonly val: string }
  | { readonly t: "class"; readonly val: string; readonly test: (ch: string) => boolean }
  | { readonly t: "any" }
  | { readonly t: "seq"; readonly items: readonly PegExpr[] }
  | { readonly t: "choice"; readonly alts: readonly PegExpr[] }
  | { readonly t: "star" | "plus" | "opt" | "not" | "and"; readonly e: PegExpr }
  | { readonly t: "ref"; readonly name: string }
  | { readonly t: "action"; readonly e: PegExpr; readonly run: (value: unknown, text: () => string) => unknown }
  | { readonly t: "check"; readonly run: () => Error | undefined };

/** A named rule; `display` replaces the name in error prefixes, as pigeon's display names do. */
export interface PegRule {
  readonly name: string;
  readonly display?: string;
  readonly expr: PegExpr;
}

/** Where a failure happened: line and column count code points from 1, offset counts UTF-8 bytes. */
export interface PegPosition {
  readonly line: number;
  readonly col: number;
  readonly offset: number;
}

/** One error as pigeon would report it. */
export interface PegError {
  readonly pos: PegPosition;
  readonly message: string;
}

/** The outcome of a parse: a value, or every distinct error in the order pigeon records them. */
export type PegResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly errors: readonly PegError[] };

/** Rule nesting bound; the stack usually runs out first (near 700 chained `or`s), reported the same way. */
const MAX_RULE_DEPTH = 1000;

/** Raised internally when the input nests too deeply to parse safely. */
export class PegDepthError extends Error {}

interface Memo {
  readonly ok: boolean;
  readonly value: unknown;
  readonly end: number;
}

/** Parses `input` with `rules`, starting at `start`; never throws except `PegDepthError`. */
export function pegParse(rules: ReadonlyMap<string, PegRule>, start: string, input: string): PegResult {
  try {
    return new PegRun(rules, input).run(start);
  } catch (err) {
    // The rule-depth bound is a guess at the stack's size; running out of stack means the same thing.
    if (err instanceof RangeError) throw new PegDepthError("expression nests too deeply");
    throw err;
  }
}

class PegRun {
  readonly #rules: ReadonlyMap<string, PegRule>;
  /** The input split into code points, with each one's position. */
  readonly #chars: string[] = [];
  readonly #positions: PegPosition[] = [];
  #pos = 0;
  #invert = false;
  #maxFail = 0;
  #expected: string[] = [];
  readonly #errors: PegError[] = [];
  readonly #ruleStack: PegRule[] = [];
  readonly #memo = new Map<string, Memo>();

  constructor(rules: ReadonlyMap<string, PegRule>, input: string) {
    this.#rules = rules;
    let line = 1;
    let col = 1;
    let offset = 0;
    for (const ch of input) {
      // pigeon counts a newline as column 0 of the line it starts.
      if (ch === "\n") {
        line++;
        col = 0;
      }
      this.#chars.push(ch);
      this.#positions.push({ line, col, offset });
      offset += Buffer.byteLength(ch, "utf8");
      col++;
    }
    this.#positions.push({ line, col, offset });
  }

  run(start: string): PegResult {
    const [ok, value] = this.#rule(start);
    if (ok && this.#errors.length === 0) return { ok: true, value };
    if (!ok && this.#errors.length === 0) {
      const set = new Set(this.#expected);
      const eof = set.delete("!.");
      const expected = [...set].sort(compareBytes);
      if (eof) expected.push("EOF");
      const pos = this.#positions[this.#maxFail] as PegPosition;
      return { ok: false, errors: [{ pos, message: `${prefix(pos)}: no match found, expected: ${listJoin(expected)}` }] };
    }
    const seen = new Set<string>();
    return { ok: false, errors: this.#errors.filter((e) => !seen.has(e.message) && seen.add(e.message) !== undefined) };
  }

  #rule(name: string): [boolean, unknown] {
    const rule = this.#rules.get(name);
    if (rule === undefined) throw new Error(`undefined rule ${name}`);
    const key = `${name}\u0000${this.#pos}\u0000${this.#invert ? 1 : 0}`;
    const memo = this.#memo.get(key);
    if (memo !== undefined) {
      this.#pos = memo.end;
      return [memo.ok, memo.value];
    }
    if (this.#ruleStack.length >= MAX_RULE_DEPTH) throw new PegDepthError("expression nests too deeply");
    this.#ruleStack.push(rule);
    const [ok, value] = this.#expr(rule.expr);
    this.#ruleStack.pop();
    this.#memo.set(key, { ok, value, end: this.#pos });
    return [ok, value];
  }

  #expr(e: PegExpr): [boolean, unknown] {
    switch (e.t) {
      case "lit": {
        const start = this.#pos;
        const want = JSON.stringify(e.val);
        for (const ch of e.val) {
          if (this.#chars[this.#pos] !== ch) {
            this.#failAt(false, start, want);
            this.#pos = start;
            return [false, undefined];
          }
          this.#pos++;
        }
        this.#failAt(true, start, want);
        return [true, e.val];
      }
      case "class":
      case "any": {
        const start = this.#pos;
        const ch = this.#chars[start];
        const want = e.t === "any" ? "." : e.val;
        if (ch === undefined || (e.t === "class" && !e.test(ch))) {
          this.#failAt(false, start, want);
          return [false, undefined];
        }
        this.#pos++;
        this.#failAt(true, start, want);
        return [true, ch];
      }
      case "seq": {
        const start = this.#pos;
        const values: unknown[] = [];
        for (const item of e.items) {
          const [ok, value] = this.#expr(item);
          if (!ok) {
            this.#pos = start;
            return [false, undefined];
          }
          values.push(value);
        }
        return [true, values];
      }
      case "choice":
        for (const alt of e.alts) {
          const result = this.#expr(alt);
          if (result[0]) return result;
        }
        return [false, undefined];
      case "star":
      case "plus": {
        const values: unknown[] = [];
        for (;;) {
          const [ok, value] = this.#expr(e.e);
          if (!ok) break;
          values.push(value);
        }
        return e.t === "plus" && values.length === 0 ? [false, undefined] : [true, values];
      }
      case "opt": {
        const [ok, value] = this.#expr(e.e);
        return [true, ok ? value : undefined];
      }
      case "not":
      case "and": {
        const start = this.#pos;
        if (e.t === "not") this.#invert = !this.#invert;
        const [ok] = this.#expr(e.e);
        if (e.t === "not") this.#invert = !this.#invert;
        this.#pos = start;
        return [e.t === "not" ? !ok : ok, undefined];
      }
      case "ref":
        return this.#rule(e.name);
      case "action": {
        const start = this.#pos;
        const [ok, value] = this.#expr(e.e);
        if (!ok) return [false, undefined];
        // The matched text is built only on demand: slicing it for every action is quadratic on long inputs.
        const end = this.#pos;
        const text = (): string => this.#chars.slice(start, end).join("");
        try {
          return [true, e.run(value, text)];
        } catch (err) {
          // pigeon records an action's error at the start of its match and keeps parsing.
          this.#addError(start, err instanceof Error ? err.message : String(err));
          return [true, undefined];
        }
      }
      case "check": {
        const err = e.run();
        if (err !== undefined) this.#addError(this.#pos, err.message);
        return [false, undefined];
      }
    }
  }

  /** pigeon's failAt: remember what was wanted at the farthest position any terminal was tried. */
  #failAt(failed: boolean, at: number, want: string): void {
    if (failed !== this.#invert) return;
    if (at < this.#maxFail) return;
    if (at > this.#maxFail) {
      this.#maxFail = at;
      this.#expected = [];
    }
    this.#expected.push(this.#invert ? `!${want}` : want);
  }

  #addError(at: number, message: string): void {
    const pos = this.#positions[at] as PegPosition;
    const rule = this.#ruleStack[this.#ruleStack.length - 1];
    const where = rule === undefined ? "" : `: rule ${rule.display ?? rule.name}`;
    this.#errors.push({ pos, message: `${prefix(pos)}${where}: ${message}` });
  }
}

function prefix(pos: PegPosition): string {
  return `${pos.line}:${pos.col} (${pos.offset})`;
}

/** Go's sort.Strings order: bytewise, which for these ASCII strings is code unit order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listJoin(list: readonly string[]): string {
  if (list.length <= 1) return list.join("");
  return `${list.slice(0, -1).join(", ")} or ${list[list.length - 1] as string}`;
}
