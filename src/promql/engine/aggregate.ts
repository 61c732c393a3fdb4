import type { Labels} from "../../model/index.js";
import { METRIC_NAME, isValidLabelName, prometheusLabelsHash } from "../../model/index.js";
import type { AggregateExpr, AggregateOp } from "../ast.js";
import { PromQLEvalError } from "../errors.js";
import { invalidQuantileWarning, invalidRatioWarning, kahanSumInc, quantile } from "../functions/index.js";
import type { Evaluator, StepInput } from "./evaluator.js";
import type { EvalSample, EvalSeries, Evaluated } from "./types.js";

/** Aggregation operators over the groups `by`/`without` define, at every step. */
export async function evalAggregate(ev: Evaluator, e: AggregateExpr): Promise<Evaluated> {
  const args: Evaluated[] = [];
  if (e.param !== undefined) args.push(await ev.eval(e.param));
  const inner = await ev.eval(e.expr);
  if (inner.type !== "matrix") throw new PromQLEvalError(`expected instant vector in aggregation, got ${inner.type}`);
  if (STREAMING_OPS.has(e.op)) return { type: "matrix", series: await aggregateSeriesMajor(ev, e, inner.series) };
  args.push(inner);
  const hasParam = e.param !== undefined;
  if (e.op === "count_values") {
    const label = args[0]?.type === "string" ? args[0].value : "";
    if (!isValidLabelName(label)) throw new PromQLEvalError(`invalid label name ${JSON.stringify(label)}`);
  }
  return {
    type: "matrix",
    series: await ev.rangeEval(args, (inputs: StepInput[]) => {
      const vec = inputs[hasParam ? 1 : 0] as EvalSample[];
      const param = hasParam ? inputs[0] : undefined;
      return aggregateStep(ev, e, vec, param);
    }),
  };
}

// Aggregations whose state per group and step is a few numbers: computed series by series.
const STREAMING_OPS: ReadonlySet<AggregateOp> = new Set(["sum", "avg", "count", "group", "min", "max", "stddev", "stdvar"]);

/**
 * sum, avg, count, group, min, max, stddev and stdvar without a per-step vector: each input
 * series is assigned its group once, then its points are folded into per-group, per-step state.
 * Series are visited in input order, so every group adds its values in the same order as a
 * step-by-step evaluation does (the float results are identical).
 */
async function aggregateSeriesMajor(ev: Evaluator, e: AggregateExpr, series: readonly EvalSeries[]): Promise<EvalSeries[]> {
  const op = e.op;
  const steps = ev.steps;
  const groupIds = new Map<string, number>();
  const groups: { labels: Labels; dropName: boolean }[] = [];
  const groupOf = new Int32Array(series.length);
  for (let i = 0; i < series.length; i++) {
    const s = series[i] as EvalSeries;
    const gl = groupLabels(s.labels, e.grouping, e.without);
    const key = keyOf(gl);
    let id = groupIds.get(key);
    if (id === undefined) {
      id = groups.length;
      groupIds.set(key, id);
      groups.push({ labels: gl, dropName: false });
    }
    if (s.dropName) (groups[id] as { dropName: boolean }).dropName = true;
    groupOf[i] = id;
  }
  const size = groups.length * steps;
  const count = new Float64Array(size);
  const value = new Float64Array(size);
  const comp = op === "sum" || op === "avg" ? new Float64Array(size) : undefined;
  const mean = op === "avg" || op === "stddev" || op === "stdvar" ? new Float64Array(size) : undefined;
  const incremental = op === "avg" ? new Uint8Array(size) : undefined;
  for (let i = 0; i < series.length; i++) {
    if (ev.ctx.shouldPause()) await ev.ctx.pause();
    const s = series[i] as EvalSeries;
    const base = (groupOf[i] as number) * steps;
    for (let j = 0; j < s.ts.length; j++) {
      const k = base + stepOf(ev, s.ts[j] as number);
      const f = s.vs[j] as number;
      const n = (count[k] as number) + 1;
      count[k] = n;
      if (n === 1) {
        value[k] = op === "stddev" || op === "stdvar" ? (Number.isFinite(f) ? 0 : NaN) : f;
        if (mean !== undefined) mean[k] = f;
        continue;
      }
      switch (op) {
        case "sum": {
          const [sv, c] = kahanSumInc(f, value[k] as number, (comp as Float64Array)[k] as number);
          value[k] = sv;
          (comp as Float64Array)[k] = c;
          break;
        }
        case "avg":
          avgInc(k, f, n, value, comp as Float64Array, mean as Float64Array, incremental as Uint8Array);
          break;
        case "min": {
          const cur = value[k] as number;
          if (cur > f || Number.isNaN(cur)) value[k] = f;
          break;
        }
        case "max": {
          const cur = value[k] as number;
          if (cur < f || Number.isNaN(cur)) value[k] = f;
          break;
        }
        case "stddev":
        case "stdvar": {
          const m = mean as Float64Array;
          const delta = f - (m[k] as number);
          m[k] = (m[k] as number) + delta / n;
          value[k] = (value[k] as number) + delta * (f - (m[k] as number));
          break;
        }
        default:
          break;
      }
    }
  }
  const out: EvalSeries[] = [];
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g] as { labels: Labels; dropName: boolean };
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < steps; i++) {
      const k = g * steps + i;
      const n = count[k] as number;
      if (n === 0) continue;
      let v: number;
      switch (op) {
        case "sum":
          v = (value[k] as number) + ((comp as Float64Array)[k] as number);
          break;
        case "avg":
          v = (incremental as Uint8Array)[k] === 1
            ? ((mean as Float64Array)[k] as number) + ((comp as Float64Array)[k] as number)
            : ((value[k] as number) + ((comp as Float64Array)[k] as number)) / n;
          break;
        case "count":
          v = n;
          break;
        case "group":
          v = 1;
          break;
        case "stdvar":
          v = (value[k] as number) / n;
          break;
        case "stddev":
          v = Math.sqrt((value[k] as number) / n);
          break;
        default:
          v = value[k] as number;
      }
      ts.push(ev.time(i));
      vs.push(v);
    }
    if (ts.length > 0) out.push({ labels: group.labels, ts, vs, dropName: group.dropName && group.labels.has(METRIC_NAME) });
  }
  return out;
}

