import { Labels, METRIC_NAME } from "../../model/index.js";
import { systemClock } from "../../runtime/index.js";
import type { Queryable } from "../../storage/index.js";
import type { Expr } from "../ast.js";
import { typeOf } from "../ast.js";
import { PromQLEvalError, PromQLQueryTypeError } from "../errors.js";
import { parseExpr, returnTypeOf } from "../parser/index.js";
import type { QueryResult, QueryStats, QueryValue, Sample, SeriesPoints } from "../value.js";
import { mergeSeriesInto } from "./calls.js";
import { EvalContext } from "./context.js";
import { Evaluator } from "./evaluator.js";
import type { PromQLEngineOptions, QueryOptions } from "./options.js";
import { queryTimeRange } from "./time-range.js";
import type { EvalSeries } from "./types.js";

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
      experimentalFunctions: options.experimentalFunctions ?? true,
      clock: options.clock ?? systemClock(),
    };
  }

  /** Evaluates `query` at time `t` (ms). */
  instantQuery(queryable: Queryable, query: string, t: number, opts: QueryOptions = {}): Promise<QueryResult> {
    return this.#run(queryable, query, t, t, 0, opts);
  }

  /**
   * Evaluates `query` at start, start+step, … ≤ end (ms). The result is always a matrix; a query
   * whose type is not scalar or instant vector is a PromQLParseError as in Prometheus.
   */
  rangeQuery(queryable: Queryable, query: string, start: number, end: number, step: number, opts: QueryOptions = {}): Promise<QueryResult> {
    if (step <= 0) return Promise.reject(new PromQLEvalError("zero or negative query resolution step widths are not accepted"));
    return this.#run(queryable, query, start, end, step, opts);
  }

  async #run(queryable: Queryable, query: string, start: number, end: number, step: number, opts: QueryOptions): Promise<QueryResult> {
    const began = performance.now();
    const expr = parseExpr(query, { enableExperimentalFunctions: this.options.experimentalFunctions });
    const type = typeOf(expr, returnTypeOf);
    if (step > 0 && type !== "scalar" && type !== "vector") {
      throw new PromQLQueryTypeError(`invalid expression type ${JSON.stringify(typeName(type))} for range query, must be Scalar or instant Vector`);
    }
    const prepared = performance.now();
    const lookbackDelta = opts.lookbackDelta ?? this.options.lookbackDelta;
    const [mint, maxt] = queryTimeRange(expr, start, end, lookbackDelta);
    const querier = await queryable.querier(mint, maxt);
    try {
      const ctx = new EvalContext({
        querier,
        query,
        lookbackDelta,
        maxSamples: this.options.maxSamples,
        defaultEvalInterval: this.options.defaultEvalInterval,
        delayedNameRemoval: this.options.delayedNameRemoval,
        queryStart: start,
        queryEnd: end,
        queryStep: step,
        clock: this.options.clock,
        deadline: this.options.clock.now() + (opts.timeout ?? this.options.timeout),
        signal: opts.signal,
      });
      ctx.checkNow("query queue");
      const evalStart = performance.now();
      const ev = new Evaluator(ctx, start, end, step);
      const value = await evaluate(ev, expr, type, step === 0, start);
      const evalEnd = performance.now();
      const stats: QueryStats = {
        timings: {
          evalTotalTime: (evalEnd - began) / 1000,
          resultSortTime: 0,
          queryPreparationTime: (prepared - began) / 1000,
          innerEvalTime: (evalEnd - evalStart) / 1000,
          execQueueTime: 0,
          execTotalTime: (evalEnd - began) / 1000,
        },
        samples: { totalQueryableSamples: ctx.totalSamples, peakSamples: ctx.peakSamples },
      };
      return { value, warnings: [...ctx.annotations.warnings], infos: [...ctx.annotations.infos], stats };
    } finally {
      await querier.close();
    }
  }
}

function typeName(type: string): string {
  switch (type) {
    case "matrix":
      return "range vector";
    case "vector":
      return "instant vector";
    default:
      return type;
  }
}

async function evaluate(ev: Evaluator, expr: Expr, type: string, instant: boolean, t: number): Promise<QueryValue> {
  if (instant && type === "matrix") {
    const series = await ev.evalRangeVectorAt(expr, t);
    return { type: "matrix", series: finishSeries(series, true) };
  }
  const r = await ev.eval(expr);
  if (r.type === "string") return { type: "string", t, v: r.value };
  if (r.type === "scalar") {
    if (instant) return { type: "scalar", t, v: r.values[0] as number };
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < ev.steps; i++) {
      ts.push(ev.time(i));
      vs.push(r.values[i] as number);
    }
    return { type: "matrix", series: [{ labels: Labels.EMPTY, ts, vs }] };
  }
  const series = finishSeries(r.series, !instant);
  if (!instant) return { type: "matrix", series };
  const samples: Sample[] = [];
  for (const s of series) samples.push({ labels: s.labels, t, v: s.vs[0] as number });
  return { type: "vector", samples };
}

/**
 * Applies delayed name removal and drops empty series. Series that end up with the same labels
 * are merged when their points do not overlap in time (a range result), else it is an error.
 * Range results are sorted by labels.
 */
function finishSeries(series: EvalSeries[], sort: boolean): SeriesPoints[] {
  const out: EvalSeries[] = [];
  const byKey = new Map<bigint, EvalSeries>();
  for (const s of series) {
    if (s.ts.length === 0) continue;
    let labels = s.labels;
    if (s.dropName && labels.has(METRIC_NAME)) labels = labels.without(METRIC_NAME);
    const h = labels.hash();
    const prev = byKey.get(h);
    if (prev !== undefined) {
      mergeSeriesInto(prev, s);
      continue;
    }
    const r = { labels, ts: s.ts, vs: s.vs, dropName: false };
    byKey.set(h, r);
    out.push(r);
  }
  if (sort) out.sort((a, b) => a.labels.compare(b.labels));
  return out;
}
