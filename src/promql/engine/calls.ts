import type { Matcher} from "../../model/index.js";
import { Labels, METRIC_NAME } from "../../model/index.js";
import type { Call, Expr } from "../ast.js";
import { PromQLEvalError } from "../errors.js";
import {
  RANGE_FUNCTIONS,
  VALUE_FUNCTIONS,
  badBucketLabelWarning,
  bucketQuantile,
  compileLabelReplace,
  histogramQuantileForcedMonotonicityInfo,
  invalidQuantileWarning,
  labelJoin,
  sortByLabelCompare,
} from "../functions/index.js";
import type { RangeContext, RangeFunction, ValueFunction } from "../functions/index.js";
import type { Evaluator, StepInput } from "./evaluator.js";
import type { EvalSample, EvalSeries, Evaluated } from "./types.js";

// Functions that only make sense on native histograms: over float samples they return nothing.
const NATIVE_HISTOGRAM_FUNCTIONS = new Set([
  "histogram_count",
  "histogram_sum",
  "histogram_avg",
  "histogram_fraction",
  "histogram_stddev",
  "histogram_stdvar",
  "histogram_quantiles",
]);

/** Evaluates a function call. */
export async function evalCall(ev: Evaluator, e: Call): Promise<Evaluated> {
  const name = e.func;
  switch (name) {
    case "time":
      return timeScalar(ev);
    case "pi":
      return ev.scalar(Math.PI);
    case "step":
      return ev.scalar(ev.ctx.queryStep / 1000);
    case "range":
      return ev.scalar((ev.ctx.queryEnd - ev.ctx.queryStart) / 1000);
    case "start":
      return ev.scalar(ev.ctx.queryStart / 1000);
    case "end":
      return ev.scalar(ev.ctx.queryEnd / 1000);
    case "min_of":
    case "max_of": {
      const a = await ev.evalScalar(e.args[0] as Expr);
      const b = await ev.evalScalar(e.args[1] as Expr);
      const out = new Float64Array(ev.steps);
      for (let i = 0; i < out.length; i++) out[i] = e.func === "min_of" ? Math.min(a[i] as number, b[i] as number) : Math.max(a[i] as number, b[i] as number);
      return { type: "scalar", values: out };
    }
    case "vector": {
      const values = await ev.evalScalar(e.args[0] as Expr);
      const ts: number[] = [];
      const vs: number[] = [];
      for (let i = 0; i < ev.steps; i++) {
        ts.push(ev.time(i));
        vs.push(values[i] as number);
      }
      return { type: "matrix", series: [{ labels: Labels.EMPTY, ts, vs, dropName: false }] };
    }
    case "scalar":
      return scalarOf(ev, await ev.evalVector(e.args[0] as Expr));
    case "timestamp":
      return await timestampOf(ev, e.args[0] as Expr);
    case "absent":
      return await absent(ev, e);
    case "absent_over_time":
      return await absentOverTime(ev, e);
    case "label_replace":
    case "label_join":
      return await relabel(ev, e);
    case "sort":
    case "sort_desc":
    case "sort_by_label":
    case "sort_by_label_desc":
      return await sortFn(ev, e);
    case "histogram_quantile":
      return await histogramQuantile(ev, e);
    case "info":
      throw new PromQLEvalError("info() is an experimental function Meridian does not support");
    default:
      break;
  }
  if (NATIVE_HISTOGRAM_FUNCTIONS.has(name)) {
    for (const a of e.args) if (!isRangeExpr(a)) await ev.eval(a);
    return { type: "matrix", series: [] };
  }
  const rangeFn = RANGE_FUNCTIONS.get(name);
  if (rangeFn !== undefined) return await rangeFunction(ev, e, rangeFn);
  const valueFn = VALUE_FUNCTIONS.get(name);
  if (valueFn !== undefined) return await valueFunction(ev, e, valueFn);
  throw new PromQLEvalError(`function ${JSON.stringify(name)} is not supported`);
}

function isRangeExpr(e: Expr): boolean {
  let x = e;
  while (x.kind === "paren") x = x.expr;
  return x.kind === "matrix" || x.kind === "subquery";
}

function timeScalar(ev: Evaluator): Evaluated {
  const values = new Float64Array(ev.steps);
  for (let i = 0; i < ev.steps; i++) values[i] = ev.time(i) / 1000;
  return { type: "scalar", values };
}

function scalarOf(ev: Evaluator, series: EvalSeries[]): Evaluated {
  const values = new Float64Array(ev.steps).fill(NaN);
  const counts = new Int32Array(ev.steps);
  for (const s of series) {
    for (let j = 0; j < s.ts.length; j++) {
      const i = stepIndex(ev, s.ts[j] as number);
      counts[i] = (counts[i] as number) + 1;
      values[i] = counts[i] === 1 ? (s.vs[j] as number) : NaN;
    }
  }
  return { type: "scalar", values };
}

