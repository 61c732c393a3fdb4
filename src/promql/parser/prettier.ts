/**
 * `prettify`: Prometheus's `parser.Prettify` (`promql/parser/prettier.go`), the multi-line form
 * `/api/v1/format_query` returns. A node whose one-line form is longer than 100 bytes is split:
 * operands, arguments and parenthesised expressions go on their own lines, indented two spaces
 * per level; shorter nodes stay on one line. Prometheus's quirk of not indenting a subquery that
 * fits on its line is kept, so the output matches byte for byte.
 */
import type { Expr } from "../ast.js";
import { aggregateOperatorString, binaryOperatorString, exprToString, subquerySuffix } from "./printer.js";

const COLUMN_LIMIT = 100;

/** Prometheus's multi-line rendering of `expr`. */
export function prettify(expr: Expr): string {
  return prettifyWithLimit(expr, COLUMN_LIMIT);
}

/** `prettify` with another line-length limit; Prometheus's own tests use 10. */
export function prettifyWithLimit(expr: Expr, limit: number): string {
  const needsSplit = (e: Expr): boolean => Buffer.byteLength(exprToString(e)) > limit;
  const pretty = (e: Expr, level: number): string => {
    const indent = "  ".repeat(level);
    switch (e.kind) {
      case "aggregate": {
        if (!needsSplit(e)) return indent + exprToString(e);
        const param = e.param === undefined ? "" : `${pretty(e.param, level + 1)},\n`;
        return `${indent}${aggregateOperatorString(e)}(\n${param}${pretty(e.expr, level + 1)}\n${indent})`;
      }
      case "binary":
        if (!needsSplit(e)) return indent + exprToString(e);
        return `${pretty(e.lhs, level + 1)}\n${indent}${binaryOperatorString(e)}\n${pretty(e.rhs, level + 1)}`;
      case "call":
        if (!needsSplit(e)) return indent + exprToString(e);
        return `${indent}${e.func}(\n${e.args.map((a) => pretty(a, level + 1)).join(",\n")}\n${indent})`;
      case "paren":
        if (!needsSplit(e)) return indent + exprToString(e);
        return `${indent}(\n${pretty(e.expr, level + 1)}\n${indent})`;
      case "subquery":
        if (!needsSplit(e)) return exprToString(e);
        return pretty(e.expr, level) + subquerySuffix(e.range, e.step, e);
      case "unary":
        return indent + e.op + pretty(e.expr, level).trim();
      default:
        return indent + exprToString(e);
    }
  };
  return pretty(expr, 0);
}
