import type { Queryable } from "../../storage/index.js";
import type { QueryResult } from "../value.js";
import type { PromQLEngineOptions, QueryOptions } from "./options.js";

/**
 * Evaluates PromQL over a storage.Queryable, with Prometheus 3's semantics.
 *
 * Throws PromQLParseError (bad query, incl. type errors), PromQLEvalError (failure during
 * evaluation, incl. TooManySamplesError), QueryTimeoutError, QueryCanceledError.
 */
export class PromQLEngine {
  readonly options: Required<PromQLEngineOptions>;

  constructor(options: PromQLEngineOptions = {}) {
    this.options = {
      lookbackDelta: options.lookbackDelta ?? 5 * 60_000,
      maxSamples: options.maxSamples ?? 50_000_000,
      timeout: options.timeout ?? 2 * 60_000,
      defaultEvalInterval: options.defaultEvalInterval ?? 60_000,
      delayedNameRemoval: options.delayedNameRemoval ?? false,
    };
  }

  /** Evaluates `query` at time `t` (ms). */
  instantQuery(_queryable: Queryable, _query: string, _t: number, _opts: QueryOptions = {}): Promise<QueryResult> {
    return Promise.reject(new Error("not implemented yet"));
  }

  /**
   * Evaluates `query` at start, start+step, … ≤ end (ms). The result is always a matrix; a query
   * whose type is not scalar or instant vector is a PromQLParseError as in Prometheus.
   */
  rangeQuery(_queryable: Queryable, _query: string, _start: number, _end: number, _step: number, _opts: QueryOptions = {}): Promise<QueryResult> {
    return Promise.reject(new Error("not implemented yet"));
  }
}
