/**
 * Turns an error-free lezer tree of `@prometheus-io/lezer-promql` into our AST, with the checks
 * Prometheus's grammar actions make while reducing (`generated_parser.y`, `parse.go`: range and
 * offset targets, `@` bounds, aggregation arity, unknown functions). Type checking comes after,
 * in `check.ts`.
 *
 * The lezer grammar is looser than Prometheus's about precedence, and this is corrected here:
 * - postfix modifiers (`[…]`, `offset`, `@`) bind tighter than any operator in Prometheus, but
 *   lezer applies them to everything on their left (`a + b[5m]` is `(a + b)[5m]` to lezer), so
 *   they are pushed down onto the rightmost operand;
 * - a sign binds weaker than `^` (`-2^2` is `-(2^2)`), but lezer may read `-2` as one literal.
 */
import * as L from "@prometheus-io/lezer-promql";
import type {
  AggregateExpr, AggregateOp, BinaryExpr, BinaryOp, Call, Expr, MatrixSelector, NumberLiteral, PositionRange,
  StringLiteral, SubqueryExpr, VectorMatching, VectorSelector,
} from "../ast.js";
import { PromQLParseError } from "../errors.js";
import { Matcher, isValidLabelName, goQuote } from "../../model/index.js";
import type { MatchType } from "../../model/index.js";
import { FUNCTIONS } from "./functions.js";
import { formatFloat, parseDurationToken, parseNumber, unquoteString } from "./literals.js";

/** A node of the lezer syntax tree. */
export type SyntaxNode = ReturnType<typeof L.parser.parse>["topNode"];

/** What building needs besides the tree. */
export interface BuildContext {
  readonly query: string;
  readonly experimentalFunctions: boolean;
}

const BINARY_OPS: ReadonlyMap<number, BinaryOp> = new Map<number, BinaryOp>([
  [L.Pow, "^"], [L.Mul, "*"], [L.Div, "/"], [L.Mod, "%"], [L.Atan2, "atan2"], [L.Add, "+"], [L.Sub, "-"],
  [L.Eql, "=="], [L.Neq, "!="], [L.Gtr, ">"], [L.Lss, "<"], [L.Gte, ">="], [L.Lte, "<="],
  [L.And, "and"], [L.Or, "or"], [L.Unless, "unless"],
]);

const MATCH_OPS: ReadonlyMap<number, MatchType> = new Map<number, MatchType>([
  [L.EqlSingle, "="], [L.Neq, "!="], [L.EqlRegex, "=~"], [L.NeqRegex, "!~"],
]);

const PARAM_AGGREGATIONS: ReadonlySet<AggregateOp> = new Set<AggregateOp>([
  "topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio",
]);
const EXPERIMENTAL_AGGREGATIONS: ReadonlySet<AggregateOp> = new Set<AggregateOp>(["limitk", "limit_ratio"]);

// A duration may not exceed what a Go time.Duration (int64 nanoseconds) holds.
const MAX_DURATION_SECONDS = 2 ** 63 / 1e9;
const INT64_LIMIT = 2 ** 63;
const DURATION_TOKEN = /^(?!0[xX])[0-9]+[smhdwy][0-9smhdwy]*$/;

/** Builds the AST of the expression node `node`; throws PromQLParseError at the first problem. */
export function buildExpr(ctx: BuildContext, node: SyntaxNode): Expr {
  return new Builder(ctx).expr(node);
}

/** The named children of `node`, comments left out. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) if (c.type.id !== L.LineComment) out.push(c);
  return out;
}

interface DurationLiteral {
  readonly seconds: number;
  /** Milliseconds: exact for a duration token (`5m`), converted as Prometheus does for a number of seconds. */
  readonly ms: number;
  readonly pos: PositionRange;
}

class Builder {
  readonly #query: string;
  readonly #experimentalFunctions: boolean;

  constructor(ctx: BuildContext) {
    this.#query = ctx.query;
    this.#experimentalFunctions = ctx.experimentalFunctions;
  }

