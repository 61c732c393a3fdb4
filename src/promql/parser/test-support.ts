// Helpers for this folder's tests: ASTs without positions, with matchers as text, so tables stay readable.
import type { Expr, VectorMatching } from "../ast.js";

/** A plain-data view of an AST: no `pos`, matchers as `name="value"` text. */
export type Plain = { readonly [key: string]: unknown };

/** The plain view of `e`; with `sortMatchers`, matchers are in printing order (the printer sorts them). */
export function plain(e: Expr, sortMatchers = false): Plain {
  const p = (c: Expr): Plain => plain(c, sortMatchers);
  switch (e.kind) {
    case "number":
    case "string":
      return { kind: e.kind, value: e.value };
    case "vector":
      return {
        kind: "vector", name: e.name, matchers: sortMatchers ? e.matchers.map((m) => m.toString()).sort() : e.matchers.map((m) => m.toString()), offset: e.offset,
        timestamp: e.timestamp, at: e.at,
      };
    case "matrix":
      return { kind: "matrix", vector: p(e.vector), range: e.range };
    case "subquery":
      return { kind: "subquery", expr: p(e.expr), range: e.range, step: e.step, offset: e.offset, timestamp: e.timestamp, at: e.at };
    case "binary":
      return { kind: "binary", op: e.op, lhs: p(e.lhs), rhs: p(e.rhs), returnBool: e.returnBool, matching: e.matching };
    case "unary":
      return { kind: "unary", op: e.op, expr: p(e.expr) };
    case "aggregate":
      return {
        kind: "aggregate", op: e.op, expr: p(e.expr), param: e.param === undefined ? undefined : p(e.param),
        grouping: e.grouping, without: e.without,
      };
    case "call":
      return { kind: "call", func: e.func, args: e.args.map(p) };
    case "paren":
      return { kind: "paren", expr: p(e.expr) };
  }
}

/** Every node's `[kind, start, end]`, parents before children. */
export function positions(e: Expr): [string, number, number][] {
  const out: [string, number, number][] = [[e.kind, e.pos.start, e.pos.end]];
  const children: Expr[] = [];
  switch (e.kind) {
    case "matrix":
      children.push(e.vector);
      break;
    case "subquery":
    case "unary":
    case "paren":
      children.push(e.expr);
      break;
    case "binary":
      children.push(e.lhs, e.rhs);
      break;
    case "aggregate":
      if (e.param !== undefined) children.push(e.param);
      children.push(e.expr);
      break;
    case "call":
      children.push(...e.args);
      break;
  }
  for (const c of children) out.push(...positions(c));
  return out;
}

// Builders of plain ASTs.

export const num = (value: number): Plain => ({ kind: "number", value });
export const str = (value: string): Plain => ({ kind: "string", value });

/** A vector selector; `name` adds the `__name__` matcher last, as the parser does. */
export function vs(
  name: string | undefined,
  matchers: string[] = [],
  mods: { offset?: number; timestamp?: number; at?: "start" | "end" } = {},
): Plain {
  return {
    kind: "vector", name, matchers: name === undefined ? matchers : [...matchers, `__name__="${name}"`],
    offset: mods.offset ?? 0, timestamp: mods.timestamp, at: mods.at,
  };
}

export const matrix = (vector: Plain, range: number): Plain => ({ kind: "matrix", vector, range });

export function subquery(
  expr: Plain,
  range: number,
  step = 0,
  mods: { offset?: number; timestamp?: number; at?: "start" | "end" } = {},
): Plain {
  return { kind: "subquery", expr, range, step, offset: mods.offset ?? 0, timestamp: mods.timestamp, at: mods.at };
}

export function bin(op: string, lhs: Plain, rhs: Plain, matching?: Partial<VectorMatching>, returnBool = false): Plain {
  const m = matching === undefined ? undefined : { card: "one-to-one", on: false, labels: [], include: [], ...matching };
  return { kind: "binary", op, lhs, rhs, returnBool, matching: m };
}

/** A binary operation between two vectors with default (one-to-one, or many-to-many for set operators) matching. */
export function vbin(op: string, lhs: Plain, rhs: Plain, matching: Partial<VectorMatching> = {}, returnBool = false): Plain {
  const card = ["and", "or", "unless"].includes(op) ? "many-to-many" : "one-to-one";
  return bin(op, lhs, rhs, { card, ...matching }, returnBool);
}

export const unary = (op: "+" | "-", expr: Plain): Plain => ({ kind: "unary", op, expr });
export const paren = (expr: Plain): Plain => ({ kind: "paren", expr });
export const call = (func: string, ...args: Plain[]): Plain => ({ kind: "call", func, args });

export function agg(op: string, expr: Plain, opts: { param?: Plain; by?: string[]; without?: string[] } = {}): Plain {
  return {
    kind: "aggregate", op, expr, param: opts.param, grouping: opts.without ?? opts.by ?? [], without: opts.without !== undefined,
  };
}
