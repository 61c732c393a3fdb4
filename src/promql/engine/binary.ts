import { Labels, METRIC_NAME } from "../../model/index.js";
import type { BinaryExpr, BinaryOp, VectorMatching } from "../ast.js";
import { PromQLEvalError } from "../errors.js";
import { checkSameLabelset, mergeSeriesInto } from "./calls.js";
import type { Evaluator } from "./evaluator.js";
import { Stepper } from "./stepper.js";
import type { EvalSeries, Evaluated } from "./types.js";

/**
 * Binary operators as Prometheus evaluates them: scalar/scalar, vector/scalar (either side) and
 * vector/vector with one-to-one, many-to-one and one-to-many matching, plus the set operators.
 */
export async function evalBinary(ev: Evaluator, e: BinaryExpr): Promise<Evaluated> {
  const lhs = await ev.eval(e.lhs);
  const rhs = await ev.eval(e.rhs);
  if (lhs.type === "string" || rhs.type === "string") throw new PromQLEvalError("binary operation on a string");
  if (lhs.type === "scalar" && rhs.type === "scalar") {
    const out = new Float64Array(lhs.values.length);
    for (let i = 0; i < out.length; i++) {
      const l = lhs.values[i] as number;
      const r = rhs.values[i] as number;
      out[i] = isComparison(e.op) ? (holds(e.op, l, r) ? 1 : 0) : arith(e.op, l, r);
    }
    return { type: "scalar", values: out };
  }
  const op = e.op;
  const returnBool = e.returnBool;
  if (lhs.type === "matrix" && rhs.type === "matrix") {
    const matching = e.matching ?? { card: isSetOp(op) ? "many-to-many" : "one-to-one", on: false, labels: [], include: [] };
    return { type: "matrix", series: await vectorVector(ev, op, matching, returnBool, lhs.series, rhs.series) };
  }
  if (lhs.type === "scalar" && rhs.type === "matrix") return { type: "matrix", series: await vectorScalar(ev, op, rhs.series, lhs.values, true, returnBool) };
  if (lhs.type === "matrix" && rhs.type === "scalar") return { type: "matrix", series: await vectorScalar(ev, op, lhs.series, rhs.values, false, returnBool) };
  throw new PromQLEvalError("invalid binary operation");
}

function isComparison(op: BinaryOp): boolean {
  return op === "==" || op === "!=" || op === ">" || op === "<" || op === ">=" || op === "<=";
}

function isSetOp(op: BinaryOp): boolean {
  return op === "and" || op === "or" || op === "unless";
}

/** Whether the operator's result loses the metric name (arithmetic ones). */
function dropsName(op: BinaryOp): boolean {
  return op === "+" || op === "-" || op === "*" || op === "/" || op === "%" || op === "^" || op === "atan2";
}

/** Go's math.Pow, which differs from `**` for a base of 1 or -1 with NaN or infinite exponents. */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

/** An arithmetic operator applied to two values. */
function arith(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      return l / r;
    case "%":
      return l % r;
    case "^":
      return goPow(l, r);
    case "atan2":
      return Math.atan2(l, r);
    default:
      throw new PromQLEvalError(`operator ${JSON.stringify(op)} not allowed for scalar operations`);
  }
}

/** Whether a comparison operator holds for two values. */
function holds(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case "==":
      return l === r;
    case "!=":
      return l !== r;
    case ">":
      return l > r;
    case "<":
      return l < r;
    case ">=":
      return l >= r;
    default:
      return l <= r;
  }
}

/** A vector and a scalar (either side), series by series. */
async function vectorScalar(ev: Evaluator, op: BinaryOp, series: readonly EvalSeries[], scalar: Float64Array, swap: boolean, returnBool: boolean): Promise<EvalSeries[]> {
  const comparison = isComparison(op);
  const drop = returnBool || dropsName(op);
  const out: EvalSeries[] = [];
  for (const s of series) {
    if (ev.ctx.shouldPause()) await ev.ctx.pause();
    const ts: number[] = [];
    const vs: number[] = [];
    for (let j = 0; j < s.ts.length; j++) {
      const v = s.vs[j] as number;
      const sv = scalar[stepOf(ev, s.ts[j] as number)] as number;
      let value: number;
      if (comparison) {
        // A comparison keeps the vector element's value, whichever side it is on.
        const ok = swap ? holds(op, sv, v) : holds(op, v, sv);
        if (returnBool) value = ok ? 1 : 0;
        else if (ok) value = v;
        else continue;
      } else {
        value = swap ? arith(op, sv, v) : arith(op, v, sv);
      }
      ts.push(s.ts[j] as number);
      vs.push(value);
    }
    if (ts.length === 0) continue;
    const r: EvalSeries = { labels: s.labels, ts, vs, dropName: s.dropName };
    if (drop) ev.dropName(r);
    out.push(r);
  }
  return drop ? checkSameLabelset(ev, out) : out;
}