function stepIndex(ev: Evaluator, t: number): number {
  return ev.interval > 0 ? Math.round((t - ev.start) / ev.interval) : 0;
}

async function timestampOf(ev: Evaluator, arg: Expr): Promise<Evaluated> {
  let inner = arg;
  while (inner.kind === "paren") inner = inner.expr;
  let series: EvalSeries[];
  if (inner.kind === "vector") {
    series = await ev.evalVectorSelector(inner, "timestamp");
  } else {
    series = await ev.evalVector(arg);
    for (const s of series) for (let j = 0; j < s.ts.length; j++) s.vs[j] = (s.ts[j] as number) / 1000;
  }
  for (const s of series) ev.dropName(s);
  return { type: "matrix", series: checkSameLabelset(ev, series) };
}

/** The labels absent() gives its output: the selector's equality matchers, names used twice dropped. */
function absentLabels(arg: Expr): Labels {
  let x = arg;
  while (x.kind === "paren") x = x.expr;
  const matchers: readonly Matcher[] = x.kind === "vector" ? x.matchers : x.kind === "matrix" ? x.vector.matchers : [];
  const seen = new Map<string, string | null>();
  for (const m of matchers) {
    if (m.name === METRIC_NAME) continue;
    if (seen.has(m.name)) {
      seen.set(m.name, null);
      continue;
    }
    seen.set(m.name, m.type === "=" ? m.value : null);
  }
  const pairs: [string, string][] = [];
  for (const [n, v] of seen) if (v !== null && v !== "") pairs.push([n, v]);
  return Labels.fromPairs(pairs);
}

async function absent(ev: Evaluator, e: Call): Promise<Evaluated> {
  const arg = e.args[0] as Expr;
  const inner = await ev.eval(arg);
  const labels = absentLabels(arg);
  return {
    type: "matrix",
    series: await ev.rangeEval([inner], (inputs: StepInput[], t) => ((inputs[0] as EvalSample[]).length > 0 ? [] : [{ labels, v: 1, t, dropName: false }])),
  };
}

async function absentOverTime(ev: Evaluator, e: Call): Promise<Evaluated> {
  const arg = await ev.rangeArg(e.args[0] as Expr);
  const present = new Uint8Array(ev.steps);
  await arg.forEach((s) => {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < ev.steps; i++) {
      const ref = (arg.at ?? ev.time(i)) - arg.offset;
      while (hi < s.length && (s.ts[hi] as number) <= ref) hi++;
      while (lo < hi && (s.ts[lo] as number) <= ref - arg.range) lo++;
      if (hi > lo) present[i] = 1;
    }
  });
  const labels = absentLabels(e.args[0] as Expr);
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < ev.steps; i++) {
    if (present[i] === 0) {
      ts.push(ev.time(i));
      vs.push(1);
    }
  }
  return { type: "matrix", series: ts.length > 0 ? [{ labels, ts, vs, dropName: false }] : [] };
}

/** A function over a range vector (rate, *_over_time, …), one window per series and step. */
async function rangeFunction(ev: Evaluator, e: Call, fn: RangeFunction): Promise<Evaluated> {
  const matrixIdx = e.args.findIndex(isRangeExpr);
  if (matrixIdx < 0) throw new PromQLEvalError(`${e.func}: expected a range vector argument`);
  const scalarArgs: Float64Array[] = [];
  for (let a = 0; a < e.args.length; a++) if (a !== matrixIdx) scalarArgs.push(await ev.evalScalar(e.args[a] as Expr));
  const arg = await ev.rangeArg(e.args[matrixIdx] as Expr);
  const keepName = e.func === "last_over_time" || e.func === "first_over_time";
  const argPos = (e.args[matrixIdx] as Expr).pos;
  const argsAt: number[] = new Array<number>(scalarArgs.length).fill(0);
  let winT = new Float64Array(64);
  let winV = new Float64Array(64);
  const window = { ts: winT as ArrayLike<number>, vs: winV as ArrayLike<number>, length: 0 };
  const ctx = {
    evalTime: 0,
    rangeStart: 0,
    rangeEnd: 0,
    args: argsAt,
    metricName: "",
    warn: (message: string): void => ev.ctx.warn(message, argPos),
    info: (message: string): void => ev.ctx.info(message, argPos),
  } satisfies RangeContext;
  const out: EvalSeries[] = [];
  await arg.forEach((s) => {
    ctx.metricName = s.labels.metricName;
    let lo = 0;
    let hi = 0;
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < ev.steps; i++) {
      const t = ev.time(i);
      const ref = (arg.at ?? t) - arg.offset;
      while (hi < s.length && (s.ts[hi] as number) <= ref) hi++;
      while (lo < hi && (s.ts[lo] as number) <= ref - arg.range) lo++;
      const n = hi - lo;
      if (n === 0) continue;
      if (n > winT.length) {
        winT = new Float64Array(n * 2);
        winV = new Float64Array(n * 2);
        window.ts = winT;
        window.vs = winV;
      }
      for (let j = 0; j < n; j++) {
        winT[j] = s.ts[lo + j] as number;
        winV[j] = s.vs[lo + j] as number;
      }
      window.length = n;
      for (let a = 0; a < scalarArgs.length; a++) argsAt[a] = (scalarArgs[a] as Float64Array)[i] as number;
      ctx.evalTime = t;
      ctx.rangeStart = ref - arg.range;
      ctx.rangeEnd = ref;
      const v = fn(window, ctx);
      if (v === undefined) continue;
      ts.push(t);
      vs.push(v);
    }
    if (ts.length === 0) return;
    const series: EvalSeries = { labels: s.labels, ts, vs, dropName: s.dropName };
    if (!keepName) ev.dropName(series);
    ev.ctx.addSamples(ts.length);
    out.push(series);
  });
  return { type: "matrix", series: keepName ? out : checkSameLabelset(ev, out) };
}

