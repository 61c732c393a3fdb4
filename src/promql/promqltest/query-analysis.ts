/**
 * What a test query reads and which optional PromQL features it uses, found with the syntax tree
 * of `@prometheus-io/lezer-promql` (Prometheus's own grammar for editors, which knows every
 * experimental construct). The engine under test has its own parser; this one only serves the
 * runner: deciding what to skip, and writing the `@` variants of upstream's extra checks.
 *
 * Lezer's grammar binds postfix modifiers (`offset`, `@`, `anchored`) loosely: in `a + b @ 5` the
 * `@` node wraps the whole sum. PromQL binds them to the selector before them, so modifiers are
 * attached here by position: a wrapper belongs to the selector its operand ends with.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { METRIC_NAME, Matcher, type MatchType } from "../../model/index.js";
import { unquoteString } from "./string-literal.js";

type SyntaxNode = ReturnType<typeof parser.parse>["topNode"];

/** Optional parser features a query may use. */
export type QueryFeature = "duration-expression" | "extended-range-selector" | "fill-modifier";

/** What a query reads and uses. */
export interface QueryAnalysis {
  /** The matchers of every selector; `undefined` for a selector that could not be read (it may select anything). */
  readonly selectors: readonly (readonly Matcher[] | undefined)[];
  /** Names of the functions called. */
  readonly functions: ReadonlySet<string>;
  readonly features: ReadonlySet<QueryFeature>;
  /** The tree had errors; the analysis then comes from the text and `selectors` holds one `undefined`. */
  readonly approximate: boolean;
}

// Functions whose result depends on the evaluation time even when their arguments do not, so
// pinning selectors with `@` changes the answer (upstream's AtModifierUnsafeFunctions, plus the
// query-context functions).
const AT_UNSAFE_FUNCTIONS = new Set([
  "days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year",
  "predict_linear", "time", "timestamp", "start", "end", "range", "step",
]);

const MODIFIER_WRAPPERS = new Set(["StepInvariantExpr", "OffsetExpr", "AnchoredExpr", "SmoothedExpr"]);

/**
 * Rewrites, without moving any character, the few spellings Prometheus accepts and the editor
 * grammar does not: numbers with a trailing dot (`1./6.`) and upper-case function names (`STep()`).
 */
export function normalizeForGrammar(query: string): string {
  const out = query.split("");
  let i = 0;
  while (i < query.length) {
    const c = query[i] as string;
    if (c === '"' || c === "'" || c === "`") {
      i++;
      while (i < query.length && query[i] !== c) i += query[i] === "\\" && c !== "`" ? 2 : 1;
      i++;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const word = /^[a-zA-Z0-9_:]+/.exec(query.slice(i))?.[0] ?? c;
      if (/^\s*\(/.test(query.slice(i + word.length))) for (let k = 0; k < word.length; k++) out[i + k] = word[k]?.toLowerCase() ?? "";
      i += word.length;
    } else if (/[0-9]/.test(c)) {
      while (i < query.length && /[0-9]/.test(query[i] as string)) i++;
      if (query[i] === "." && !/[0-9]/.test(query[i + 1] ?? "")) out[i] = " ";
    } else {
      i++;
    }
  }
  return out.join("");
}

type Tree = ReturnType<typeof parser.parse>;

// The tree of a query, read from its normalized text; undefined when the grammar reports errors.
function parse(text: string): Tree | undefined {
  const tree = parser.parse(text);
  let error = false;
  tree.iterate({
    enter(n) {
      if (n.type.isError) error = true;
      return !error;
    },
  });
  return error ? undefined : tree;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) out.push(c);
  return out;
}

// A duration written as one literal (`5m`, `300`, `-1m` for offsets) rather than an expression.
function isLiteralDuration(node: SyntaxNode): boolean {
  const kids = children(node);
  if (kids.length === 1 && kids[0]?.name === "NumberDurationLiteralInDurationContext") return true;
  const [op, operand] = kids;
  return node.name === "OffsetDurationExpr" && kids.length === 2 && op?.name === "UnaryOp" && operand !== undefined && isLiteralDuration(operand);
}

/** Finds the selectors, functions and optional features of a query. */
export function analyzeQuery(query: string): QueryAnalysis {
  const text = normalizeForGrammar(query);
  const tree = parse(text);
  if (tree === undefined) return analyzeText(query);
  const selectors: (readonly Matcher[] | undefined)[] = [];
  const functions = new Set<string>();
  const features = new Set<QueryFeature>();
  tree.iterate({
    enter(ref) {
      const node = ref.node;
      const parentName = node.parent?.name;
      switch (node.name) {
        case "VectorSelector":
          selectors.push(readSelector(text, node));
          return false;
        case "FunctionIdentifier":
          functions.add(text.slice(node.from, node.to));
          return false;
        case "DurationExpr":
          if ((parentName === "MatrixSelector" || parentName === "SubqueryExpr") && !isLiteralDuration(node)) features.add("duration-expression");
          return false;
        case "OffsetDurationExpr":
          if (!isLiteralDuration(node)) features.add("duration-expression");
          return false;
        case "AnchoredExpr":
        case "SmoothedExpr":
          features.add("extended-range-selector");
          return true;
        case "FillModifier":
          features.add("fill-modifier");
          return false;
        default:
          return true;
      }
    },
  });
  return { selectors, functions, features, approximate: false };
}

