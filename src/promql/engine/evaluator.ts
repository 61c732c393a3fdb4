import { Labels, METRIC_NAME } from "../../model/index.js";
import { isStaleNaN } from "../../storage/index.js";
import type { Expr, MatrixSelector, SubqueryExpr, VectorSelector } from "../ast.js";
import { PromQLEvalError } from "../errors.js";
import { evalAggregate } from "./aggregate.js";
import { evalBinary } from "./binary.js";
import { checkSameLabelset, evalCall } from "./calls.js";
import type { EvalContext } from "./context.js";
import type { EvalSample, EvalSeries, Evaluated, MatrixResult, ScalarResult } from "./types.js";

/** The samples of one series over a whole range-vector argument, oldest first, stale markers removed. */
export interface RangeSeries {
  readonly labels: Labels;
  readonly ts: Float64Array;
  readonly vs: Float64Array;
  readonly length: number;
  readonly dropName: boolean;
}

/** The window parameters of a range-vector argument (a matrix selector or a subquery). */
export interface RangeArg {
  readonly range: number;
  readonly offset: number;
  /** The `@` time when the argument is pinned, else undefined. */
  readonly at: number | undefined;
  /** Calls `cb` once per series; buffers handed to `cb` are reused afterwards. */
  forEach(cb: (series: RangeSeries) => void | Promise<void>): Promise<void>;
}

/** One input of a step function: the vector, scalar or string an argument has at that step. */
export type StepInput = EvalSample[] | number | string;

/**
 * Evaluates an expression over the steps start, start+interval, …, end (one step when interval
 * is 0), as Prometheus's evaluator does: each node yields a matrix of per-step points (instant
 * vectors), one value per step (scalars) or a string. Everything below a node is evaluated over
 * the same steps, except subqueries, which get an evaluator of their own.
 */
export class Evaluator {
  readonly ctx: EvalContext;
  readonly start: number;
  readonly end: number;
  readonly interval: number;
  readonly steps: number;

  constructor(ctx: EvalContext, start: number, end: number, interval: number) {
    this.ctx = ctx;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.steps = interval > 0 ? Math.floor((end - start) / interval) + 1 : 1;
  }

  /** The time of step `i`. */
  time(i: number): number {
    return this.start + i * this.interval;
  }

  async eval(e: Expr): Promise<Evaluated> {
    if (this.ctx.shouldPause()) await this.ctx.pause();
    switch (e.kind) {
      case "number":
        return this.scalar(e.value);
      case "string":
        return { type: "string", value: e.value };
      case "paren":
        return this.eval(e.expr);
      case "unary":
        return this.#evalUnary(e.op, e.expr);
      case "vector":
        return { type: "matrix", series: await this.evalVectorSelector(e, "value") };
      case "matrix":
      case "subquery":
        throw new PromQLEvalError(`unexpected range vector ${e.kind} where an instant value is needed`);
      case "binary":
        return evalBinary(this, e);
      case "aggregate":
        return evalAggregate(this, e);
      case "call":
        return evalCall(this, e);
    }
  }

  /** A scalar with the same value at every step. */
  scalar(v: number): ScalarResult {
    return { type: "scalar", values: new Float64Array(this.steps).fill(v) };
  }

  /** Evaluates `e` and requires a scalar. */
  async evalScalar(e: Expr): Promise<Float64Array> {
    const r = await this.eval(e);
    if (r.type !== "scalar") throw new PromQLEvalError(`expected scalar, got ${r.type}`);
    return r.values;
  }

  /** Evaluates `e` and requires an instant vector (a matrix of per-step points). */
  async evalVector(e: Expr): Promise<EvalSeries[]> {
    const r = await this.eval(e);
    if (r.type !== "matrix") throw new PromQLEvalError(`expected instant vector, got ${r.type}`);
    return r.series;
  }

