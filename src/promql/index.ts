export type {
  AggregateExpr, AggregateOp, AtKeyword, BinaryExpr, BinaryOp, Call, Expr, MatrixSelector, NumberLiteral, ParenExpr,
  PositionRange, StringLiteral, SubqueryExpr, UnaryExpr, ValueType, VectorMatching, VectorSelector,
} from "./ast.js";
export { PromQLParseError, PromQLQueryTypeError, PromQLEvalError, QueryCanceledError, QueryTimeoutError, TooManySamplesError, positionString } from "./errors.js";
export type { MatrixValue, QueryResult, QueryStats, QueryValue, Sample, ScalarValue, SeriesPoints, StringValue, VectorValue } from "./value.js";
export { PromQLEngine } from "./engine/engine.js";
export type { PromQLEngineOptions, QueryOptions } from "./engine/options.js";