// The matchers of a VectorSelector node; undefined when a matcher cannot be built.
function readSelector(text: string, node: SyntaxNode): readonly Matcher[] | undefined {
  const slice = (n: SyntaxNode | null): string => (n === null ? "" : text.slice(n.from, n.to));
  try {
    const matchers: Matcher[] = [];
    for (const part of children(node)) {
      if (part.name === "Identifier") matchers.push(new Matcher("=", METRIC_NAME, slice(part)));
      if (part.name !== "LabelMatchers") continue;
      for (const m of children(part)) {
        if (m.name === "QuotedLabelName") {
          matchers.push(new Matcher("=", METRIC_NAME, unquoteString(slice(m))));
        } else if (m.name === "UnquotedLabelMatcher" || m.name === "QuotedLabelMatcher") {
          const [name, op, value] = children(m);
          const label = name?.name === "LabelName" ? slice(name) : unquoteString(slice(name ?? null));
          matchers.push(new Matcher(slice(op ?? null) as MatchType, label, unquoteString(slice(value ?? null))));
        }
      }
    }
    return matchers;
  } catch {
    return undefined;
  }
}

// For text the grammar does not accept: look for the same things with regular expressions,
// erring towards finding a feature, and assume the query may select anything.
function analyzeText(query: string): QueryAnalysis {
  const functions = new Set<string>();
  for (const m of query.matchAll(/\b([a-zA-Z_][a-zA-Z0-9_]*)\s*\(/g)) functions.add(m[1] as string);
  const features = new Set<QueryFeature>();
  if (/\b(anchored|smoothed)\b/.test(query)) features.add("extended-range-selector");
  if (/\bfill(_left|_right)?\s*\(/.test(query)) features.add("fill-modifier");
  if (/\[[^\]]*[-+*/%^(][^\]]*\]|\boffset\s*[-+]?\s*[(a-z]/i.test(query)) features.add("duration-expression");
  return { selectors: [undefined], functions, features, approximate: true };
}

/**
 * The query with `@ <t>` added to every selector and subquery that has none, leaving alone what is
 * inside a subquery (upstream pins the subquery itself), as upstream's extra instant-eval check
 * does. Undefined when the query calls a function that makes this change its result, or when the
 * grammar does not accept the query.
 */
export function withAtModifier(query: string, tMs: number): string | undefined {
  const text = normalizeForGrammar(query);
  const tree = parse(text);
  if (tree === undefined) return undefined;
  // Modifier wrappers by the end of their operand; a selector's modifiers chain from its end.
  const wrappersByOperandEnd = new Map<number, SyntaxNode[]>();
  tree.iterate({
    enter(ref) {
      if (!MODIFIER_WRAPPERS.has(ref.name)) return;
      const operand = ref.node.firstChild;
      if (operand === null) return;
      const list = wrappersByOperandEnd.get(operand.to) ?? [];
      list.push(ref.node);
      wrappersByOperandEnd.set(operand.to, list);
    },
  });
  const hasAt = (end: number): boolean => {
    for (;;) {
      const wrappers = wrappersByOperandEnd.get(end);
      if (wrappers === undefined) return false;
      if (wrappers.some((w) => w.name === "StepInvariantExpr")) return true;
      const next = Math.max(...wrappers.map((w) => w.to));
      if (next === end) return false;
      end = next;
    }
  };
  const inserts: number[] = [];
  let unsafe = false;
  tree.iterate({
    enter(ref) {
      switch (ref.name) {
        case "VectorSelector":
        case "MatrixSelector":
        case "SubqueryExpr":
          if (!hasAt(ref.to)) inserts.push(ref.to);
          // A matrix selector's vector selector shares its `@`; a subquery's inside stays as it is.
          return false;
        case "FunctionIdentifier":
          if (AT_UNSAFE_FUNCTIONS.has(text.slice(ref.from, ref.to))) unsafe = true;
          return false;
        default:
          return !unsafe;
      }
    },
  });
  if (unsafe) return undefined;
  const at = ` @ ${(tMs / 1000).toFixed(3)}`;
  let out = query;
  for (const pos of [...new Set(inserts)].sort((a, b) => b - a)) out = out.slice(0, pos) + at + out.slice(pos);
  return out;
}