  expr(node: SyntaxNode): Expr {
    switch (node.type.id) {
      case L.ParenExpr:
        return { kind: "paren", expr: this.expr(this.#child(node, 0)), pos: range(node) };
      case L.NumberDurationLiteral:
        return this.#signedNumber(node);
      case L.StringLiteral:
        return this.#string(node);
      case L.VectorSelector:
        return this.#vectorSelector(node);
      case L.MatrixSelector:
        return this.#matrixSelector(node);
      case L.SubqueryExpr:
        return this.#subquery(node);
      case L.OffsetExpr:
        return this.#offset(node);
      case L.StepInvariantExpr:
        return this.#at(node);
      case L.AnchoredExpr:
      case L.SmoothedExpr:
        return this.#extendedRange(node);
      case L.UnaryExpr: {
        const [op, operand] = childrenOf(node) as [SyntaxNode, SyntaxNode];
        return unary(this.#text(op) as "+" | "-", this.expr(operand), node.from);
      }
      case L.BinaryExpr:
        return this.#binary(node);
      case L.AggregateExpr:
        return this.#aggregate(node);
      case L.FunctionCall:
        return this.#call(node);
    }
    return this.#fail(range(node), `unexpected ${node.type.name}`);
  }

  #fail(pos: PositionRange, reason: string): never {
    throw new PromQLParseError(this.#query, pos, reason);
  }

  #text(node: SyntaxNode | PositionRange): string {
    return this.#query.slice(("from" in node ? node.from : node.start), ("to" in node ? node.to : node.end));
  }

  #child(node: SyntaxNode, i: number): SyntaxNode {
    const c = childrenOf(node)[i];
    if (c === undefined) return this.#fail(range(node), `incomplete ${node.type.name}`);
    return c;
  }

  // The position of the first character at or after `pos` that is not whitespace or a comment.
  #skipTrivia(pos: number): number {
    const q = this.#query;
    while (pos < q.length) {
      const c = q[pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") pos++;
      else if (c === "#") while (pos < q.length && q[pos] !== "\n" && q[pos] !== "\r") pos++;
      else break;
    }
    return pos;
  }

  // --- literals ---

  #signedNumber(node: SyntaxNode): Expr {
    const first = this.#query[node.from];
    if (first !== "-" && first !== "+") return this.#unsignedNumber(node.from, node.to);
    return unary(first, this.#unsignedNumber(this.#skipTrivia(node.from + 1), node.to), node.from);
  }

  #unsignedNumber(from: number, to: number): NumberLiteral {
    const pos = { start: from, end: to };
    return { kind: "number", value: this.#numberValue(pos), pos };
  }

  // A NUMBER or DURATION token in seconds.
  #numberValue(pos: PositionRange): number {
    const ms = this.#durationTokenMs(pos);
    if (ms !== undefined) return ms / 1000;
    const number = parseNumber(this.#text(pos));
    if (number.error !== undefined) return this.#fail(pos, number.error);
    return number.value;
  }

  // A DURATION token in (exact) milliseconds; undefined for a NUMBER token.
  #durationTokenMs(pos: PositionRange): number | undefined {
    const text = this.#text(pos);
    if (!DURATION_TOKEN.test(text)) return undefined;
    const duration = parseDurationToken(text);
    if (duration.error !== undefined) return this.#fail(pos, duration.error);
    return duration.value;
  }

