/**
 * Type checking of a freshly built AST, as Prometheus's `checkAST` (`promql/parser/parse.go`):
 * argument types and counts, where `bool`, set operators and vector matching may appear, and
 * the selector rules. Throws the first error, with Prometheus's wording and position. It also
 * settles vector matching the way Prometheus does: set operators are many-to-many, and an
 * operation with a scalar side has no matching.
 */
import type { BinaryExpr, BinaryOp, Expr, PositionRange, ValueType } from "../ast.js";
import { PromQLParseError } from "../errors.js";
import { goQuote } from "../../model/index.js";
import { FUNCTIONS } from "./functions.js";

const COMPARISONS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(["==", "!=", ">", "<", ">=", "<="]);
const SET_OPERATORS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(["and", "or", "unless"]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Prometheus's `DocumentedType`: how value types are named in messages. */
export function documentedType(t: ValueType): string {
  switch (t) {
    case "vector":
      return "instant vector";
    case "matrix":
      return "range vector";
    default:
      return t;
  }
}

/** Checks `expr` (built from `query`) and returns its type; throws PromQLParseError at the first error. */
export function checkExpr(query: string, expr: Expr): ValueType {
  const fail = (pos: PositionRange, reason: string): never => {
    throw new PromQLParseError(query, pos, reason);
  };

  // The operator between the operands, without surrounding whitespace.
  const operatorRange = (n: BinaryExpr): PositionRange => {
    let start = n.lhs.pos.end;
    while (isSpace(query.charCodeAt(start))) start++;
    let end = n.rhs.pos.start - 1;
    while (isSpace(query.charCodeAt(end))) end--;
    return { start, end };
  };

  const expectType = (e: Expr, want: ValueType, context: string): void => {
    const got = check(e);
    if (got !== want) fail(e.pos, `expected type ${documentedType(want)} in ${context}, got ${documentedType(got)}`);
  };

  const check = (e: Expr): ValueType => {
    switch (e.kind) {
      case "number":
        return "scalar";
      case "string":
        return "string";
      case "paren":
        return check(e.expr);
      case "vector": {
        if (e.name !== undefined) {
          // The matcher for a name written before the braces is the last one.
          for (const m of e.matchers.slice(0, -1)) {
            if (m.name === "__name__") fail(e.pos, `metric name must not be set twice: ${goQuote(e.name)} or ${goQuote(m.value)}`);
          }
        } else if (!e.matchers.some((m) => !m.matches(""))) {
          fail(e.pos, "vector selector must contain at least one non-empty matcher");
        }
        return "vector";
      }
      case "matrix":
        check(e.vector);
        return "matrix";
      case "subquery": {
        const t = check(e.expr);
        if (t !== "vector") fail(e.pos, `subquery is only allowed on instant vector, got ${t} instead`);
        return "matrix";
      }
      case "unary": {
        const t = check(e.expr);
        if (t !== "scalar" && t !== "vector") {
          fail(e.pos, `unary expression only allowed on expressions of type scalar or instant vector, got ${goQuote(documentedType(t))}`);
        }
        return t;
      }
      case "aggregate":
        expectType(e.expr, "vector", "aggregation expression");
        if (e.op === "topk" || e.op === "bottomk" || e.op === "quantile" || e.op === "limitk" || e.op === "limit_ratio") {
          expectType(e.param as Expr, "scalar", "aggregation parameter");
        }
        if (e.op === "count_values") expectType(e.param as Expr, "string", "aggregation parameter");
        return "vector";
      case "call": {
        const f = FUNCTIONS.get(e.func);
        if (f === undefined) return fail(e.pos, `unknown function with name ${goQuote(e.func)}`);
        const n = f.argTypes.length;
        if (f.variadic === 0) {
          if (n !== e.args.length) fail(e.pos, `expected ${n} argument(s) in call to ${goQuote(f.name)}, got ${e.args.length}`);
        } else if (n - 1 > e.args.length) {
          fail(e.pos, `expected at least ${n - 1} argument(s) in call to ${goQuote(f.name)}, got ${e.args.length}`);
        } else if (f.variadic > 0 && n - 1 + f.variadic < e.args.length) {
          fail(e.pos, `expected at most ${n - 1 + f.variadic} argument(s) in call to ${goQuote(f.name)}, got ${e.args.length}`);
        }
        e.args.forEach((arg, i) => {
          if (i >= n && f.variadic === 0) return;
          const want = f.argTypes[Math.min(i, n - 1)] as ValueType;
          const got = check(arg);
          if (got !== want) {
            fail(arg.pos, `expected type ${documentedType(want)} in call to function ${goQuote(f.name)}, got ${documentedType(got)}`);
          }
        });
        return f.returnType;
      }
      case "binary":
        return checkBinary(e);
    }
  };

  const checkBinary = (n: Mutable<BinaryExpr>): ValueType => {
    const lt = check(n.lhs);
    const rt = check(n.rhs);
    const comparison = COMPARISONS.has(n.op);
    const setOperator = SET_OPERATORS.has(n.op);
    if (n.returnBool && !comparison) fail(operatorRange(n), "bool modifier can only be used on comparison operators");
    if (comparison && !n.returnBool && lt === "scalar" && rt === "scalar") {
      fail(operatorRange(n), "comparisons between scalars must use BOOL modifier");
    }
    let matching = n.matching;
    if (matching !== undefined) {
      if (setOperator && matching.card === "one-to-one") matching = { ...matching, card: "many-to-many" };
      if (matching.on) {
        for (const label of matching.labels) {
          if (matching.include.includes(label)) fail(operatorRange(n), `label ${goQuote(label)} must not occur in ON and GROUP clause at once`);
        }
      }
    }
    if (lt !== "scalar" && lt !== "vector") fail(n.lhs.pos, "binary expression must contain only scalar and instant vector types");
    if (rt !== "scalar" && rt !== "vector") fail(n.rhs.pos, "binary expression must contain only scalar and instant vector types");
    if ((lt !== "vector" || rt !== "vector") && matching !== undefined) {
      if (matching.labels.length > 0) fail(n.pos, "vector matching only allowed between instant vectors");
      matching = undefined;
    } else if (setOperator && matching !== undefined) {
      if (matching.card === "one-to-many" || matching.card === "many-to-one") fail(n.pos, `no grouping allowed for ${goQuote(n.op)} operation`);
      if (matching.card !== "many-to-many") fail(n.pos, "set operations must always be many-to-many");
    }
    if ((lt === "scalar" || rt === "scalar") && setOperator) fail(n.pos, `set operator ${goQuote(n.op)} not allowed in binary scalar expression`);
    n.matching = matching;
    return lt === "scalar" && rt === "scalar" ? "scalar" : "vector";
  };

  return check(expr);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