/** A function of each sample's value (abs, round, clamp, hour, …); the name is dropped. */
async function valueFunction(ev: Evaluator, e: Call, fn: ValueFunction): Promise<Evaluated> {
  let series: EvalSeries[];
  if (e.args.length === 0) {
    // The date functions default to vector(time()).
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < ev.steps; i++) {
      ts.push(ev.time(i));
      vs.push(ev.time(i) / 1000);
    }
    series = [{ labels: Labels.EMPTY, ts, vs, dropName: false }];
  } else {
    series = await ev.evalVector(e.args[0] as Expr);
  }
  const scalarArgs = await Promise.all(e.args.slice(1).map((a) => ev.evalScalar(a)));
  const argsAt: number[] = new Array<number>(scalarArgs.length).fill(0);
  const clamp = e.func === "clamp";
  const out: EvalSeries[] = [];
  for (const s of series) {
    const ts: number[] = [];
    const vs: number[] = [];
    for (let j = 0; j < s.ts.length; j++) {
      const i = stepIndex(ev, s.ts[j] as number);
      for (let a = 0; a < scalarArgs.length; a++) argsAt[a] = (scalarArgs[a] as Float64Array)[i] as number;
      if (clamp && (argsAt[1] as number) < (argsAt[0] as number)) continue;
      ts.push(s.ts[j] as number);
      vs.push(fn(s.vs[j] as number, argsAt));
    }
    if (ts.length === 0) continue;
    const r: EvalSeries = { labels: s.labels, ts, vs, dropName: s.dropName };
    ev.dropName(r);
    out.push(r);
  }
  return { type: "matrix", series: checkSameLabelset(ev, out) };
}

/**
 * label_replace and label_join: relabel whole series; series that end up with the same labels
 * are merged when their points do not overlap in time, else it is an error.
 */
async function relabel(ev: Evaluator, e: Call): Promise<Evaluated> {
  const series = await ev.evalVector(e.args[0] as Expr);
  const strs = e.args.slice(1).map((a) => {
    let x = a;
    while (x.kind === "paren") x = x.expr;
    if (x.kind !== "string") throw new PromQLEvalError(`${e.func}: expected string argument`);
    return x.value;
  });
  const dst = strs[0] as string;
  let apply: (l: Labels) => Labels;
  if (e.func === "label_replace") {
    const replacer = compileLabelReplace(dst, strs[1] as string, strs[2] as string, strs[3] as string);
    apply = (l) => replacer.apply(l);
  } else {
    const sep = strs[1] as string;
    const srcs = strs.slice(2);
    labelJoin(Labels.EMPTY, dst, sep, srcs); // validates the names even when the vector is empty
    apply = (l) => labelJoin(l, dst, sep, srcs);
  }
  const byKey = new Map<bigint, EvalSeries>();
  const out: EvalSeries[] = [];
  for (const s of series) {
    const labels = apply(s.labels);
    const dropName = dst === METRIC_NAME ? false : s.dropName;
    const key = labels.hash();
    const prev = byKey.get(key);
    if (prev === undefined) {
      const r = { labels, ts: s.ts, vs: s.vs, dropName };
      byKey.set(key, r);
      out.push(r);
      continue;
    }
    mergeSeriesInto(prev, s);
  }
  return { type: "matrix", series: out };
}

