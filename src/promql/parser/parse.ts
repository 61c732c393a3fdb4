/**
 * `parseExpr`: PromQL text to a type-checked AST, accepting and refusing what Prometheus 3's
 * parser does, with its error messages. The grammar is `@prometheus-io/lezer-promql`; `lexer.ts`
 * adds Prometheus's lexical errors, `build.ts` the grammar actions and `check.ts` the types.
 *
 * Not supported, each refused with an error naming it: duration expressions (`[5m+1m]`,
 * `step()` / `min_of()` in a range or offset), `anchored` / `smoothed`, `fill()` modifiers and
 * `info()`.
 */
import { parser } from "@prometheus-io/lezer-promql";
import type { Expr } from "../ast.js";
import { PromQLParseError } from "../errors.js";
import { buildExpr, childrenOf } from "./build.js";
import type { SyntaxNode } from "./build.js";
import { checkExpr } from "./check.js";
import { lex } from "./lexer.js";
import type { LexResult, Token } from "./lexer.js";
import { syntaxError } from "./syntax-error.js";

/** Settings of the parser. */
export interface ParseOptions {
  /**
   * Accept the functions and aggregations Prometheus calls experimental (`limitk`,
   * `mad_over_time`, `sort_by_label`, …; `experimental` in FUNCTIONS), as Prometheus does with
   * `--enable-feature=promql-experimental-functions`. Default false, as in Prometheus.
   */
  readonly enableExperimentalFunctions?: boolean;
}

/** Parses and type-checks a PromQL expression; throws PromQLParseError (message `line:col: parse error: …`). */
export function parseExpr(query: string, options: ParseOptions = {}): Expr {
  const lexed = lex(query);
  let input = lezerInput(query, lexed);
  let tree = parser.parse(input);
  let errorNode = firstError(tree);
  // `offset` where an operand is expected is a metric name to Prometheus but always a keyword to
  // lezer; such a token is handed to lezer as an identifier and the query parsed again.
  for (let after = -1; ; ) {
    const at = errorNode?.from;
    const token = lexed.tokens.find((t) => t.start === at && t.start > after && t.kind === "keyword" && t.text.toLowerCase() === "offset");
    if (token === undefined) break;
    after = token.start;
    input = input.slice(0, token.start) + "x".repeat(token.end - token.start) + input.slice(token.end);
    tree = parser.parse(input);
    errorNode = firstError(tree);
  }
  if (lexed.error === undefined && lexed.tokens.length === 1) {
    throw new PromQLParseError(query, { start: 0, end: 0 }, "no expression found in input");
  }
  const error = syntaxError(query, lexed, errorNode);
  if (error !== undefined) throw error;
  const exprNode = childrenOf(tree.topNode)[0];
  if (exprNode === undefined) throw new PromQLParseError(query, { start: 0, end: 0 }, "no expression found in input");
  const expr = buildExpr({ query, experimentalFunctions: options.enableExperimentalFunctions ?? false }, exprNode);
  checkExpr(query, expr);
  return expr;
}

function firstError(tree: ReturnType<typeof parser.parse>): SyntaxNode | undefined {
  let first: SyntaxNode | undefined;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError && (first === undefined || n.from < first.from)) first = n.node;
    },
  });
  return first;
}

// Lezer's number and duration tokens are narrower than Prometheus's (`5.`, `0X1F`, `5m1h`); such
// tokens are handed to lezer as zeros of the same length, so positions and the original text still
// line up, and the literal is judged (and refused, with Prometheus's words) when it is built.
const LEZER_NUMBER = /^(?:(?:[0-9]+(?:_?[0-9])*(?:\.[0-9]+(?:_?[0-9])*)?|\.[0-9]+(?:_?[0-9])*)(?:[eE][+-]?[0-9]+(?:_?[0-9])*)?|0x[0-9a-fA-F]+|[iI][nN][fF]|[nN][aA][nN])$/;

const LEZER_DURATION = /^(?=[0-9])(?:[0-9]+y)?(?:[0-9]+w)?(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?(?:[0-9]+ms)?$/;

function lezerInput(query: string, lexed: LexResult): string {
  let out: string | undefined;
  const replace = (t: Token, text: string): void => {
    out = (out ?? query).slice(0, t.start) + text + (out ?? query).slice(t.end);
  };
  const { tokens } = lexed;
  let brackets = 0;
  // For each open parenthesis, whether it is part of a duration (`offset max_of(…)`).
  const parens: boolean[] = [];
  const inDuration = (i: number): boolean => brackets > 0 || parens[parens.length - 1] === true || afterOffset(tokens, i);
  tokens.forEach((t, i) => {
    if (t.text === "[") brackets++;
    else if (t.text === "]") brackets--;
    else if (t.text === "(") parens.push(inDuration(i) || (SCALAR_FUNCTIONS_UNKNOWN_TO_LEZER.has(tokens[i - 1]?.text ?? "") && inDuration(i - 1)));
    else if (t.text === ")") parens.pop();
    else if (t.kind === "number" ? !LEZER_NUMBER.test(t.text) : t.kind === "duration" && !LEZER_DURATION.test(t.text)) {
      replace(t, "0".repeat(t.end - t.start));
    } else if (SCALAR_FUNCTIONS_UNKNOWN_TO_LEZER.has(t.text) && tokens[i + 1]?.text === "(" && !inDuration(i)) {
      // Spelled as a function lezer knows; the call is built with the name from the query.
      replace(t, "minute");
    }
  });
  return out ?? query;
}

// Prometheus's `min_of(a, b)` and `max_of(a, b)` are scalar functions outside durations too.
const SCALAR_FUNCTIONS_UNKNOWN_TO_LEZER = new Set(["min_of", "max_of"]);

function afterOffset(tokens: readonly Token[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && ["(", "-", "+"].includes((tokens[j] as Token).text)) j--;
  return j >= 0 && (tokens[j] as Token).text.toLowerCase() === "offset";
}
