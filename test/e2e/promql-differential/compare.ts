// Compares two answers of the Prometheus query API: the reference's (real Prometheus) and the
// candidate's. Same HTTP status and `status`; on error the same errorType (the message wording
// may differ); on success the same resultType, the same label sets exactly, the same timestamps,
// and values equal within REL_TOLERANCE (NaN equals NaN, infinities compare exactly). Vectors and
// matrices are compared as sets keyed by label set, except the instant result of a top-level
// sort()/sort_desc(), whose order must match too (any order among equal values).
import type { ApiAnswer } from "./api-client.js";

/** Relative tolerance of value comparisons. */
export const REL_TOLERANCE = 1e-6;
// Below this absolute difference two values are equal whatever their size: sums in another order
// or with Kahan compensation (Prometheus 3 uses it for sum, avg, *_over_time) may leave 1e-16-ish
// residues where the exact answer is 0.
const ABS_TOLERANCE = 1e-12;
// Differences reported per query before the rest are only counted.
const MAX_DETAILS = 4;

type Labels = Readonly<Record<string, string>>;

interface Point {
  readonly t: number;
  readonly v: number;
}

/** A parsed successful result. */
type Result =
  | { readonly type: "vector"; readonly samples: readonly { readonly labels: Labels; readonly point: Point }[] }
  | { readonly type: "matrix"; readonly series: readonly { readonly labels: Labels; readonly points: readonly Point[] }[] }
  | { readonly type: "scalar"; readonly point: Point }
  | { readonly type: "string"; readonly t: number; readonly value: string };

/** How the results of one query are compared. */
export interface CompareOptions {
  /** The instant result's order matters (top-level sort/sort_desc). */
  readonly ordered?: boolean;
}

/** The canonical key of a label set: its pairs sorted by name, as JSON. */
export function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function showLabels(labels: Labels): string {
  return `{${Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;
}

/** Whether two sample values are the same under the comparison rules. */
export function sameValue(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  const diff = Math.abs(a - b);
  return diff <= ABS_TOLERANCE || diff <= REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

// Go's float formatting as the API writes values: NaN, +Inf, -Inf, or a decimal/exponent number.
function parseValue(text: unknown): number | undefined {
  if (text === "NaN") return NaN;
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (typeof text !== "string" || !/^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function parsePoint(pair: unknown, what: string): Point {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "number") throw new Error(`${what}: not a [time, "value"] pair: ${JSON.stringify(pair)}`);
  const v = parseValue(pair[1]);
  if (v === undefined) throw new Error(`${what}: value ${JSON.stringify(pair[1])} is not written as Prometheus writes floats`);
  return { t: Math.round(pair[0] * 1000), v };
}

function parseLabels(metric: unknown, what: string): Labels {
  if (typeof metric !== "object" || metric === null || Array.isArray(metric)) throw new Error(`${what}: metric is not an object`);
  for (const v of Object.values(metric)) if (typeof v !== "string") throw new Error(`${what}: label value ${JSON.stringify(v)} is not a string`);
  return metric as Labels;
}

/** Parses a successful answer's data; throws with what is malformed. */
function parseResult(data: { resultType?: unknown; result?: unknown }): Result {
  const { resultType, result } = data;
  switch (resultType) {
    case "vector":
      if (!Array.isArray(result)) throw new Error("vector result is not an array");
      return {
        type: "vector",
        samples: result.map((s: { metric?: unknown; value?: unknown }, i) => ({ labels: parseLabels(s.metric, `sample ${i}`), point: parsePoint(s.value, `sample ${i}`) })),
      };
    case "matrix":
      if (!Array.isArray(result)) throw new Error("matrix result is not an array");
      return {
        type: "matrix",
        series: result.map((s: { metric?: unknown; values?: unknown }, i) => {
          if (!Array.isArray(s.values)) throw new Error(`series ${i}: values is not an array`);
          return { labels: parseLabels(s.metric, `series ${i}`), points: s.values.map((p: unknown, j) => parsePoint(p, `series ${i} point ${j}`)) };
        }),
      };
    case "scalar":
      return { type: "scalar", point: parsePoint(result, "scalar") };
    case "string":
      if (!Array.isArray(result) || result.length !== 2 || typeof result[0] !== "number" || typeof result[1] !== "string") throw new Error("string result is not [time, string]");
      return { type: "string", t: Math.round(result[0] * 1000), value: result[1] };
    default:
      throw new Error(`unknown resultType ${JSON.stringify(resultType)}`);
  }
}

function showPoint(p: Point | undefined): string {
  return p === undefined ? "nothing" : `${p.v} @${p.t / 1000}`;
}

/** Collects differences, keeping the first MAX_DETAILS and counting the rest. */
class Diffs {
  readonly lines: string[] = [];
  #more = 0;

  add(line: string): void {
    if (this.lines.length < MAX_DETAILS) this.lines.push(line);
    else this.#more++;
  }

  done(): string[] {
    return this.#more > 0 ? [...this.lines, `… and ${this.#more} more difference(s)`] : this.lines;
  }
}

function byKey<T extends { readonly labels: Labels }>(items: readonly T[], side: string, diffs: Diffs): Map<string, T> {
  const out = new Map<string, T>();
  for (const item of items) {
    const key = labelKey(item.labels);
    if (out.has(key)) diffs.add(`${side} returned ${showLabels(item.labels)} twice`);
    out.set(key, item);
  }
  return out;
}

