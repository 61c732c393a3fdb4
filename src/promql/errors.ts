import { MeridianError } from "../model/index.js";
import type { PositionRange } from "./ast.js";

/**
 * PromQL's typed errors. The HTTP API maps them to Prometheus's `errorType`s: parse errors are
 * `bad_data`, timeouts `timeout`, cancellations `canceled`, everything else at evaluation
 * `execution`.
 */

/** A syntax or type error; `message` is Prometheus's `<line>:<col>: parse error: <reason>`. */
export class PromQLParseError extends MeridianError {
  /** Where in the query the error is. */
  readonly positionRange: PositionRange;
  /** The reason without the position prefix. */
  readonly reason: string;
  /** The query text the position refers to. */
  readonly query: string;

  constructor(query: string, positionRange: PositionRange, reason: string) {
    super("promql_parse", `${positionString(query, positionRange.start)}: parse error: ${reason}`);
    this.positionRange = positionRange;
    this.reason = reason;
    this.query = query;
  }
}

/** `line:col` of a 0-based offset, both 1-based, as Prometheus's `PositionRange.StartPosInput`. */
export function positionString(query: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, query.length);
  for (let i = 0; i < end; i++) {
    if (query.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

/**
 * A query that parses but cannot be run the way it was asked, such as a range query over a
 * range-vector expression; the HTTP API reports it as a bad `query` parameter.
 */
export class PromQLQueryTypeError extends MeridianError {
  constructor(message: string) {
    super("promql_query_type", message);
  }
}

/** A failure while evaluating (bad argument, many-to-many matching, …); an `execution` error. */
export class PromQLEvalError extends MeridianError {
  constructor(message: string, options?: ErrorOptions) {
    super("promql_eval", message, options);
  }
}

/** The query loaded more samples than allowed at once. */
export class TooManySamplesError extends PromQLEvalError {
  constructor() {
    super("query processing would load too many samples into memory in query execution");
  }
}

/** The query ran past its timeout. */
export class QueryTimeoutError extends MeridianError {
  constructor(where: string) {
    super("promql_timeout", `query timed out in ${where}`);
  }
}

/** The query was cancelled (client gone). */
export class QueryCanceledError extends MeridianError {
  constructor(where: string) {
    super("promql_canceled", `query was canceled in ${where}`);
  }
}
