/**
 * `exprToString`: Prometheus's `String()` of an expression (`promql/parser/printer.go`), the
 * canonical one-line form: `sum by (job) (rate(x[5m]))`, matchers sorted, durations as
 * `model.Duration` prints them, `@` times in seconds with three decimals.
 */
import type { AggregateExpr, BinaryExpr, Expr, VectorSelector } from "../ast.js";
import { compareStrings, formatDuration, goQuote, isValidLegacyLabelName } from "../../model/index.js";
import { formatFloat } from "./literals.js";

/** The canonical single-line PromQL text of `expr`; parsing it gives `expr` back, but for positions and the order of matchers (sorted). */
export function exprToString(expr: Expr): string {
  switch (expr.kind) {
    case "number":
      return formatFloat(expr.value);
    case "string":
      return goQuote(expr.value);
    case "paren":
      return `(${exprToString(expr.expr)})`;
    case "unary":
      return `${expr.op}${exprToString(expr.expr)}`;
    case "vector":
      return selectorString(expr) + atString(expr) + offsetString(expr.offset);
    case "matrix":
      return `${selectorString(expr.vector)}[${formatDuration(expr.range)}]${atString(expr.vector)}${offsetString(expr.vector.offset)}`;
    case "subquery":
      return exprToString(expr.expr) + subquerySuffix(expr.range, expr.step, expr);
    case "binary":
      return `${exprToString(expr.lhs)} ${binaryOperatorString(expr)} ${exprToString(expr.rhs)}`;
    case "aggregate":
      return `${aggregateOperatorString(expr)}(${expr.param === undefined ? "" : `${exprToString(expr.param)}, `}${exprToString(expr.expr)})`;
    case "call":
      return `${expr.func}(${expr.args.map(exprToString).join(", ")})`;
  }
}

/** `[range:step] @ t offset d` of a subquery. */
export function subquerySuffix(range: number, step: number, modifiers: AtOffset): string {
  return `[${formatDuration(range)}:${step === 0 ? "" : formatDuration(step)}]${atString(modifiers)}${offsetString(modifiers.offset)}`;
}

/** The operator with its `bool` and vector matching modifiers: `/ on (a) group_left (b)`. */
export function binaryOperatorString(e: BinaryExpr): string {
  let s = e.op + (e.returnBool ? " bool" : "");
  const m = e.matching;
  if (m === undefined) return s;
  const grouped = m.card === "many-to-one" || m.card === "one-to-many";
  if (m.labels.length > 0 || m.on || grouped) s += ` ${m.on ? "on" : "ignoring"} (${labelList(m.labels)})`;
  if (grouped) s += ` group_${m.card === "many-to-one" ? "left" : "right"} (${labelList(m.include)})`;
  return s;
}

/** The aggregation operator with its grouping: `sum by (job) `, `topk`. */
export function aggregateOperatorString(e: AggregateExpr): string {
  if (e.without) return `${e.op} without (${labelList(e.grouping)}) `;
  if (e.grouping.length > 0) return `${e.op} by (${labelList(e.grouping)}) `;
  return e.op;
}

interface AtOffset {
  readonly offset: number;
  readonly timestamp: number | undefined;
  readonly at: "start" | "end" | undefined;
}

function selectorString(v: VectorSelector): string {
  const labels = v.matchers
    .filter((m) => !(m.name === "__name__" && m.type === "=" && m.value === v.name && m.value !== ""))
    .map((m) => m.toString())
    .sort(compareStrings);
  return (v.name ?? "") + (labels.length > 0 ? `{${labels.join(",")}}` : "");
}

function atString(m: AtOffset): string {
  if (m.timestamp !== undefined) return ` @ ${(m.timestamp / 1000).toFixed(3)}`;
  if (m.at !== undefined) return ` @ ${m.at}()`;
  return "";
}

function offsetString(offset: number): string {
  if (offset > 0) return ` offset ${formatDuration(offset)}`;
  if (offset < 0) return ` offset -${formatDuration(-offset)}`;
  return "";
}

function labelList(labels: readonly string[]): string {
  return labels.map((l) => (isValidLegacyLabelName(l) ? l : goQuote(l))).join(", ");
}
