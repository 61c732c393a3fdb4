/**
 * Explains why a query does not parse in Prometheus's words. Prometheus's lexer errors come from
 * our port of it (`lexer.ts`); syntax errors are where lezer's error recovery put its first error
 * node, described as Prometheus's yacc error rules would: the unexpected token, and for the
 * places Prometheus has dedicated rules (label matchers, grouping labels, `offset`, `@`, ranges
 * and subqueries) the context and what was expected there.
 */
import * as L from "@prometheus-io/lezer-promql";
import type { PositionRange } from "../ast.js";
import { PromQLParseError } from "../errors.js";
import { goQuote } from "../../model/index.js";
import type { SyntaxNode } from "./build.js";
import { describeToken } from "./lexer.js";
import type { LexResult, Token } from "./lexer.js";

const GROUPING_KEYWORDS = new Set(["by", "without", "on", "ignoring"]);
const MATCH_OPS = new Set(["=", "!=", "=~", "!~"]);
const DURATION_HINT = "expected number, duration, step(), or range()";

/**
 * The error to report for `query`, given its tokens and the first lezer error node (if any);
 * undefined when neither the lexer nor lezer found a problem.
 */
export function syntaxError(query: string, lexed: LexResult, errorNode: SyntaxNode | undefined): PromQLParseError | undefined {
  const { tokens, error } = lexed;
  if (errorNode === undefined) {
    if (error === undefined) return undefined;
    return new PromQLParseError(query, { start: error.start, end: query.length }, error.reason);
  }
  // The token lezer could not use: the first one at or after its error node.
  let k = tokens.findIndex((t) => t.start >= errorNode.from || t.end > errorNode.from);
  if (error !== undefined && (k < 0 || error.tokenStart <= (tokens[k] as Token).start)) {
    return new PromQLParseError(query, { start: error.start, end: query.length }, error.reason);
  }
  if (k < 0) k = tokens.length - 1;
  const token = tokens[k] as Token;
  const prev = tokens[k - 1];
  const at = (pos: PositionRange, reason: string): PromQLParseError => new PromQLParseError(query, pos, reason);
  const unexpected = (context?: string, expected?: string): PromQLParseError => {
    let reason = `unexpected ${describeToken(token)}`;
    if (context !== undefined) reason += ` in ${context}`;
    if (expected !== undefined) reason += `, ${expected}`;
    return at({ start: token.start, end: token.end }, reason);
  };

  if (isDurationFunction(token) && inDurationContext(tokens, k)) {
    return at({ start: token.start, end: token.end }, "experimental duration expression is not enabled");
  }
  if (prev !== undefined) {
    if (token.text === ")" && prev.text === "," && errorNode.parent?.type.id === L.FunctionCallBody) {
      return at({ start: prev.start, end: prev.end }, "trailing commas not allowed in function call args");
    }
    if (token.text === "(" && prev.kind === "identifier" && prev.end <= errorNode.from) {
      return at({ start: prev.start, end: prev.end }, `unknown function with name ${goQuote(prev.text)}`);
    }
  }
  switch (context(errorNode)) {
    case "labels":
      return unexpected("label matching", labelMatchingHint(tokens, k));
    case "grouping":
      if (prev !== undefined && prev.kind === "keyword" && GROUPING_KEYWORDS.has(prev.text.toLowerCase())) {
        return unexpected("grouping opts", 'expected "("');
      }
      if (prev?.text === "(" || prev?.text === ",") return unexpected("grouping opts", "expected label");
      return unexpected("grouping opts", 'expected "," or ")"');
    case "modifier":
      if (prev !== undefined && prev.kind === "keyword" && GROUPING_KEYWORDS.has(prev.text.toLowerCase())) {
        return unexpected("grouping opts", 'expected "("');
      }
      break;
    case "offset":
      if (prev?.kind === "keyword" && prev.text.toLowerCase() === "offset") return unexpected("offset", DURATION_HINT);
      break;
    case "at":
      if (prev?.text === "@") return unexpected("@", "expected timestamp");
      break;
    case "brackets":
      return bracketError(tokens, k, unexpected);
  }
  return unexpected();
}

type Context = "labels" | "grouping" | "modifier" | "offset" | "at" | "brackets" | undefined;

// Where in the grammar the error node sits, as far as the messages care.
function context(node: SyntaxNode): Context {
  for (let n: SyntaxNode | null = node.parent; n !== null; n = n.parent) {
    switch (n.type.id) {
      case L.LabelMatchers:
      case L.UnquotedLabelMatcher:
      case L.QuotedLabelMatcher:
      case L.QuotedLabelName:
        return "labels";
      case L.GroupingLabels:
        return "grouping";
      case L.AggregateModifier:
      case L.MatchingModifierClause:
        return "modifier";
      case L.OffsetExpr:
      case L.OffsetDurationExpr:
        return "offset";
      case L.StepInvariantExpr:
        return "at";
      case L.MatrixSelector:
      case L.SubqueryExpr:
      case L.DurationExpr:
      case L.NumberDurationLiteralInDurationContext:
        return "brackets";
      default:
        if (n.type.id !== L.UnaryOp && !n.type.isError) return undefined;
    }
  }
  return undefined;
}

function labelMatchingHint(tokens: readonly Token[], k: number): string {
  const prev = tokens[k - 1];
  if (prev === undefined || prev.text === "{" || prev.text === ",") return 'expected identifier or "}"';
  if (prev.kind === "identifier") return "expected label matching operator";
  if (MATCH_OPS.has(prev.text)) return "expected string";
  return 'expected "," or "}"';
}

// Errors between `[` and `]`, phrased by how far the range or subquery got.
function bracketError(
  tokens: readonly Token[],
  k: number,
  unexpected: (context?: string, expected?: string) => PromQLParseError,
): PromQLParseError {
  let open = k - 1;
  while (open >= 0 && (tokens[open] as Token).text !== "[") open--;
  const inside = tokens.slice(open + 1, k);
  const colon = inside.findIndex((t) => t.text === ":");
  const isDuration = (t: Token | undefined): boolean => t !== undefined && (t.kind === "number" || t.kind === "duration");
  if (colon < 0) {
    if (inside.length === 1 && isDuration(inside[0])) return unexpected("subquery or range", 'expected ":" or "]"');
    return unexpected("subquery or range selector", DURATION_HINT);
  }
  const afterColon = inside.slice(colon + 1);
  if (afterColon.length === 0) return unexpected("subquery selector", 'expected number, duration, step(), range(), or "]"');
  return unexpected("subquery selector", 'expected "]"');
}

// `step()`, `range()`, `min_of(…)`, `max_of(…)` in any letter case.
function isDurationFunction(t: Token): boolean {
  const word = t.text.toLowerCase();
  return (t.kind === "preproc" && (word === "step" || word === "range")) || word === "min_of" || word === "max_of";
}

// Whether token k is inside `[…]` or in the duration after `offset`.
function inDurationContext(tokens: readonly Token[], k: number): boolean {
  let i = k - 1;
  while (i >= 0 && ["(", "-", "+"].includes((tokens[i] as Token).text)) i--;
  if (i >= 0 && (tokens[i] as Token).text.toLowerCase() === "offset") return true;
  let depth = 0;
  for (let j = 0; j < k; j++) {
    const text = (tokens[j] as Token).text;
    if (text === "[") depth++;
    else if (text === "]") depth--;
  }
  return depth > 0;
}
