/**
 * go-bexpr's grammar (`grammar.peg` of v0.1.2, the version Consul's HTTP API is built with),
 * transcribed rule for rule so that acceptance, precedence and error text all match. Precedence
 * falls out of the rule nesting: `or` over `and` over `not` over a grouping or a single match.
 */
import type { FilterExpr, MatchExpr, MatchOperator } from "./ast.js";
import { FilterSyntaxError } from "./errors.js";
import { goUnquote } from "./go-strconv.js";
import { PegDepthError, pegParse } from "./peg.js";
import type { PegExpr, PegRule } from "./peg.js";

const lit = (val: string): PegExpr => ({ t: "lit", val });
const cls = (val: string, re: RegExp): PegExpr => ({ t: "class", val, test: (ch) => re.test(ch) });
const seq = (...items: PegExpr[]): PegExpr => ({ t: "seq", items });
const choice = (...alts: PegExpr[]): PegExpr => ({ t: "choice", alts });
const star = (e: PegExpr): PegExpr => ({ t: "star", e });
const plus = (e: PegExpr): PegExpr => ({ t: "plus", e });
const opt = (e: PegExpr): PegExpr => ({ t: "opt", e });
const not = (e: PegExpr): PegExpr => ({ t: "not", e });
const and = (e: PegExpr): PegExpr => ({ t: "and", e });
const ref = (name: string): PegExpr => ({ t: "ref", name });
const act = (e: PegExpr, run: (value: unknown, text: () => string) => unknown): PegExpr => ({ t: "action", e, run });
const fail = (message: string): PegExpr => ({ t: "check", run: () => new Error(message) });

const ws = ref("_");
const ows = opt(ws);
const at = (v: unknown, i: number): unknown => (v as unknown[])[i];
const operator = (op: MatchOperator, ...items: PegExpr[]): PegExpr => act(seq(...items), () => op);

function binary(kind: "or" | "and"): (v: unknown) => FilterExpr {
  return (v) => ({ kind, left: at(v, 0) as FilterExpr, right: at(v, 4) as FilterExpr });
}

function negate(v: unknown): FilterExpr {
  const operand = at(v, 2) as FilterExpr;
  // `not not x` is `x`, as in bexpr, which drops the double negation while parsing.
  return operand.kind === "not" ? operand.operand : { kind: "not", operand };
}

function match(selector: unknown, op: unknown, value?: unknown): MatchExpr {
  const base = { kind: "match" as const, selector: selector as string[], op: op as MatchOperator };
  return value === undefined ? base : { ...base, value: value as string };
}

