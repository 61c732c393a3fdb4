/**
 * The syntax tree of a query as `/api/v1/parse_query` answers it: Prometheus 3's `translateAST`
 * shape (the tree view of its UI). Go marshals those maps with sorted keys, so every object here
 * lists its keys alphabetically.
 */
import type { Expr, ValueType, VectorSelector } from "../promql/index.js";
import { formatFixed } from "./query-json.js";

/** A function's signature as Prometheus's `parser.Function` reports it. */
export interface FunctionSignature {
  readonly argTypes: readonly ValueType[];
  /** 0: fixed arity; n > 0: up to n optional arguments; -1: any number. */
  readonly variadic: number;
  readonly returnType: ValueType;
}

/** Looks up a function's signature by name. */
export type SignatureLookup = (name: string) => FunctionSignature;

/** The JSON-ready tree of `expr`. */
export function astJson(expr: Expr, signature: SignatureLookup): unknown {
  const walk = (e: Expr): unknown => {
    switch (e.kind) {
      case "aggregate":
        return {
          expr: walk(e.expr),
          grouping: e.grouping,
          op: e.op,
          param: e.param === undefined ? null : walk(e.param),
          type: "aggregation",
          without: e.without,
        };
      case "binary":
        return {
          bool: e.returnBool,
          lhs: walk(e.lhs),
          matching: e.matching === undefined ? null : { card: e.matching.card, include: e.matching.include, labels: e.matching.labels, on: e.matching.on },
          op: e.op,
          rhs: walk(e.rhs),
          type: "binaryExpr",
        };
      case "call": {
        const sig = signature(e.func);
        return {
          args: e.args.map(walk),
          func: { argTypes: sig.argTypes, name: e.func, returnType: sig.returnType, variadic: sig.variadic },
          type: "call",
        };
      }
      case "matrix":
        return {
          matchers: matchersJson(e.vector),
          name: e.vector.name ?? "",
          offset: e.vector.offset,
          range: e.range,
          startOrEnd: e.vector.at ?? null,
          timestamp: e.vector.timestamp ?? null,
          type: "matrixSelector",
        };
      case "subquery":
        return {
          expr: walk(e.expr),
          offset: e.offset,
          range: e.range,
          startOrEnd: e.at ?? null,
          step: e.step,
          timestamp: e.timestamp ?? null,
          type: "subquery",
        };
      case "number":
        return { type: "numberLiteral", val: formatFixed(e.value) };
      case "paren":
        return { expr: walk(e.expr), type: "parenExpr" };
      case "string":
        return { type: "stringLiteral", val: e.value };
      case "unary":
        return { expr: walk(e.expr), op: e.op, type: "unaryExpr" };
      case "vector":
        return {
          matchers: matchersJson(e),
          name: e.name ?? "",
          offset: e.offset,
          startOrEnd: e.at ?? null,
          timestamp: e.timestamp ?? null,
          type: "vectorSelector",
        };
    }
  };
  return walk(expr);
}

function matchersJson(vs: VectorSelector): unknown[] {
  return vs.matchers.map((m) => ({ name: m.name, type: m.type, value: m.value }));
}

/** The vector selectors of `expr` (inside range selectors and subqueries too), in query order. */
export function selectorsOf(expr: Expr): VectorSelector[] {
  const out: VectorSelector[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case "vector":
        out.push(e);
        return;
      case "matrix":
        out.push(e.vector);
        return;
      case "number":
      case "string":
        return;
      case "binary":
        walk(e.lhs);
        walk(e.rhs);
        return;
      case "aggregate":
        if (e.param !== undefined) walk(e.param);
        walk(e.expr);
        return;
      case "call":
        e.args.forEach(walk);
        return;
      case "subquery":
      case "paren":
      case "unary":
        walk(e.expr);
        return;
    }
  };
  walk(expr);
  return out;
}