function comparePoints(labels: Labels, want: readonly Point[], got: readonly Point[], diffs: Diffs): void {
  const times = new Map<number, [Point | undefined, Point | undefined]>();
  for (const p of want) times.set(p.t, [p, undefined]);
  for (const p of got) times.set(p.t, [times.get(p.t)?.[0], p]);
  for (const [, [w, g]] of [...times].sort(([a], [b]) => a - b)) {
    if (w === undefined || g === undefined || !sameValue(w.v, g.v)) diffs.add(`${showLabels(labels)}: prometheus ${showPoint(w)}, meridian ${showPoint(g)}`);
  }
}

function compareSets<T extends { readonly labels: Labels }>(want: readonly T[], got: readonly T[], diffs: Diffs, same: (w: T, g: T) => void): void {
  const w = byKey(want, "prometheus", diffs);
  const g = byKey(got, "meridian", diffs);
  for (const [key, item] of w) {
    const other = g.get(key);
    if (other === undefined) diffs.add(`${showLabels(item.labels)} only in prometheus`);
    else same(item, other);
  }
  for (const [key, item] of g) if (!w.has(key)) diffs.add(`${showLabels(item.labels)} only in meridian`);
}

// Runs of equal values in the reference's order may come in any order from the candidate.
function compareOrder(want: readonly { labels: Labels; point: Point }[], got: readonly { labels: Labels; point: Point }[], diffs: Diffs): void {
  if (want.length !== got.length) return;
  for (let i = 0; i < want.length; ) {
    let j = i + 1;
    while (j < want.length && sameValue((want[j] as { point: Point }).point.v, (want[i] as { point: Point }).point.v)) j++;
    const wantKeys = new Set(want.slice(i, j).map((s) => labelKey(s.labels)));
    for (let k = i; k < j; k++) {
      const g = got[k] as { labels: Labels; point: Point };
      if (!wantKeys.has(labelKey(g.labels))) {
        diffs.add(`order: position ${k} is ${showLabels(g.labels)}=${g.point.v}, prometheus has ${showLabels((want[k] as { labels: Labels }).labels)}=${(want[k] as { point: Point }).point.v}`);
        return;
      }
    }
    i = j;
  }
}

function describeError(a: ApiAnswer): string {
  if (a.body === undefined) return a.httpStatus === 0 ? `no answer (${a.excerpt})` : `HTTP ${a.httpStatus} ${JSON.stringify(a.excerpt.slice(0, 160))}`;
  return `HTTP ${a.httpStatus} ${String(a.body.errorType)}: ${String(a.body.error).slice(0, 160)}`;
}

/**
 * The differences between the reference's answer and the candidate's; empty when they agree.
 * Throws when the reference's own answer is malformed (a harness problem, not a finding).
 */
export function compareAnswers(reference: ApiAnswer, candidate: ApiAnswer, options: CompareOptions = {}): string[] {
  const want = reference.body;
  if (want === undefined || (want.status !== "success" && want.status !== "error")) throw new Error(`prometheus gave no API answer: ${describeError(reference)}`);
  const got = candidate.body;
  if (got === undefined || (got.status !== "success" && got.status !== "error")) {
    return [`meridian gave no API answer: ${describeError(candidate)}; prometheus: ${want.status === "error" ? describeError(reference) : "success"}`];
  }
  if (want.status === "error" || got.status === "error") {
    if (want.status !== got.status) {
      return [want.status === "error" ? `prometheus refused (${describeError(reference)}), meridian answered` : `meridian refused (${describeError(candidate)}), prometheus answered`];
    }
    const out: string[] = [];
    if (want.errorType !== got.errorType) out.push(`errorType: prometheus ${String(want.errorType)}, meridian ${String(got.errorType)} (${String(got.error).slice(0, 160)})`);
    if (reference.httpStatus !== candidate.httpStatus) out.push(`HTTP status: prometheus ${reference.httpStatus}, meridian ${candidate.httpStatus}`);
    return out;
  }
  if (reference.httpStatus !== candidate.httpStatus) return [`HTTP status: prometheus ${reference.httpStatus}, meridian ${candidate.httpStatus}`];
  const w = parseResult(want.data ?? {});
  let g: Result;
  try {
    g = parseResult(got.data ?? {});
  } catch (err) {
    return [`meridian's result is malformed: ${(err as Error).message}`];
  }
  if (w.type !== g.type) return [`resultType: prometheus ${w.type}, meridian ${g.type}`];
  const diffs = new Diffs();
  if (w.type === "vector" && g.type === "vector") {
    compareSets(w.samples, g.samples, diffs, (a, b) => comparePoints(a.labels, [a.point], [b.point], diffs));
    if (options.ordered && diffs.lines.length === 0) compareOrder(w.samples, g.samples, diffs);
  } else if (w.type === "matrix" && g.type === "matrix") {
    compareSets(w.series, g.series, diffs, (a, b) => comparePoints(a.labels, a.points, b.points, diffs));
  } else if (w.type === "scalar" && g.type === "scalar") {
    comparePoints({}, [w.point], [g.point], diffs);
  } else if (w.type === "string" && g.type === "string") {
    if (w.t !== g.t || w.value !== g.value) diffs.add(`string: prometheus ${JSON.stringify(w.value)} @${w.t / 1000}, meridian ${JSON.stringify(g.value)} @${g.t / 1000}`);
  }
  return diffs.done();
}