function stepOf(ev: Evaluator, t: number): number {
  return ev.interval > 0 ? Math.round((t - ev.start) / ev.interval) : 0;
}

/** avg's running state for the n-th value: a Kahan sum, switching to an incremental mean on overflow (as Prometheus 3). */
function avgInc(k: number, f: number, n: number, value: Float64Array, comp: Float64Array, mean: Float64Array, incremental: Uint8Array): void {
  if (incremental[k] === 0) {
    const [nv, nc] = kahanSumInc(f, value[k] as number, comp[k] as number);
    if (nv !== Infinity && nv !== -Infinity) {
      value[k] = nv;
      comp[k] = nc;
      return;
    }
    incremental[k] = 1;
    mean[k] = (value[k] as number) / (n - 1);
    comp[k] = (comp[k] as number) / (n - 1);
  }
  const m = mean[k] as number;
  if (m === Infinity || m === -Infinity) {
    if ((f === Infinity || f === -Infinity) && m > 0 === f > 0) return;
    if (f !== Infinity && f !== -Infinity && !Number.isNaN(f)) return;
  }
  const current = m + (comp[k] as number);
  const [nm, nc] = kahanSumInc(f / n - current / n, m, comp[k] as number);
  mean[k] = nm;
  comp[k] = nc;
}

/** The labels of an aggregation's output group. */
function groupLabels(labels: Labels, grouping: readonly string[], without: boolean): Labels {
  if (without) return labels.without(METRIC_NAME, ...grouping);
  return labels.keep(...grouping);
}

/** quantile, count_values and the k-aggregations at one step (they need the whole group's values). */
function aggregateStep(ev: Evaluator, e: AggregateExpr, vec: EvalSample[], param: StepInput | undefined): EvalSample[] {
  const op = e.op;
  if (op === "topk" || op === "bottomk" || op === "limitk" || op === "limit_ratio") return aggregateK(ev, e, vec, param as number);
  if (op === "count_values") return countValues(e, vec, param as string);
  if (op !== "quantile") throw new PromQLEvalError(`unsupported aggregation ${op}`);
  const q = param as number;
  if (q < 0 || q > 1 || Number.isNaN(q)) ev.ctx.warn(invalidQuantileWarning(q), e.param?.pos);
  const groups = new Map<string, { labels: Labels; values: number[]; dropName: boolean }>();
  for (const s of vec) {
    const gl = groupLabels(s.labels, e.grouping, e.without);
    const key = keyOf(gl);
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels: gl, values: [], dropName: false };
      groups.set(key, g);
    }
    if (s.dropName) g.dropName = true;
    g.values.push(s.v);
  }
  const out: EvalSample[] = [];
  for (const g of groups.values()) {
    out.push({ labels: g.labels, v: quantile(q, g.values), t: 0, dropName: g.dropName && g.labels.has(METRIC_NAME) });
  }
  return out;
}

function keyOf(labels: Labels): string {
  let k = "";
  for (let i = 0; i < labels.size; i++) k += `${labels.nameAt(i)}\xff${labels.valueAt(i)}\xff`;
  return k;
}