/** Merges `from`'s points into `into`; a shared timestamp means two samples with one label set: an error. */
export function mergeSeriesInto(into: EvalSeries, from: EvalSeries): void {
  const ts: number[] = [];
  const vs: number[] = [];
  let a = 0;
  let b = 0;
  while (a < into.ts.length || b < from.ts.length) {
    const ta = a < into.ts.length ? (into.ts[a] as number) : Infinity;
    const tb = b < from.ts.length ? (from.ts[b] as number) : Infinity;
    if (ta === tb) throw new PromQLEvalError("vector cannot contain metrics with the same labelset");
    if (ta < tb) {
      ts.push(ta);
      vs.push(into.vs[a++] as number);
    } else {
      ts.push(tb);
      vs.push(from.vs[b++] as number);
    }
  }
  into.ts = ts;
  into.vs = vs;
}

async function sortFn(ev: Evaluator, e: Call): Promise<Evaluated> {
  const series = await ev.evalVector(e.args[0] as Expr);
  if (ev.start !== ev.end) {
    ev.ctx.warn("PromQL warning: sort is ineffective for range queries since results are always ordered by labels", e.pos);
    return { type: "matrix", series };
  }
  const value = (s: EvalSeries): number => s.vs[0] as number;
  switch (e.func) {
    case "sort":
      series.sort((a, b) => nanLast(value(a), value(b), false));
      break;
    case "sort_desc":
      series.sort((a, b) => nanLast(value(a), value(b), true));
      break;
    default: {
      const names = e.args.slice(1).map((a) => (a.kind === "string" ? a.value : ""));
      const desc = e.func === "sort_by_label_desc";
      series.sort((a, b) => sortByLabelCompare(a.labels, b.labels, names, desc));
    }
  }
  return { type: "matrix", series };
}

function nanLast(a: number, b: number, desc: boolean): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return desc ? b - a || 0 : a - b || 0;
}

/** histogram_quantile over classic buckets: groups by the labels other than `le` and the name. */
async function histogramQuantile(ev: Evaluator, e: Call): Promise<Evaluated> {
  const phi = await ev.evalScalar(e.args[0] as Expr);
  const inner = await ev.eval(e.args[1] as Expr);
  const pos = (e.args[1] as Expr).pos;
  const delayed = ev.ctx.delayedNameRemoval;
  return {
    type: "matrix",
    series: await ev.rangeEval([inner], (inputs: StepInput[], t, step) => {
      const q = phi[step] as number;
      if (q < 0 || q > 1 || Number.isNaN(q)) ev.ctx.warn(invalidQuantileWarning(q), (e.args[0] as Expr).pos);
      const groups = new Map<bigint, { labels: Labels; buckets: { upperBound: number; count: number }[]; name: string }>();
      const order: { labels: Labels; buckets: { upperBound: number; count: number }[]; name: string }[] = [];
      for (const s of inputs[0] as EvalSample[]) {
        const le = s.labels.get("le");
        const upper = parseGoFloat(le);
        if (upper === undefined) {
          ev.ctx.warn(badBucketLabelWarning(s.labels.metricName, le), pos);
          continue;
        }
        // With delayed name removal the name still separates histograms; it goes at the end.
        const labels = delayed ? s.labels.without("le") : s.labels.without("le", METRIC_NAME);
        const key = labels.hash();
        let g = groups.get(key);
        if (g === undefined) {
          g = { labels, buckets: [], name: s.labels.metricName };
          groups.set(key, g);
          order.push(g);
        }
        g.buckets.push({ upperBound: upper, count: s.v });
      }
      const out: EvalSample[] = [];
      for (const g of order) {
        const r = bucketQuantile(q, g.buckets);
        if (r.forcedMonotonicity) ev.ctx.info(histogramQuantileForcedMonotonicityInfo(ev.ctx.delayedNameRemoval ? g.name : ""), pos);
        out.push({ labels: g.labels, v: r.value, t, dropName: delayed });
      }
      return out;
    }),
  };
}

/** Go's strconv.ParseFloat for an `le` value; undefined when it is not a number. */
function parseGoFloat(s: string): number | undefined {
  const t = s.trim();
  if (t !== s || t === "") return undefined;
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d[\d_]*\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && !/^[+-]?0[xX][0-9a-fA-F.]+([pP][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t.replace(/_/g, ""));
  return Number.isNaN(v) ? undefined : v;
}

/** Prometheus's check after dropping names: two series with the same labels are an error. */
export function checkSameLabelset(ev: Evaluator, series: EvalSeries[]): EvalSeries[] {
  if (ev.ctx.delayedNameRemoval || series.length < 2) return series;
  const byKey = new Map<bigint, EvalSeries>();
  const out: EvalSeries[] = [];
  for (const s of series) {
    const h = s.labels.hash();
    const prev = byKey.get(h);
    if (prev === undefined) {
      byKey.set(h, s);
      out.push(s);
    } else mergeSeriesInto(prev, s);
  }
  return out;
}
