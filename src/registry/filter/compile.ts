/**
 * Checks a parsed filter against a schema and turns it into a predicate, with the semantics of
 * go-bexpr 0.1.2 (the version Consul's catalog, health and agent endpoints use):
 * - every selector must name a field of the schema, each field supports a fixed set of
 *   operators, and every literal must convert to the field's type, all checked up front;
 * - a selector that passes through a list of objects (`Checks.Status`) is true when the test
 *   holds for any element, and false for an empty list whatever the operator;
 * - a missing map key makes `==`, `in` and `is not empty` false and every other operator true;
 * - a field absent from the JSON, or `null`, reads as Go's zero value for its type.
 */
import { compileRE2, goQuote } from "../../model/index.js";
import type { FilterExpr, MatchExpr, MatchOperator } from "./ast.js";
import { FilterEvaluationError, FilterValidationError } from "./errors.js";
import { GoSyntaxError, goParseBool, goParseFloat, goParseInt, goParseUint } from "./go-strconv.js";
import { parseFilter } from "./grammar.js";
import type { FieldSchema, FilterSchema, ScalarKind } from "./schema.js";

/** A compiled filter: true keeps the value. */
export type FilterPredicate = (value: unknown) => boolean;

/** A literal converted to the type of the field it is compared with. */
type Scalar = string | boolean | bigint | number;

/** Go's names for the operators, which appear in bexpr's error messages. */
const OPERATOR_NAMES: Readonly<Record<MatchOperator, string>> = {
  "==": "Equal",
  "!=": "Not Equal",
  in: "In",
  "not in": "Not In",
  "is empty": "Is Empty",
  "is not empty": "Is Not Empty",
  matches: "Matches",
  "not matches": "Not Matches",
};

const STRING_OPS: readonly MatchOperator[] = ["==", "!=", "in", "not in", "matches", "not matches"];
const SCALAR_OPS: readonly MatchOperator[] = ["==", "!="];
const SCALAR_LIST_OPS: readonly MatchOperator[] = ["in", "not in", "is empty", "is not empty"];
const LIST_OPS: readonly MatchOperator[] = ["is empty", "is not empty"];
const MAP_OPS: readonly MatchOperator[] = ["is empty", "is not empty", "in", "not in"];

/** Operators a missing map key satisfies; bexpr 0.1.2 answers true for every operator not listed as false. */
const MISSING_KEY_FALSE: ReadonlySet<MatchOperator> = new Set(["==", "is not empty", "in"]);

/** Parses `expr`, checks it against `schema`, and returns a predicate over objects of that shape. */
export function compileFilter(expr: string, schema: FilterSchema): FilterPredicate {
  return compileExpr(parseFilter(expr), { kind: "struct", fields: schema });
}

/** Compiles an already parsed filter; throws `FilterValidationError` as `compileFilter` does. */
export function compileParsedFilter(expr: FilterExpr, schema: FilterSchema): FilterPredicate {
  return compileExpr(expr, { kind: "struct", fields: schema });
}

/**
 * Compiles the pattern of a `matches` test. RE2 syntax is translated by `model` so that `\d`,
 * `(?i)` and friends mean what they mean in Consul; the match is unanchored, like Go's `Match`.
 */
export function compileFilterRegex(pattern: string): RegExp {
  return compileRE2(pattern);
}

function compileExpr(expr: FilterExpr, root: FieldSchema): FilterPredicate {
  switch (expr.kind) {
    case "or": {
      const left = compileExpr(expr.left, root);
      const right = compileExpr(expr.right, root);
      return (v) => left(v) || right(v);
    }
    case "and": {
      const left = compileExpr(expr.left, root);
      const right = compileExpr(expr.right, root);
      return (v) => left(v) && right(v);
    }
    case "not": {
      const operand = compileExpr(expr.operand, root);
      return (v) => !operand(v);
    }
    case "match":
      return compileMatch(expr, root);
  }
}

function compileMatch(expr: MatchExpr, root: FieldSchema): FilterPredicate {
  const name = expr.selector.join(".");
  let target = root;
  for (let i = 0; i < expr.selector.length; i++) {
    const next = child(target, expr.selector[i] as string);
    if (next === undefined) {
      throw new FilterValidationError(name, `Selector ${goQuote(expr.selector.slice(0, i + 1).join("."))} is not valid`);
    }
    target = next;
  }
  if (!operators(target).includes(expr.op)) {
    throw new FilterValidationError(name, `Invalid match operator ${goQuote(OPERATOR_NAMES[expr.op])} for selector ${goQuote(name)}`);
  }
  const test = compileTest(expr, name, target);
  return (value) => walk(expr, name, root, value, 0, test);
}

/** The field one selector segment reaches from `schema`, as bexpr's field configurations nest. */
function child(schema: FieldSchema, segment: string): FieldSchema | undefined {
  switch (schema.kind) {
    case "struct":
      return Object.hasOwn(schema.fields, segment) ? schema.fields[segment] : undefined;
    case "map":
      return schema.value;
    case "list":
      // A list of objects exposes its elements' fields directly: `Checks.Status`.
      return child(schema.element, segment);
    default:
      return undefined;
  }
}

function operators(schema: FieldSchema): readonly MatchOperator[] {
  switch (schema.kind) {
    case "string":
      return STRING_OPS;
    case "bool":
    case "int":
    case "uint":
    case "float":
      return SCALAR_OPS;
    case "list":
      return isScalar(schema.element) ? SCALAR_LIST_OPS : LIST_OPS;
    case "map":
      return MAP_OPS;
    case "struct":
      return [];
  }
}

function isScalar(schema: FieldSchema): schema is { readonly kind: ScalarKind } {
  return schema.kind !== "list" && schema.kind !== "map" && schema.kind !== "struct";
}

