import type { Matcher } from "../model/index.js";

/**
 * PromQL's abstract syntax tree, as Prometheus's `promql/parser/ast.go` defines it. Durations and
 * times are integer milliseconds. Every node carries its position range in the query text
 * (0-based UTF-16 offsets, `end` exclusive) so errors and annotations can point at it.
 */

/** The four value types an expression can have. */
export type ValueType = "scalar" | "vector" | "matrix" | "string";

/** Where a node is in the query text: [start, end) in UTF-16 code units. */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/** Binary operators, spelled as in PromQL. */
export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%" | "^" | "atan2"
  | "==" | "!=" | ">" | "<" | ">=" | "<="
  | "and" | "or" | "unless";

/** Aggregation operators. */
export type AggregateOp =
  | "sum" | "min" | "max" | "avg" | "group" | "stddev" | "stdvar" | "count" | "count_values"
  | "topk" | "bottomk" | "quantile" | "limitk" | "limit_ratio";

/** `@ start()` / `@ end()`, resolved to a time when the query's range is known. */
export type AtKeyword = "start" | "end";

export interface NumberLiteral {
  readonly kind: "number";
  readonly value: number;
  readonly pos: PositionRange;
}

export interface StringLiteral {
  readonly kind: "string";
  readonly value: string;
  readonly pos: PositionRange;
}

export interface VectorSelector {
  readonly kind: "vector";
  /** The metric name when written before the braces (it is also among `matchers`). */
  readonly name: string | undefined;
  /** All matchers, including `__name__="name"` for a name written before the braces. */
  readonly matchers: readonly Matcher[];
  /** `offset` in ms (negative allowed); 0 when absent. */
  readonly offset: number;
  /** `@ <time>` in ms; undefined when absent or when `at` is a keyword. */
  readonly timestamp: number | undefined;
  /** `@ start()` or `@ end()`. */
  readonly at: AtKeyword | undefined;
  readonly pos: PositionRange;
}

export interface MatrixSelector {
  readonly kind: "matrix";
  readonly vector: VectorSelector;
  /** Range in ms. */
  readonly range: number;
  readonly pos: PositionRange;
}

export interface SubqueryExpr {
  readonly kind: "subquery";
  readonly expr: Expr;
  /** Range in ms. */
  readonly range: number;
  /** Resolution in ms; 0 means the engine's default evaluation interval. */
  readonly step: number;
  readonly offset: number;
  readonly timestamp: number | undefined;
  readonly at: AtKeyword | undefined;
  readonly pos: PositionRange;
}

/** How the two sides of a vector/vector binary operation are matched. */
export interface VectorMatching {
  readonly card: "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";
  /** true for `on(...)`, false for `ignoring(...)` (or no clause). */
  readonly on: boolean;
  /** The labels in `on(...)` / `ignoring(...)`. */
  readonly labels: readonly string[];
  /** The labels in `group_left(...)` / `group_right(...)`. */
  readonly include: readonly string[];
}

export interface BinaryExpr {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** The `bool` modifier of a comparison. */
  readonly returnBool: boolean;
  /** Present when both sides are vectors (set operators always get many-to-many). */
  readonly matching: VectorMatching | undefined;
  readonly pos: PositionRange;
}

export interface UnaryExpr {
  readonly kind: "unary";
  readonly op: "+" | "-";
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export interface AggregateExpr {
  readonly kind: "aggregate";
  readonly op: AggregateOp;
  readonly expr: Expr;
  /** The parameter of topk, bottomk, quantile, count_values, limitk, limit_ratio. */
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  /** true for `without`, false for `by` (or no clause). */
  readonly without: boolean;
  readonly pos: PositionRange;
}

export interface Call {
  readonly kind: "call";
  /** The function's name (see `functions/catalog.ts` for its signature). */
  readonly func: string;
  readonly args: readonly Expr[];
  readonly pos: PositionRange;
}

export interface ParenExpr {
  readonly kind: "paren";
  readonly expr: Expr;
  readonly pos: PositionRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | BinaryExpr
  | UnaryExpr
  | AggregateExpr
  | Call
  | ParenExpr;

/** The value type of an expression, as Prometheus's `Expr.Type()`. */
export function typeOf(e: Expr, signatureReturn: (func: string) => ValueType): ValueType {
  switch (e.kind) {
    case "number":
      return "scalar";
    case "string":
      return "string";
    case "vector":
      return "vector";
    case "matrix":
    case "subquery":
      return "matrix";
    case "binary":
      return typeOf(e.lhs, signatureReturn) === "scalar" && typeOf(e.rhs, signatureReturn) === "scalar" ? "scalar" : "vector";
    case "unary":
    case "paren":
      return typeOf(e.expr, signatureReturn);
    case "aggregate":
      return "vector";
    case "call":
      return signatureReturn(e.func);
  }
}