function stepOf(ev: Evaluator, t: number): number {
  return ev.interval > 0 ? Math.round((t - ev.start) / ev.interval) : 0;
}

/** Gives every distinct signature a small integer, so per-step matching works on arrays. */
class SignatureIds {
  readonly #ids = new Map<string, number>();
  readonly #on: boolean;
  readonly #names: readonly string[];

  constructor(matching: VectorMatching) {
    this.#on = matching.on;
    this.#names = matching.labels;
  }

  of(series: readonly EvalSeries[]): Int32Array {
    const out = new Int32Array(series.length);
    for (let i = 0; i < series.length; i++) {
      const key = signature((series[i] as EvalSeries).labels, this.#on, this.#names);
      let id = this.#ids.get(key);
      if (id === undefined) {
        id = this.#ids.size;
        this.#ids.set(key, id);
      }
      out[i] = id;
    }
    return out;
  }

  get size(): number {
    return this.#ids.size;
  }
}

/** Two vectors, step by step, with signatures and result labels computed once per series (pair). */
async function vectorVector(ev: Evaluator, op: BinaryOp, matching: VectorMatching, returnBool: boolean, lhs: readonly EvalSeries[], rhs: readonly EvalSeries[]): Promise<EvalSeries[]> {
  const ids = new SignatureIds(matching);
  const lSig = ids.of(lhs);
  const rSig = ids.of(rhs);
  if (isSetOp(op)) return await setOperation(ev, op, lhs, rhs, lSig, rSig, ids.size);
  if (matching.card === "many-to-many") throw new PromQLEvalError("many-to-many only allowed for set operators");
  const oneToMany = matching.card === "one-to-many";
  const many = oneToMany ? rhs : lhs;
  const one = oneToMany ? lhs : rhs;
  const manySig = oneToMany ? rSig : lSig;
  const oneSig = oneToMany ? lSig : rSig;
  const manyStep = new Stepper(many);
  const oneStep = new Stepper(one);
  const n = ids.size;
  const oneStamp = new Int32Array(n).fill(-1);
  const oneAt = new Int32Array(n);
  const oneVal = new Float64Array(n);
  const matchedStamp = new Int32Array(n).fill(-1);
  const groupSeen = new Map<number, Set<bigint>>();
  const pairs = new Map<number, EvalSeries>();
  const out: EvalSeries[] = [];
  const comparison = isComparison(op);
  const drop = returnBool || dropsName(op);
  for (let i = 0; i < ev.steps; i++) {
    if (ev.ctx.shouldPause()) await ev.ctx.pause();
    const t = ev.time(i);
    oneStep.advance(t);
    manyStep.advance(t);
    // Nothing can match when a side is empty; Prometheus then checks nothing either.
    if (oneStep.count === 0 || manyStep.count === 0) continue;
    for (let k = 0; k < oneStep.count; k++) {
      const o = oneStep.index[k] as number;
      const sig = oneSig[o] as number;
      if (oneStamp[sig] === i) {
        const dup = one[oneAt[sig] as number] as EvalSeries;
        const cur = one[o] as EvalSeries;
        throw new PromQLEvalError(
          `found duplicate series for the match group ${matchLabels(cur.labels, matching).toString()} on the ${oneToMany ? "left" : "right"} hand-side of the operation: ` +
            `[${dup.labels.toString()}, ${cur.labels.toString()}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      oneStamp[sig] = i;
      oneAt[sig] = o;
      oneVal[sig] = oneStep.values[k] as number;
    }
    if (matching.card !== "one-to-one") groupSeen.clear();
    for (let k = 0; k < manyStep.count; k++) {
      const m = manyStep.index[k] as number;
      const sig = manySig[m] as number;
      if (oneStamp[sig] !== i) continue;
      const o = oneAt[sig] as number;
      const pairKey = m * one.length + o;
      let target = pairs.get(pairKey);
      if (target === undefined) {
        const ms = many[m] as EvalSeries;
        const r: EvalSeries = { labels: resultLabels(ev, ms.labels, (one[o] as EvalSeries).labels, op, matching), ts: [], vs: [], dropName: comparison && !returnBool ? ms.dropName : false };
        if (drop) ev.dropName(r);
        target = r;
        pairs.set(pairKey, r);
        out.push(r);
      }
      // Uniqueness is checked before a comparison filters: the matching itself is ambiguous.
      if (matching.card === "one-to-one") {
        if (matchedStamp[sig] === i) throw new PromQLEvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
        matchedStamp[sig] = i;
      } else {
        let seen = groupSeen.get(sig);
        if (seen === undefined) {
          seen = new Set();
          groupSeen.set(sig, seen);
        }
        const h = target.labels.hash();
        if (seen.has(h)) throw new PromQLEvalError("multiple matches for labels: grouping labels must ensure unique matches");
        seen.add(h);
      }
      let fl = manyStep.values[k] as number;
      let fr = oneVal[sig] as number;
      if (oneToMany) [fl, fr] = [fr, fl];
      if (!comparison) {
        target.ts.push(t);
        target.vs.push(arith(op, fl, fr));
      } else if (returnBool) {
        target.ts.push(t);
        target.vs.push(holds(op, fl, fr) ? 1 : 0);
      } else if (holds(op, fl, fr)) {
        // A comparison's result is the left-hand value.
        target.ts.push(t);
        target.vs.push(fl);
      }
    }
  }
  return mergeByLabels(out.filter((s) => s.ts.length > 0));
}

/** and, or, unless: which samples of each side survive, step by step, by signature. */
async function setOperation(ev: Evaluator, op: BinaryOp, lhs: readonly EvalSeries[], rhs: readonly EvalSeries[], lSig: Int32Array, rSig: Int32Array, nSig: number): Promise<EvalSeries[]> {
  const mark = new Int32Array(nSig).fill(-1);
  const lOut: (EvalSeries | undefined)[] = new Array<EvalSeries | undefined>(lhs.length);
  const rOut: (EvalSeries | undefined)[] = new Array<EvalSeries | undefined>(rhs.length);
  const lStep = new Stepper(lhs);
  const rStep = new Stepper(rhs);
  const emit = (outs: (EvalSeries | undefined)[], src: readonly EvalSeries[], idx: number, t: number, v: number): void => {
    let r = outs[idx];
    if (r === undefined) {
      const s = src[idx] as EvalSeries;
      r = { labels: s.labels, ts: [], vs: [], dropName: s.dropName };
      outs[idx] = r;
    }
    r.ts.push(t);
    r.vs.push(v);
  };
  for (let i = 0; i < ev.steps; i++) {
    if (ev.ctx.shouldPause()) await ev.ctx.pause();
    const t = ev.time(i);
    lStep.advance(t);
    rStep.advance(t);
    if (op === "or") {
      for (let k = 0; k < lStep.count; k++) {
        const l = lStep.index[k] as number;
        mark[lSig[l] as number] = i;
        emit(lOut, lhs, l, t, lStep.values[k] as number);
      }
      for (let k = 0; k < rStep.count; k++) {
        const r = rStep.index[k] as number;
        if (mark[rSig[r] as number] !== i) emit(rOut, rhs, r, t, rStep.values[k] as number);
      }
      continue;
    }
    for (let k = 0; k < rStep.count; k++) mark[rSig[rStep.index[k] as number] as number] = i;
    for (let k = 0; k < lStep.count; k++) {
      const l = lStep.index[k] as number;
      if ((mark[lSig[l] as number] === i) === (op === "and")) emit(lOut, lhs, l, t, lStep.values[k] as number);
    }
  }
  const out: EvalSeries[] = [];
  for (const r of lOut) if (r !== undefined) out.push(r);
  for (const r of rOut) if (r !== undefined) out.push(r);
  return mergeByLabels(out);
}

/** Merges series with equal labels (points at different steps); a shared step is an error. */
function mergeByLabels(series: EvalSeries[]): EvalSeries[] {
  if (series.length < 2) return series;
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

/** The matching signature of a sample's labels: the `on` labels, or all but the `ignoring` ones and the name. */
export function signature(labels: Labels, on: boolean, names: readonly string[]): string {
  let key = "";
  if (on) {
    for (const n of names) key += `${labels.get(n)}\xff`;
    return key;
  }
  for (let i = 0; i < labels.size; i++) {
    const n = labels.nameAt(i);
    if (n === METRIC_NAME || names.includes(n)) continue;
    key += `${n}\xff${labels.valueAt(i)}\xff`;
  }
  return key;
}

function matchLabels(labels: Labels, matching: VectorMatching): Labels {
  if (matching.on) return labels.keep(...matching.labels);
  return labels.without(METRIC_NAME, ...matching.labels);
}

/** The labels of a vector/vector result, as Prometheus's resultMetric. */
function resultLabels(ev: Evaluator, many: Labels, one: Labels, op: BinaryOp, matching: VectorMatching): Labels {
  let labels = many;
  if (dropsName(op) && !ev.ctx.delayedNameRemoval) labels = labels.without(METRIC_NAME);
  if (matching.card === "one-to-one") {
    labels = matching.on ? labels.keep(...matching.labels) : labels.without(...matching.labels);
  }
  if (matching.include.length > 0) {
    const pairs = new Map<string, string>();
    for (let i = 0; i < labels.size; i++) pairs.set(labels.nameAt(i), labels.valueAt(i));
    for (const n of matching.include) {
      const v = one.get(n);
      if (v !== "") pairs.set(n, v);
      else pairs.delete(n);
    }
    labels = Labels.fromPairs([...pairs.entries()]);
  }
  return labels;
}
