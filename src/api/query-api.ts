/**
 * PromQL evaluation over HTTP: `/api/v1/query` and `/api/v1/query_range` (GET, or POST with a
 * urlencoded form), with Prometheus 3's parameters, checks in Prometheus's order, error texts,
 * status codes and JSON encoding. A query is cancelled when its client goes away.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PromQLParseError, PromQLQueryTypeError, QueryCanceledError, QueryTimeoutError, type QueryOptions, type QueryResult } from "../promql/index.js";
import type { Clock } from "../runtime/index.js";
import type { Queryable } from "../storage/index.js";
import { DurationParamError, parseDurationParam } from "./duration.js";
import { ApiError, invalidParamError } from "./errors.js";
import { acceptFormBodies, formOf } from "./form.js";
import { parseLimitParam, parseTime, parseTimeParam, type FormValues } from "./params.js";
import { resultJson, statsJson } from "./query-json.js";
import { RawJson, sendError, sendSuccess } from "./response.js";

/**
 * The evaluator the query endpoints drive (the PromQL engine). Times are ms. Rejects with
 * PromQLParseError for a bad query, QueryTimeoutError, QueryCanceledError (after `signal`
 * aborts) or PromQLEvalError.
 */
export interface QueryEngine {
  /** Evaluates `query` at `t`. */
  instantQuery(queryable: Queryable, query: string, t: number, opts?: QueryOptions): Promise<QueryResult>;
  /** Evaluates `query` at start, start+step, … ≤ end; the value is always a matrix. */
  rangeQuery(queryable: Queryable, query: string, start: number, end: number, step: number, opts?: QueryOptions): Promise<QueryResult>;
}

/** What the query endpoints evaluate with and over. */
export interface QueryApiOptions {
  readonly engine: QueryEngine;
  /** The storage (or fan-out) queries read. */
  readonly queryable: Queryable;
  /** "Now", the time of an instant query sent without `time`. */
  readonly clock: Clock;
}

/** Prometheus's bound on the points of one series in a range query. */
const MAX_POINTS = 11_000;

/** Registers `/api/v1/query` and `/api/v1/query_range` on GET and POST. */
export async function registerQueryApi(app: FastifyInstance, options: QueryApiOptions): Promise<void> {
  await app.register(async (scope) => {
    acceptFormBodies(scope);
    const route = (handler: (form: FormValues, signal: AbortSignal) => Promise<Answer>) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const signal = clientGone(reply);
        try {
          const { data, warnings, infos } = await handler(formOf(request), signal);
          return sendSuccess(reply, data, warnings, infos);
        } catch (err) {
          return sendError(reply, err);
        }
      };
    const query = route((form, signal) => instantQuery(options, form, signal));
    const range = route((form, signal) => rangeQuery(options, form, signal));
    scope.get("/api/v1/query", query);
    scope.post("/api/v1/query", query);
    scope.get("/api/v1/query_range", range);
    scope.post("/api/v1/query_range", range);
  });
}

// A signal that aborts when the client closes the connection before the answer is written, so
// an abandoned query stops using the engine.
function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

interface Answer {
  readonly data: RawJson;
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
}

async function instantQuery(o: QueryApiOptions, form: FormValues, signal: AbortSignal): Promise<Answer> {
  const limit = parseLimitParam(form);
  const t = parseTimeParam(form, "time", o.clock.now());
  const opts = { signal, ...queryOptions(form) };
  const result = await evaluate(() => o.engine.instantQuery(o.queryable, form.get("query"), t, opts));
  return answer(result, form, limit);
}

async function rangeQuery(o: QueryApiOptions, form: FormValues, signal: AbortSignal): Promise<Answer> {
  const limit = parseLimitParam(form);
  const start = timeParam(form, "start");
  const end = timeParam(form, "end");
  if (end < start) throw invalidParamError("end", "end timestamp must not be before start time");
  const step = durationParam(form, "step");
  if (!(step > 0)) throw invalidParamError("step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
  // Go divides nanosecond integers; so do we, to refuse exactly what Prometheus refuses.
  if (Math.floor(((end - start) * 1e6) / Math.round(step * 1e6)) > MAX_POINTS) {
    throw new ApiError("bad_data", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
  }
  const opts = { signal, ...queryOptions(form) };
  // The engine steps in whole milliseconds, as Prometheus's does.
  const stepMs = Math.max(1, Math.trunc(step));
  const result = await evaluate(() => o.engine.rangeQuery(o.queryable, form.get("query"), start, end, stepMs, opts));
  return answer(result, form, limit);
}

// `timeout` and `lookback_delta`, checked in Prometheus's order after the times.
function queryOptions(form: FormValues): { timeout?: number; lookbackDelta?: number } {
  const out: { timeout?: number; lookbackDelta?: number } = {};
  if (form.get("timeout") !== "") out.timeout = durationParam(form, "timeout");
  const lookback = form.get("lookback_delta");
  if (lookback !== "") {
    let ms: number;
    try {
      ms = parseDurationParam(lookback);
    } catch (err) {
      throw new ApiError("bad_data", `error parsing lookback delta duration: ${(err as Error).message}`, { cause: err });
    }
    // Zero or less means the engine's own lookback delta, as in Prometheus.
    if (ms > 0) out.lookbackDelta = ms;
  }
  return out;
}

function timeParam(form: FormValues, name: string): number {
  try {
    return parseTime(form.get(name));
  } catch (err) {
    throw invalidParamError(name, err as Error);
  }
}

function durationParam(form: FormValues, name: string): number {
  try {
    return parseDurationParam(form.get(name));
  } catch (err) {
    if (err instanceof DurationParamError) throw invalidParamError(name, err);
    throw err;
  }
}

// Runs a query, mapping the engine's failures to Prometheus's error types: a query that does not
// parse (or has the wrong type) is a bad `query` parameter.
async function evaluate(run: () => Promise<QueryResult>): Promise<QueryResult> {
  try {
    return await run();
  } catch (err) {
    throw queryError(err);
  }
}

// As Prometheus's returnAPIError: timeouts and cancellations by type, every other failure
// (PromQLEvalError, TooManySamplesError, a storage error) an `execution` error.
function queryError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof PromQLParseError || err instanceof PromQLQueryTypeError) return invalidParamError("query", err);
  if (err instanceof QueryTimeoutError) return new ApiError("timeout", err.message, { cause: err });
  if (err instanceof QueryCanceledError) return new ApiError("canceled", err.message, { cause: err });
  if (err instanceof Error && err.name === "AbortError") return new ApiError("canceled", err.message, { cause: err });
  if (err instanceof Error) return new ApiError("execution", err.message, { cause: err });
  return new ApiError("internal", String(err));
}

// The result, cut to `limit` series when it is a vector or a matrix, with stats when asked.
function answer(result: QueryResult, form: FormValues, limit: number): Answer {
  let value = result.value;
  const warnings = [...result.warnings];
  if (limit > 0 && value.type === "vector" && value.samples.length > limit) {
    value = { type: "vector", samples: value.samples.slice(0, limit) };
    warnings.push("results truncated due to limit");
  } else if (limit > 0 && value.type === "matrix" && value.series.length > limit) {
    value = { type: "matrix", series: value.series.slice(0, limit) };
    warnings.push("results truncated due to limit");
  }
  const stats = form.get("stats") !== "" ? `,"stats":${statsJson(result.stats)}` : "";
  const data = new RawJson(`{"resultType":"${value.type}","result":${resultJson(value)}${stats}}`);
  return { data, warnings, infos: result.infos };
}