function formatParam(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/** count_values: one output per distinct value, labelled with it. */
function countValues(e: AggregateExpr, vec: EvalSample[], label: string): EvalSample[] {
  const groups = new Map<string, EvalSample>();
  const out: EvalSample[] = [];
  for (const s of vec) {
    const metric = s.labels.with(label, formatCountValue(s.v));
    const withValue = groupLabels(metric, e.without || e.grouping.includes(label) ? e.grouping : [...e.grouping, label], e.without);
    const key = keyOf(withValue);
    const g = groups.get(key);
    if (g === undefined) {
      const sample = { labels: withValue, v: 1, t: 0, dropName: false };
      groups.set(key, sample);
      out.push(sample);
    } else g.v++;
  }
  return out;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64). */
function formatCountValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Object.is(v, -0)) return "-0";
  const s = String(v);
  if (!/e/i.test(s)) return s;
  // Expand exponent notation into plain digits, as Go's 'f' format does.
  const [mant, expStr] = s.split("e") as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const pointAt = (mant.replace("-", "").indexOf(".") === -1 ? mant.replace("-", "").length : mant.replace("-", "").indexOf(".")) + exp;
  let res: string;
  if (pointAt <= 0) res = `0.${"0".repeat(-pointAt)}${digits}`;
  else if (pointAt >= digits.length) res = digits + "0".repeat(pointAt - digits.length);
  else res = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return neg ? `-${res}` : res;
}

/** topk, bottomk, limitk and limit_ratio: they keep the original samples, labels and all. */
function aggregateK(ev: Evaluator, e: AggregateExpr, vec: EvalSample[], param: number): EvalSample[] {
  const op = e.op;
  let k = 0;
  let ratio = 0;
  if (op === "limit_ratio") {
    if (Number.isNaN(param)) throw new PromQLEvalError(`Ratio value is NaN`);
    ratio = param;
    if (ratio < -1 || ratio > 1) {
      ev.ctx.warn(invalidRatioWarning(param, ratio < 0 ? -1 : 1), e.param?.pos);
      ratio = ratio < 0 ? -1 : 1;
    }
    if (ratio === 0) return [];
  } else {
    if (Number.isNaN(param)) throw new PromQLEvalError("Parameter value is NaN");
    if (param >= 2 ** 63) throw new PromQLEvalError(`Scalar value ${formatParam(param)} overflows int64`);
    if (param <= -(2 ** 63)) throw new PromQLEvalError(`Scalar value ${formatParam(param)} underflows int64`);
    k = Math.trunc(param);
    if (k < 1) return [];
  }
  const groups = new Map<string, EvalSample[]>();
  const order: EvalSample[][] = [];
  for (const s of vec) {
    const key = keyOf(groupLabels(s.labels, e.grouping, e.without));
    let g = groups.get(key);
    if (g === undefined) {
      g = [];
      groups.set(key, g);
      order.push(g);
    }
    if (op === "limitk") {
      if (g.length < k) g.push(s);
    } else if (op === "limit_ratio") {
      if (ratioSelects(s.labels, ratio)) g.push(s);
    } else {
      pushK(g, s, k, op === "topk");
    }
  }
  const out: EvalSample[] = [];
  for (const g of order) {
    if (op === "topk") g.sort((a, b) => compareTop(b.v, a.v));
    else if (op === "bottomk") g.sort((a, b) => compareBottom(a.v, b.v));
    for (const s of g) out.push(s);
  }
  return out;
}

/** Order for topk: a < b, NaN smallest. */
function compareTop(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order for bottomk: a < b, NaN largest. */
function compareBottom(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keeps the k best samples: largest for topk, smallest for bottomk, NaN always worst. */
function pushK(g: EvalSample[], s: EvalSample, k: number, top: boolean): void {
  if (g.length < k) {
    g.push(s);
    return;
  }
  // Find the worst kept sample.
  let worst = 0;
  for (let i = 1; i < g.length; i++) {
    if (isWorse((g[i] as EvalSample).v, (g[worst] as EvalSample).v, top)) worst = i;
  }
  if (isWorse((g[worst] as EvalSample).v, s.v, top)) g[worst] = s;
}

/** Whether `a` is strictly worse than `b`. */
function isWorse(a: number, b: number, top: boolean): boolean {
  if (Number.isNaN(a)) return !Number.isNaN(b);
  if (Number.isNaN(b)) return false;
  return top ? a < b : a > b;
}

/** limit_ratio's sampling: a series is kept when its hash, scaled to [0, 1), falls in the ratio. */
function ratioSelects(labels: Labels, ratio: number): boolean {
  const offset = Number(prometheusLabelsHash(labels)) / 2 ** 64;
  return ratio >= 0 ? offset < ratio : offset >= 1 + ratio;
}
