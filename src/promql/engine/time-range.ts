import type { Expr, SubqueryExpr, VectorSelector } from "../ast.js";

/**
 * The time range [mint, maxt] (ms) a query reads, over every selector, following offsets, `@`
 * and subqueries, as Prometheus's FindMinMaxTime. One querier over it serves the whole query.
 */
export function queryTimeRange(expr: Expr, start: number, end: number, lookbackDelta: number): [number, number] {
  let mint = Infinity;
  let maxt = -Infinity;
  const at = (n: VectorSelector | SubqueryExpr): number | undefined => (n.at === "start" ? start : n.at === "end" ? end : n.timestamp);
  const walk = (e: Expr, s: number, en: number): void => {
    switch (e.kind) {
      case "vector": {
        const a = at(e);
        mint = Math.min(mint, (a ?? s) - e.offset - lookbackDelta);
        maxt = Math.max(maxt, (a ?? en) - e.offset);
        return;
      }
      case "matrix": {
        const a = at(e.vector);
        mint = Math.min(mint, (a ?? s) - e.vector.offset - e.range);
        maxt = Math.max(maxt, (a ?? en) - e.vector.offset);
        return;
      }
      case "subquery": {
        const a = at(e);
        walk(e.expr, (a ?? s) - e.offset - e.range, (a ?? en) - e.offset);
        return;
      }
      case "paren":
      case "unary":
        walk(e.expr, s, en);
        return;
      case "binary":
        walk(e.lhs, s, en);
        walk(e.rhs, s, en);
        return;
      case "aggregate":
        if (e.param !== undefined) walk(e.param, s, en);
        walk(e.expr, s, en);
        return;
      case "call":
        for (const a of e.args) walk(a, s, en);
        return;
      case "number":
      case "string":
        return;
    }
  };
  walk(expr, start, end);
  if (mint === Infinity) return [start, end];
  return [mint, maxt];
}