/** The type literals convert to: the field's own, a list's element type, or string for map keys. */
function literalKind(schema: FieldSchema): ScalarKind | undefined {
  if (isScalar(schema)) return schema.kind;
  if (schema.kind === "list" && isScalar(schema.element)) return schema.element.kind;
  if (schema.kind === "map") return "string";
  return undefined;
}

/** Builds the test applied to the selected value, converting the literal once, up front. */
function compileTest(expr: MatchExpr, name: string, target: FieldSchema): (value: unknown) => boolean {
  const kind = literalKind(target);
  let literal: Scalar | undefined;
  if (expr.value !== undefined && kind !== undefined) {
    try {
      literal = coerce(expr.value, kind);
    } catch (err) {
      if (!(err instanceof GoSyntaxError)) throw err;
      throw new FilterValidationError(name, `Failed to coerce value ${goQuote(expr.value)} for selector ${goQuote(name)}: ${err.message}`, {
        cause: err,
      });
    }
  }
  switch (expr.op) {
    case "==":
    case "!=": {
      const want = expr.op === "==";
      return (v) => equalScalar(name, target, v, literal as Scalar) === want;
    }
    case "in":
    case "not in": {
      const want = expr.op === "in";
      return (v) => contains(name, target, v, literal as Scalar) === want;
    }
    case "is empty":
    case "is not empty": {
      const want = expr.op === "is empty";
      return (v) => isEmpty(name, target, v) === want;
    }
    case "matches":
    case "not matches": {
      const pattern = expr.value ?? "";
      let re: RegExp;
      try {
        re = compileFilterRegex(pattern);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new FilterValidationError(name, `Failed to compile regular expression ${goQuote(pattern)}: ${reason}`, { cause: err });
      }
      const want = expr.op === "matches";
      return (v) => re.test(asString(name, v)) === want;
    }
  }
}

function coerce(raw: string, kind: ScalarKind): Scalar {
  switch (kind) {
    case "string":
      return raw;
    case "bool":
      return goParseBool(raw);
    case "int":
      return goParseInt(raw);
    case "uint":
      return goParseUint(raw);
    case "float":
      return goParseFloat(raw);
  }
}

/** Follows the selector through `value`, the way bexpr 0.1.2's evaluator recurses. */
function walk(
  expr: MatchExpr,
  name: string,
  schema: FieldSchema,
  value: unknown,
  depth: number,
  test: (value: unknown) => boolean,
): boolean {
  if (depth === expr.selector.length) return test(value);
  const segment = expr.selector[depth] as string;
  switch (schema.kind) {
    case "struct": {
      const object = asObject(name, value);
      return walk(expr, name, schema.fields[segment] as FieldSchema, object[segment], depth + 1, test);
    }
    case "list":
      // The same segment applies to every element: a selector through a list asks "any element?".
      return asList(name, value).some((element) => walk(expr, name, schema.element, element, depth, test));
    case "map": {
      const object = asObject(name, value);
      if (!Object.hasOwn(object, segment) || object[segment] === undefined) return !MISSING_KEY_FALSE.has(expr.op);
      return walk(expr, name, schema.value, object[segment], depth + 1, test);
    }
    default:
      // Validation only lets selectors continue through structs, lists and maps.
      throw new FilterEvaluationError(name, `selector ${goQuote(name)} descends into a ${schema.kind}`);
  }
}

function equalScalar(name: string, schema: FieldSchema, value: unknown, literal: Scalar): boolean {
  switch (schema.kind) {
    case "string":
      return asString(name, value) === literal;
    case "bool":
      return asBool(name, value) === literal;
    case "int":
    case "uint": {
      const n = asNumber(name, value);
      return typeof n === "bigint" ? n === literal : Number.isInteger(n) && BigInt(n) === literal;
    }
    case "float":
      return Number(asNumber(name, value)) === literal;
    default:
      throw new FilterEvaluationError(name, `cannot compare a ${schema.kind} with ==`);
  }
}

function contains(name: string, schema: FieldSchema, value: unknown, literal: Scalar): boolean {
  switch (schema.kind) {
    case "map":
      return Object.hasOwn(asObject(name, value), literal as string);
    case "list":
      return asList(name, value).some((element) => equalScalar(name, schema.element, element, literal));
    case "string":
      return asString(name, value).includes(literal as string);
    default:
      throw new FilterEvaluationError(name, `cannot test membership in a ${schema.kind}`);
  }
}

function isEmpty(name: string, schema: FieldSchema, value: unknown): boolean {
  switch (schema.kind) {
    case "map":
      return Object.keys(asObject(name, value)).length === 0;
    case "list":
      return asList(name, value).length === 0;
    case "string":
      return asString(name, value).length === 0;
    default:
      throw new FilterEvaluationError(name, `cannot test a ${schema.kind} for emptiness`);
  }
}

// Readers below map JSON's absent and null to Go's zero values, and refuse any other mismatch.

function asString(name: string, value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  throw mismatch(name, "a string", value);
}

function asBool(name: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  throw mismatch(name, "a boolean", value);
}

function asNumber(name: string, value: unknown): number | bigint {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number" || typeof value === "bigint") return value;
  throw mismatch(name, "a number", value);
}

function asList(name: string, value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw mismatch(name, "a list", value);
}

function asObject(name: string, value: unknown): Readonly<Record<string, unknown>> {
  if (value === undefined || value === null) return {};
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  throw mismatch(name, "an object", value);
}

function mismatch(name: string, wanted: string, value: unknown): FilterEvaluationError {
  const got = Array.isArray(value) ? "list" : typeof value;
  return new FilterEvaluationError(name, `value at selector ${goQuote(name)} should be ${wanted}, not a ${got}`);
}