  #string(node: SyntaxNode): StringLiteral {
    return { kind: "string", value: unquoteString(this.#text(node)), pos: range(node) };
  }

  // --- selectors ---

  #vectorSelector(node: SyntaxNode): VectorSelector {
    let name: string | undefined;
    const matchers: Matcher[] = [];
    for (const c of childrenOf(node)) {
      if (c.type.id === L.Identifier) name = this.#text(c);
      else if (c.type.id === L.LabelMatchers) for (const m of childrenOf(c)) matchers.push(this.#matcher(m));
    }
    if (name !== undefined) matchers.push(new Matcher("=", "__name__", name));
    return { kind: "vector", name, matchers, offset: 0, timestamp: undefined, at: undefined, pos: range(node) };
  }

  #matcher(node: SyntaxNode): Matcher {
    const parts = childrenOf(node);
    if (node.type.id === L.QuotedLabelName) return new Matcher("=", "__name__", unquoteString(this.#text(node)));
    const [label, op, value] = parts as [SyntaxNode, SyntaxNode, SyntaxNode];
    const labelName = node.type.id === L.QuotedLabelMatcher ? unquoteString(this.#text(label)) : this.#text(label);
    const type = MATCH_OPS.get(this.#child(op, 0).type.id) as MatchType;
    try {
      return new Matcher(type, labelName, unquoteString(this.#text(value)));
    } catch (err) {
      return this.#fail({ start: label.from, end: value.to }, err instanceof Error ? err.message : String(err));
    }
  }

  #matrixSelector(node: SyntaxNode): Expr {
    const [inner, duration] = childrenOf(node) as [SyntaxNode, SyntaxNode];
    const target = this.expr(inner);
    const rangeMs = this.#positiveDuration(duration);
    const brackets = { start: this.#skipTrivia(inner.to), end: node.to };
    return pushDown(target, (t): MatrixSelector => {
      if (t.kind !== "vector") return this.#fail(brackets, "ranges only allowed for vector selectors");
      if (t.offset !== 0) return this.#fail(brackets, "no offset modifiers allowed before range");
      if (t.timestamp !== undefined || t.at !== undefined) return this.#fail(brackets, "no @ modifiers allowed before range");
      return { kind: "matrix", vector: t, range: rangeMs, pos: { start: t.pos.start, end: node.to } };
    });
  }

  #subquery(node: SyntaxNode): Expr {
    const [inner, rangeNode, stepNode] = childrenOf(node) as [SyntaxNode, SyntaxNode, SyntaxNode | undefined];
    const target = this.expr(inner);
    const rangeMs = this.#positiveDuration(rangeNode);
    const stepMs = stepNode === undefined ? 0 : this.#positiveDuration(stepNode);
    return pushDown(target, (t): SubqueryExpr => ({
      kind: "subquery", expr: t, range: rangeMs, step: stepMs, offset: 0, timestamp: undefined, at: undefined,
      pos: { start: t.pos.start, end: node.to },
    }));
  }

  #offset(node: SyntaxNode): Expr {
    const [inner, , duration] = childrenOf(node) as [SyntaxNode, SyntaxNode, SyntaxNode];
    const target = this.expr(inner);
    const offsetMs = this.#durationLiteral(duration).ms;
    const end = node.to;
    return pushDown(target, (t) => {
      const notMultiple = (current: number): void => {
        if (current !== 0) this.#fail(t.pos, "offset may not be set multiple times");
      };
      switch (t.kind) {
        case "vector":
          notMultiple(t.offset);
          return { ...t, offset: offsetMs, pos: { start: t.pos.start, end } };
        case "matrix":
          notMultiple(t.vector.offset);
          return { ...t, vector: { ...t.vector, offset: offsetMs }, pos: { start: t.pos.start, end } };
        case "subquery":
          notMultiple(t.offset);
          return { ...t, offset: offsetMs, pos: { start: t.pos.start, end } };
      }
      return this.#fail(t.pos, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    });
  }

  #at(node: SyntaxNode): Expr {
    const [inner, , value] = childrenOf(node) as [SyntaxNode, SyntaxNode, SyntaxNode];
    const target = this.expr(inner);
    const keyword = value.type.id === L.AtModifierPreprocessors ? (this.#text(value).toLowerCase() as "start" | "end") : undefined;
    let seconds = 0;
    if (keyword === undefined) {
      const literal = this.#signedNumber(value);
      seconds = literal.kind === "number" ? literal.value : NaN;
    }
    const end = node.to;
    return pushDown(target, (t) => {
      if (keyword === undefined && !(Number.isFinite(seconds) && seconds < INT64_LIMIT && seconds > -INT64_LIMIT)) {
        this.#fail(t.pos, `timestamp out of bounds for @ modifier: ${formatFixed6(seconds)}`);
      }
      const set = { timestamp: keyword === undefined ? secondsToTimestamp(seconds) : undefined, at: keyword };
      const once = (s: { timestamp: number | undefined; at: string | undefined }): void => {
        if (s.timestamp !== undefined || s.at !== undefined) this.#fail(t.pos, "@ <timestamp> may not be set multiple times");
      };
      switch (t.kind) {
        case "vector":
          once(t);
          return { ...t, ...set, pos: { start: t.pos.start, end } };
        case "matrix":
          once(t.vector);
          return { ...t, vector: { ...t.vector, ...set }, pos: { start: t.pos.start, end } };
        case "subquery":
          once(t);
          return { ...t, ...set, pos: { start: t.pos.start, end } };
      }
      return this.#fail(t.pos, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    });
  }

  #extendedRange(node: SyntaxNode): never {
    const modifier = node.type.id === L.AnchoredExpr ? "anchored" : "smoothed";
    let target = this.expr(this.#child(node, 0));
    while (target.kind === "binary" || target.kind === "unary") target = target.kind === "binary" ? target.rhs : target.expr;
    return this.#fail(target.pos, `${modifier} modifier is experimental and not enabled`);
  }

  // A duration literal, possibly signed, in seconds; anything else is a duration expression.
  // Prometheus checks the range of a signed offset only after applying the sign.
  #durationLiteral(node: SyntaxNode, checkRange = true): DurationLiteral {
    const parts = childrenOf(node);
    const [first, second] = parts;
    if (node.type.id === L.NumberDurationLiteralInDurationContext) {
      const pos = range(node);
      const exact = this.#durationTokenMs(pos);
      const seconds = exact === undefined ? this.#numberValue(pos) : exact / 1000;
      if (checkRange && !(Math.abs(seconds) <= MAX_DURATION_SECONDS)) this.#fail(pos, "duration out of range");
      return { seconds, ms: exact ?? secondsToMs(seconds), pos };
    }
    if (parts.length === 1 && first !== undefined && first.type.id === L.NumberDurationLiteralInDurationContext) {
      return this.#durationLiteral(first, checkRange);
    }
    if (parts.length === 2 && first?.type.id === L.UnaryOp && second !== undefined && second.type.id === node.type.id) {
      const inner = this.#durationLiteral(second, node.type.id !== L.OffsetDurationExpr);
      const negative = this.#text(first) === "-";
      const seconds = negative ? -inner.seconds : inner.seconds;
      if (!(Math.abs(seconds) <= MAX_DURATION_SECONDS)) this.#fail(range(first), "duration out of range");
      return { seconds, ms: negative ? -inner.ms || 0 : inner.ms, pos: { start: first.from, end: inner.pos.end } };
    }
    return this.#fail(range(node), "experimental duration expression is not enabled");
  }

  #positiveDuration(node: SyntaxNode): number {
    const literal = this.#durationLiteral(node);
    if (literal.seconds <= 0) this.#fail(literal.pos, "duration must be greater than 0");
    return literal.ms;
  }

  // --- operators ---

  #binary(node: SyntaxNode): Expr {
    const parts = childrenOf(node);
    const lhsNode = parts[0] as SyntaxNode;
    const rhsNode = parts[parts.length - 1] as SyntaxNode;
    const opNode = parts[1] as SyntaxNode;
    const op = BINARY_OPS.get(opNode.type.id);
    if (op === undefined) {
      // `</` and `>/` trim native histograms; the AST has no such operators.
      const text = this.#text(opNode);
      return this.#fail(range(opNode), `the ${goQuote(text)} operator (native histogram trimming) is not supported`);
    }
    // A sign in front of the left operand of `^` applies to the whole power (`-2^2` is -4), but
    // lezer may attach it to the operand, as a signed literal or a unary expression.
    const signs: { op: "+" | "-"; start: number }[] = [];
    let base = lhsNode;
    let lhs: Expr | undefined;
    while (op === "^" && lhs === undefined) {
      const sign = this.#query[base.from];
      if (base.type.id === L.UnaryExpr) {
        const [signNode, operand] = childrenOf(base) as [SyntaxNode, SyntaxNode];
        signs.push({ op: this.#text(signNode) as "+" | "-", start: base.from });
        base = operand;
      } else if (base.type.id === L.NumberDurationLiteral && (sign === "-" || sign === "+")) {
        signs.push({ op: sign, start: base.from });
        lhs = this.#unsignedNumber(this.#skipTrivia(base.from + 1), base.to);
      } else {
        lhs = this.expr(base);
        while (lhs.kind === "unary") {
          signs.push({ op: lhs.op, start: lhs.pos.start });
          lhs = lhs.expr;
        }
      }
    }
    lhs ??= this.expr(base);
    const rhs = this.expr(rhsNode);
    let returnBool = false;
    let matching: VectorMatching = { card: "one-to-one", on: false, labels: [], include: [] };
    for (const modifier of parts.slice(2, -1)) {
      if (modifier.type.id === L.BoolModifier) returnBool = true;
      else if (modifier.type.id === L.MatchingModifierClause) matching = this.#matching(modifier);
      else if (modifier.type.id === L.FillModifier) {
        this.#fail({ start: lhs.pos.start, end: rhs.pos.end }, "binop fill modifiers are experimental and not enabled");
      }
    }
    let result: Expr = rebalance({ kind: "binary", op, lhs, rhs, returnBool, matching, pos: { start: lhs.pos.start, end: rhs.pos.end } });
    for (let i = signs.length - 1; i >= 0; i--) {
      const sign = signs[i] as { op: "+" | "-"; start: number };
      result = unary(sign.op, result, sign.start);
    }
    return result;
  }

  #matching(node: SyntaxNode): VectorMatching {
    const parts = childrenOf(node);
    const on = parts[0]?.type.id === L.On;
    const labels = this.#groupingLabels(parts[1] as SyntaxNode);
    const group = parts[2];
    if (group === undefined) return { card: "one-to-one", on, labels, include: [] };
    const include = parts[3] === undefined ? [] : this.#groupingLabels(parts[3]);
    return { card: group.type.id === L.GroupLeft ? "many-to-one" : "one-to-many", on, labels, include };
  }

  #groupingLabels(node: SyntaxNode): string[] {
    return childrenOf(node).map((label) => {
      if (label.type.id === L.LabelName) return this.#text(label);
      const name = unquoteString(this.#text(label));
      if (!isValidLabelName(name)) this.#fail(range(label), `invalid label name for grouping: ${goQuote(name)}`);
      return name;
    });
  }

  // --- aggregations and calls ---

  #aggregate(node: SyntaxNode): AggregateExpr {
    let op: AggregateOp | undefined;
    let grouping: string[] = [];
    let without = false;
    let args: Expr[] = [];
    for (const part of childrenOf(node)) {
      if (part.type.id === L.AggregateOp) op = this.#text(part).toLowerCase() as AggregateOp;
      else if (part.type.id === L.AggregateModifier) {
        const [keyword, labels] = childrenOf(part) as [SyntaxNode, SyntaxNode];
        without = keyword.type.id === L.Without;
        grouping = this.#groupingLabels(labels);
      } else if (part.type.id === L.FunctionCallBody) args = childrenOf(part).map((a) => this.expr(a));
    }
    const pos = range(node);
    op ??= this.#fail(pos, "aggregation operator expected");
    if (args.length === 0) this.#fail(pos, "no arguments for aggregate expression provided");
    let desired = 1;
    if (PARAM_AGGREGATIONS.has(op)) {
      if (!this.#experimentalFunctions && EXPERIMENTAL_AGGREGATIONS.has(op)) {
        this.#fail(pos, `${op}() is experimental and must be enabled with --enable-feature=promql-experimental-functions`);
      }
      desired = 2;
    }
    if (args.length !== desired) {
      this.#fail(pos, `wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`);
    }
    const param = desired === 2 ? args[0] : undefined;
    return { kind: "aggregate", op, expr: args[desired - 1] as Expr, param, grouping, without, pos };
  }

  #call(node: SyntaxNode): Call {
    const [identifier, body] = childrenOf(node) as [SyntaxNode, SyntaxNode];
    const args = childrenOf(body).map((a) => this.expr(a));
    const name = this.#text(identifier);
    const signature = FUNCTIONS.get(name);
    if (signature === undefined) this.#fail(range(identifier), `unknown function with name ${goQuote(name)}`);
    if (name === "info") this.#fail(range(identifier), `function "info" is experimental and not supported`);
    if (signature.experimental && !this.#experimentalFunctions) this.#fail(range(identifier), `function ${goQuote(name)} is not enabled`);
    return { kind: "call", func: name, args, pos: range(node) };
  }
}

function range(node: SyntaxNode): PositionRange {
  return { start: node.from, end: node.to };
}

// A sign in front of a number literal is folded into it, as Prometheus's grammar does.
function unary(op: "+" | "-", operand: Expr, start: number): Expr {
  const pos = { start, end: operand.pos.end };
  if (operand.kind === "number") return { kind: "number", value: op === "-" ? -operand.value : operand.value, pos };
  return { kind: "unary", op, expr: operand, pos };
}

// Binding strength of the binary operators, as Prometheus's grammar orders them.
const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  or: 1, and: 2, unless: 2,
  "==": 3, "!=": 3, ">": 3, "<": 3, ">=": 3, "<=": 3,
  "+": 4, "-": 4,
  "*": 5, "/": 5, "%": 5, atan2: 5,
  "^": 6,
};

// When a postfix modifier made lezer group `a + b @ t` before a tighter operator (`* 0`), pushing
// the modifier down leaves `(a + b@t) * 0`; Prometheus reads `a + (b@t * 0)`. An unparenthesized
// left operand that binds weaker than the operator can only come from that, so it is rotated.
function rebalance(b: BinaryExpr): BinaryExpr {
  const l = b.lhs;
  if (l.kind !== "binary") return b;
  const outer = PRECEDENCE[b.op];
  const inner = PRECEDENCE[l.op];
  if (inner > outer || (inner === outer && b.op !== "^")) return b;
  const rhs = rebalance({ ...b, lhs: l.rhs, pos: { start: l.rhs.pos.start, end: b.rhs.pos.end } });
  return { ...l, rhs, pos: { start: l.pos.start, end: rhs.pos.end } };
}

// Applies a postfix modifier to the rightmost operand of an operator expression (see the header).
function pushDown(e: Expr, apply: (target: Expr) => Expr): Expr {
  if (e.kind === "binary") {
    const rhs = pushDown(e.rhs, apply);
    return { ...e, rhs, pos: { start: e.pos.start, end: rhs.pos.end } };
  }
  if (e.kind === "unary") {
    const operand = pushDown(e.expr, apply);
    return { ...e, expr: operand, pos: { start: e.pos.start, end: operand.pos.end } };
  }
  return apply(e);
}

// Prometheus keeps durations in nanoseconds (rounded) and the engine truncates them to milliseconds.
function secondsToMs(seconds: number): number {
  return Math.trunc(roundHalfAway(seconds * 1e9) / 1e6) || 0;
}

// timestamp.FromFloatSeconds: milliseconds rounded half away from zero.
function secondsToTimestamp(seconds: number): number {
  return roundHalfAway(seconds * 1000) || 0;
}

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

// Go's %f.
function formatFixed6(v: number): string {
  if (!Number.isFinite(v)) return formatFloat(v);
  if (Math.abs(v) >= 1e21) return `${BigInt(v).toString()}.000000`;
  return v.toFixed(6);
}