const RULES: readonly PegRule[] = [
  {
    name: "Input",
    expr: choice(
      act(seq(ows, lit("("), ows, ref("OrExpression"), ows, lit(")"), ows, ref("EOF")), (v) => at(v, 3)),
      act(seq(ows, ref("OrExpression"), ows, ref("EOF")), (v) => at(v, 1)),
    ),
  },
  {
    name: "OrExpression",
    expr: choice(act(seq(ref("AndExpression"), ws, lit("or"), ws, ref("OrExpression")), binary("or")), ref("AndExpression")),
  },
  {
    name: "AndExpression",
    expr: choice(act(seq(ref("NotExpression"), ws, lit("and"), ws, ref("AndExpression")), binary("and")), ref("NotExpression")),
  },
  {
    name: "NotExpression",
    expr: choice(act(seq(lit("not"), ws, ref("NotExpression")), negate), ref("ParenthesizedExpression")),
  },
  {
    name: "ParenthesizedExpression",
    display: '"grouping"',
    expr: choice(
      act(seq(lit("("), ows, ref("OrExpression"), ows, lit(")")), (v) => at(v, 2)),
      ref("MatchExpression"),
      seq(lit("("), ows, ref("OrExpression"), ows, not(lit(")")), fail("Unmatched parentheses")),
    ),
  },
  {
    name: "MatchExpression",
    display: '"match"',
    expr: choice(ref("MatchSelectorOpValue"), ref("MatchSelectorOp"), ref("MatchValueOpSelector")),
  },
  {
    name: "MatchSelectorOpValue",
    display: '"match"',
    expr: act(
      seq(
        ref("Selector"),
        choice(...["MatchEqual", "MatchNotEqual", "MatchContains", "MatchNotContains", "MatchMatches", "MatchNotMatches"].map(ref)),
        ref("Value"),
      ),
      (v) => match(at(v, 0), at(v, 1), at(v, 2)),
    ),
  },
  {
    name: "MatchSelectorOp",
    display: '"match"',
    expr: act(seq(ref("Selector"), choice(ref("MatchIsEmpty"), ref("MatchIsNotEmpty"))), (v) => match(at(v, 0), at(v, 1))),
  },
  {
    name: "MatchValueOpSelector",
    display: '"match"',
    expr: choice(
      act(seq(ref("Value"), choice(ref("MatchIn"), ref("MatchNotIn")), ref("Selector")), (v) => match(at(v, 2), at(v, 1), at(v, 0))),
      seq(ref("Value"), choice(ref("MatchIn"), ref("MatchNotIn")), not(ref("Selector")), fail("Invalid selector")),
    ),
  },
  { name: "MatchEqual", expr: operator("==", ows, lit("=="), ows) },
  { name: "MatchNotEqual", expr: operator("!=", ows, lit("!="), ows) },
  { name: "MatchIsEmpty", expr: operator("is empty", ws, lit("is"), ws, lit("empty")) },
  { name: "MatchIsNotEmpty", expr: operator("is not empty", ws, lit("is"), ws, lit("not"), ws, lit("empty")) },
  { name: "MatchIn", expr: operator("in", ws, lit("in"), ws) },
  { name: "MatchNotIn", expr: operator("not in", ws, lit("not"), ws, lit("in"), ws) },
  { name: "MatchContains", expr: operator("in", ws, lit("contains"), ws) },
  { name: "MatchNotContains", expr: operator("not in", ws, lit("not"), ws, lit("contains"), ws) },
  { name: "MatchMatches", expr: operator("matches", ws, lit("matches"), ws) },
  { name: "MatchNotMatches", expr: operator("not matches", ws, lit("not"), ws, lit("matches"), ws) },
  {
    name: "Selector",
    display: '"selector"',
    expr: act(seq(ref("Identifier"), star(ref("SelectorOrIndex"))), (v) => [at(v, 0), ...(at(v, 1) as string[])]),
  },
  {
    name: "Identifier",
    expr: act(seq(cls("[a-zA-Z]", /^[a-zA-Z]$/), star(cls("[a-zA-Z0-9_]", /^[a-zA-Z0-9_]$/))), (_, text) => text()),
  },
  {
    name: "SelectorOrIndex",
    expr: choice(act(seq(lit("."), ref("Identifier")), (v) => at(v, 1)), ref("IndexExpression")),
  },
  {
    name: "IndexExpression",
    display: '"index"',
    expr: choice(
      act(seq(lit("["), ows, ref("StringLiteral"), ows, lit("]")), (v) => at(v, 2)),
      seq(lit("["), ows, not(ref("StringLiteral")), fail("Invalid index")),
      seq(lit("["), ows, ref("StringLiteral"), ows, not(lit("]")), fail("Unclosed index expression")),
    ),
  },
  {
    name: "Value",
    display: '"value"',
    expr: choice(act(ref("Selector"), (v) => (v as string[]).join(".")), ref("NumberLiteral"), ref("StringLiteral")),
  },
  {
    name: "NumberLiteral",
    display: '"number"',
    expr: choice(
      act(seq(opt(lit("-")), ref("IntegerOrFloat"), and(ref("AfterNumbers"))), (_, text) => text()),
      seq(opt(lit("-")), ref("IntegerOrFloat"), not(ref("AfterNumbers")), fail("Invalid number literal")),
    ),
  },
  { name: "AfterNumbers", expr: and(choice(ws, ref("EOF"), lit(")"))) },
  {
    name: "IntegerOrFloat",
    expr: seq(
      choice(lit("0"), seq(cls("[1-9]", /^[1-9]$/), star(cls("[0-9]", /^[0-9]$/)))),
      opt(seq(lit("."), plus(cls("[0-9]", /^[0-9]$/)))),
    ),
  },
  {
    name: "StringLiteral",
    display: '"string"',
    expr: choice(
      act(
        choice(seq(lit("`"), star(ref("RawStringChar")), lit("`")), seq(lit('"'), star(ref("DoubleStringChar")), lit('"'))),
        (_, text) => goUnquote(text()),
      ),
      seq(
        choice(seq(lit("`"), star(ref("RawStringChar"))), seq(lit('"'), star(ref("DoubleStringChar")))),
        ref("EOF"),
        fail("Unterminated string literal"),
      ),
    ),
  },
  { name: "RawStringChar", expr: seq(not(lit("`")), { t: "any" }) },
  { name: "DoubleStringChar", expr: seq(not(lit('"')), { t: "any" }) },
  { name: "_", display: '"whitespace"', expr: plus(cls("[ \\t\\r\\n]", /^[ \t\r\n]$/)) },
  { name: "EOF", expr: not({ t: "any" }) },
];

const RULE_TABLE: ReadonlyMap<string, PegRule> = new Map(RULES.map((r) => [r.name, r]));

/** Parses a filter expression; throws `FilterSyntaxError` carrying go-bexpr's error text. */
export function parseFilter(expr: string): FilterExpr {
  let result;
  try {
    result = pegParse(RULE_TABLE, "Input", expr);
  } catch (err) {
    if (err instanceof PegDepthError) throw new FilterSyntaxError(expr, { line: 1, col: 1, offset: 0 }, `1:1 (0): ${err.message}`);
    throw err;
  }
  if (result.ok) return result.value as FilterExpr;
  const first = result.errors[0];
  if (first === undefined) throw new FilterSyntaxError(expr, { line: 1, col: 1, offset: 0 }, "1:1 (0): no match found");
  throw new FilterSyntaxError(expr, first.pos, result.errors.map((e) => e.message).join("\n"));
}
