export { parseFilter } from "./grammar.js";
export { compileFilter, compileParsedFilter, compileFilterRegex } from "./compile.js";
export type { FilterPredicate } from "./compile.js";
export type { FilterExpr, MatchExpr, MatchOperator } from "./ast.js";
export { FilterSyntaxError, FilterValidationError, FilterEvaluationError } from "./errors.js";
export { STRING, BOOL, INT, UINT, FLOAT, listOf, mapOf, structOf } from "./schema.js";
export type { FieldSchema, FilterSchema, ScalarKind } from "./schema.js";
export {
  CATALOG_NODE_FILTER_SCHEMA,
  CATALOG_SERVICE_FILTER_SCHEMA,
  NODE_SERVICE_FILTER_SCHEMA,
  HEALTH_CHECK_FILTER_SCHEMA,
  HEALTH_SERVICE_FILTER_SCHEMA,
  AGENT_SERVICE_FILTER_SCHEMA,
  AGENT_CHECK_FILTER_SCHEMA,
} from "./consul-schemas.js";