  async #evalUnary(op: "+" | "-", inner: Expr): Promise<Evaluated> {
    const r = await this.eval(inner);
    if (op === "+") return r;
    if (r.type === "scalar") {
      const out = new Float64Array(r.values.length);
      for (let i = 0; i < out.length; i++) out[i] = -(r.values[i] as number);
      return { type: "scalar", values: out };
    }
    if (r.type !== "matrix") throw new PromQLEvalError("unary minus on a string");
    for (const s of r.series) {
      for (let i = 0; i < s.vs.length; i++) s.vs[i] = -(s.vs[i] as number);
      this.dropName(s);
    }
    return { type: "matrix", series: checkSameLabelset(this, r.series) };
  }

  /** Marks a result series as having lost its metric name (now, or at the end with delayed removal). */
  dropName(s: { labels: Labels; dropName: boolean }): void {
    if (this.ctx.delayedNameRemoval) s.dropName = true;
    else if (s.labels.has(METRIC_NAME)) s.labels = s.labels.without(METRIC_NAME);
  }

  /** The labels of a sample whose name is dropped, when delayed removal is off. */
  labelsDroppingName(labels: Labels): Labels {
    if (this.ctx.delayedNameRemoval || !labels.has(METRIC_NAME)) return labels;
    return labels.without(METRIC_NAME);
  }

  /** The `@` time of a selector or subquery, with start()/end() resolved. */
  atTime(node: VectorSelector | SubqueryExpr): number | undefined {
    if (node.at === "start") return this.ctx.queryStart;
    if (node.at === "end") return this.ctx.queryEnd;
    return node.timestamp;
  }

  /**
   * An instant vector selector over every step: for each series, the latest sample in
   * (ref - lookback, ref] where ref is the step time (or the `@` time) minus offset; a stale
   * marker there means no value. With mode "timestamp" the value is the sample's time in seconds.
   */
  async evalVectorSelector(vs: VectorSelector, mode: "value" | "timestamp"): Promise<EvalSeries[]> {
    const at = this.atTime(vs);
    const lookback = this.ctx.lookbackDelta;
    const firstRef = (at ?? this.start) - vs.offset;
    const set = this.ctx.querier.select(vs.matchers, { start: firstRef - lookback, end: (at ?? this.end) - vs.offset });
    const out: EvalSeries[] = [];
    while (set.next()) {
      if (this.ctx.shouldPause()) await this.ctx.pause();
      const series = set.at();
      const it = series.iterator();
      let has = it.seek(firstRef - lookback + 1);
      let lastT = 0;
      let lastV = 0;
      let haveLast = false;
      const ts: number[] = [];
      const vals: number[] = [];
      for (let i = 0; i < this.steps; i++) {
        const t = this.time(i);
        const ref = (at ?? t) - vs.offset;
        while (has && it.at() <= ref) {
          lastT = it.at();
          lastV = it.value();
          haveLast = true;
          has = it.next();
        }
        if (haveLast && lastT > ref - lookback && !isStaleNaN(lastV)) {
          ts.push(t);
          vals.push(mode === "value" ? lastV : lastT / 1000);
        }
      }
      if (ts.length > 0) {
        this.ctx.addSamples(ts.length);
        out.push({ labels: series.labels, ts, vs: vals, dropName: false });
      }
    }
    return out;
  }

  /** A range-vector argument (matrix selector or subquery) prepared for per-step windows. */
  async rangeArg(e: Expr): Promise<RangeArg> {
    let inner = e;
    while (inner.kind === "paren") inner = inner.expr;
    if (inner.kind === "matrix") return this.#matrixArg(inner);
    if (inner.kind === "subquery") return await this.#subqueryArg(inner);
    throw new PromQLEvalError(`expected range vector, got ${inner.kind}`);
  }

  #matrixArg(ms: MatrixSelector): RangeArg {
    const vs = ms.vector;
    const at = this.atTime(vs);
    const lo = (at ?? this.start) - vs.offset - ms.range;
    const hi = (at ?? this.end) - vs.offset;
    const ctx = this.ctx;
    return {
      range: ms.range,
      offset: vs.offset,
      at,
      async forEach(cb): Promise<void> {
        const set = ctx.querier.select(vs.matchers, { start: lo, end: hi });
        let ts = new Float64Array(256);
        let vals = new Float64Array(256);
        let held = 0;
        while (set.next()) {
          if (ctx.shouldPause()) await ctx.pause();
          const series = set.at();
          const it = series.iterator();
          let n = 0;
          for (let ok = it.seek(lo + 1); ok; ok = it.next()) {
            const t = it.at();
            if (t > hi) break;
            const v = it.value();
            if (isStaleNaN(v)) continue;
            if (n === ts.length) {
              const nt = new Float64Array(n * 2);
              nt.set(ts);
              ts = nt;
              const nv = new Float64Array(n * 2);
              nv.set(vals);
              vals = nv;
            }
            ts[n] = t;
            vals[n] = v;
            n++;
          }
          if (n === 0) continue;
          ctx.addSamples(n - held);
          held = n;
          await cb({ labels: series.labels, ts, vs: vals, length: n, dropName: false });
        }
        ctx.releaseSamples(held);
      },
    };
  }

  async #subqueryArg(sq: SubqueryExpr): Promise<RangeArg> {
    const series = await this.evalSubquery(sq);
    return {
      range: sq.range,
      offset: sq.offset,
      at: this.atTime(sq),
      async forEach(cb): Promise<void> {
        for (const s of series) {
          // Typed arrays keep the window loops monomorphic (matrix selectors hand out typed arrays too).
          if (s.ts.length > 0) await cb({ labels: s.labels, ts: Float64Array.from(s.ts), vs: Float64Array.from(s.vs), length: s.ts.length, dropName: s.dropName });
        }
      },
    };
  }

  /**
   * Evaluates a subquery's inner expression at its own steps: aligned to multiples of the step,
   * from the first one after (first window start) to the last window end.
   */
  async evalSubquery(sq: SubqueryExpr): Promise<EvalSeries[]> {
    const step = sq.step > 0 ? sq.step : this.ctx.defaultEvalInterval;
    const at = this.atTime(sq);
    const first = (at ?? this.start) - sq.offset - sq.range;
    const end = (at ?? this.end) - sq.offset;
    let start = step * Math.trunc(first / step);
    if (start <= first) start += step;
    const inner = new Evaluator(this.ctx, start, end, step);
    if (start > end) return [];
    const r = await inner.eval(sq.expr);
    if (r.type === "matrix") return r.series;
    if (r.type === "scalar") {
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = 0; i < inner.steps; i++) {
        ts.push(inner.time(i));
        vs.push(r.values[i] as number);
      }
      return [{ labels: Labels.EMPTY, ts, vs, dropName: false }];
    }
    throw new PromQLEvalError("subquery over a string");
  }

  /**
   * The value of a range-vector expression at an instant query's single time: the points in
   * (ref - range, ref] of each series, with their own times.
   */
  async evalRangeVectorAt(e: Expr, t: number): Promise<EvalSeries[]> {
    const arg = await this.rangeArg(e);
    const ref = (arg.at ?? t) - arg.offset;
    const out: EvalSeries[] = [];
    await arg.forEach((s) => {
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = 0; i < s.length; i++) {
        const st = s.ts[i] as number;
        if (st > ref - arg.range && st <= ref) {
          ts.push(st);
          vs.push(s.vs[i] as number);
        }
      }
      if (ts.length > 0) {
        this.ctx.addSamples(ts.length);
        out.push({ labels: s.labels, ts, vs, dropName: s.dropName });
      }
    });
    return out;
  }

  /**
   * Runs `fn` at every step with each argument's value at that step and collects the samples it
   * returns into series, as Prometheus's rangeEval. Two samples with the same labels at one step
   * are an error.
   */
  async rangeEval(args: readonly Evaluated[], fn: (inputs: StepInput[], t: number, step: number) => EvalSample[]): Promise<EvalSeries[]> {
    const cursors = args.map((a) => (a.type === "matrix" ? new Int32Array(a.series.length) : undefined));
    const inputs: StepInput[] = args.map(() => 0);
    const byKey = new Map<bigint, EvalSeries>();
    const out: EvalSeries[] = [];
    for (let i = 0; i < this.steps; i++) {
      if (this.ctx.shouldPause()) await this.ctx.pause();
      const t = this.time(i);
      for (let a = 0; a < args.length; a++) {
        const arg = args[a] as Evaluated;
        if (arg.type === "scalar") inputs[a] = arg.values[i] as number;
        else if (arg.type === "string") inputs[a] = arg.value;
        else inputs[a] = vectorAt(arg, cursors[a] as Int32Array, t);
      }
      const result = fn(inputs, t, i);
      for (const sample of result) {
        const key = sample.labels.hash();
        let series = byKey.get(key);
        if (series === undefined) {
          series = { labels: sample.labels, ts: [], vs: [], dropName: sample.dropName };
          byKey.set(key, series);
          out.push(series);
        } else if (series.ts.length > 0 && series.ts[series.ts.length - 1] === t) {
          throw new PromQLEvalError("vector cannot contain metrics with the same labelset");
        }
        series.ts.push(t);
        series.vs.push(sample.v);
      }
    }
    return out;
  }
}

/** The samples of a matrix at step time `t`, advancing per-series cursors (steps only increase). */
function vectorAt(m: MatrixResult, cursors: Int32Array, t: number): EvalSample[] {
  const out: EvalSample[] = [];
  const series = m.series;
  for (let s = 0; s < series.length; s++) {
    const ser = series[s] as EvalSeries;
    let c = cursors[s] as number;
    while (c < ser.ts.length && (ser.ts[c] as number) < t) c++;
    cursors[s] = c;
    if (c < ser.ts.length && ser.ts[c] === t) out.push({ labels: ser.labels, v: ser.vs[c] as number, t, dropName: ser.dropName });
  }
  return out;
}
