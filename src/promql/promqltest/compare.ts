/**
 * How a test script judges a query's outcome, following upstream `promqltest`: results against
 * the expected values, errors against `expect fail`, and annotations against `expect warn|info`.
 * Each check returns a failure reason, or undefined when the outcome is as expected.
 */
import { isStaleNaN } from "../../storage/index.js";
import type { MatrixValue, QueryValue, SeriesPoints, VectorValue } from "../value.js";
import { expectsOrdered, isHistogram, isStale } from "./script.js";
import type { EvalCommand, ExpectedSeries, SequenceValue, StaleMarker, TextExpectation } from "./script.js";

/** Relative tolerance of value comparisons, as upstream's `defaultEpsilon`. */
export const DEFAULT_EPSILON = 1e-6;

const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Prometheus 3's `almost.Equal`: StaleNaN equals only StaleNaN, NaN equals NaN, and otherwise the
 * relative difference must be below epsilon (an absolute one scaled by the smallest normal float
 * when either side is 0 or both are tiny).
 */
export function almostEqual(a: number, b: number, epsilon = DEFAULT_EPSILON): boolean {
  const staleA = isStaleNaN(a);
  const staleB = isStaleNaN(b);
  if (staleA || staleB) return staleA && staleB;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

// An expected float or `stale` against a value; `stale` equals only the staleness marker.
function matchesValue(want: number | StaleMarker, got: number): boolean {
  return isStale(want) ? isStaleNaN(got) : almostEqual(want, got);
}

// A float as Go's `%v` prints it, naming the staleness marker.
function formatValue(v: SequenceValue): string {
  if (v === undefined) return "_";
  if (isHistogram(v)) return v.histogram;
  if (isStale(v) || isStaleNaN(v)) return "stale";
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

function formatSeries(s: SeriesPoints): string {
  const points = s.ts.map((t, i) => `${formatValue(s.vs[i])} @[${t}]`);
  return `${points.length} float point${points.length === 1 ? "" : "s"} [${points.join(" ")}]`;
}

function formatVector(v: VectorValue): string {
  return `[${v.samples.map((s) => `${s.labels.toString()} => ${formatValue(s.v)} @[${s.t}]`).join(", ")}]`;
}

function formatMatrix(m: MatrixValue): string {
  return `[${m.series.map((s) => `${s.labels.toString()} => ${formatSeries(s)}`).join(", ")}]`;
}

function expectedByLabels(ev: EvalCommand): Map<string, ExpectedSeries> {
  return new Map(ev.expectedSeries.map((s) => [s.labels.toString(), s]));
}

/** Checks a query value against the eval's expected result. */
export function compareResult(ev: EvalCommand, value: QueryValue): string | undefined {
  switch (value.type) {
    case "matrix":
      return compareMatrix(ev, value);
    case "vector":
      return compareVector(ev, value);
    case "scalar": {
      const exp = ev.expectedScalar;
      if (exp === undefined) return `expected vector or matrix result, but got scalar ${formatValue(value.v)}`;
      if (isHistogram(exp)) return `expected histogram ${exp.histogram} but got scalar ${formatValue(value.v)}`;
      if (!matchesValue(exp, value.v)) return `expected scalar ${formatValue(exp)} but got ${formatValue(value.v)}`;
      return undefined;
    }
    case "string": {
      const exp = ev.expectedString ?? "";
      if (exp !== value.v) return `expected string ${JSON.stringify(exp)} but got ${JSON.stringify(value.v)}`;
      return undefined;
    }
  }
}

/** The first pair of neighbours out of label order, as a failure reason. */
export function checkMatrixSorted(m: MatrixValue): string | undefined {
  for (let i = 1; i < m.series.length; i++) {
    const prev = (m.series[i - 1] as SeriesPoints).labels;
    const cur = (m.series[i] as SeriesPoints).labels;
    if (prev.compare(cur) > 0) {
      return `matrix results should always be sorted by labels, but matrix is not sorted: series at index ${i} with labels ${cur.toString()} sorts before series at index ${i - 1} with labels ${prev.toString()}`;
    }
  }
  return undefined;
}

function compareMatrix(ev: EvalCommand, m: MatrixValue): string | undefined {
  if (expectsOrdered(ev)) return "expected ordered result, but query returned a matrix";
  if (ev.expectedScalar !== undefined) return `expected scalar result, but got matrix ${formatMatrix(m)}`;
  const unsorted = checkMatrixSorted(m);
  if (unsorted !== undefined) return unsorted;
  const expected = expectedByLabels(ev);
  const seen = new Set<string>();
  for (const s of m.series) {
    const key = s.labels.toString();
    const exp = expected.get(key);
    if (exp === undefined) return `unexpected metric ${key} in result, has ${formatSeries(s)}`;
    if (seen.has(key)) return `series ${key} appears twice in the matrix`;
    seen.add(key);
    const floats: { t: number; v: number | StaleMarker }[] = [];
    let histograms = 0;
    for (let i = 0; i < exp.values.length; i++) {
      const t = ev.start + i * ev.step;
      if (t > ev.end) return `expected ${exp.values.length} points for ${key}, but query time range cannot return this many points`;
      const v = exp.values[i];
      if (isHistogram(v)) histograms++;
      else if (v !== undefined) floats.push({ t, v });
    }
    if (floats.length !== s.ts.length || histograms !== 0) {
      return `expected ${floats.length} float points and ${histograms} histogram points for ${key}, but got ${formatSeries(s)}`;
    }
    for (let i = 0; i < floats.length; i++) {
      const want = floats[i] as { t: number; v: number | StaleMarker };
      const t = s.ts[i] as number;
      const v = s.vs[i] as number;
      if (want.t !== t) return `expected float value at index ${i} for ${key} to have timestamp ${want.t}, but it had timestamp ${t} (result has ${formatSeries(s)})`;
      if (!matchesValue(want.v, v)) return `expected float value at index ${i} (t=${t}) for ${key} to be ${formatValue(want.v)}, but got ${formatValue(v)} (result has ${formatSeries(s)})`;
    }
  }
  for (const [key] of expected) if (!seen.has(key)) return `expected metric ${key} not found`;
  return undefined;
}

function compareVector(ev: EvalCommand, vec: VectorValue): string | undefined {
  if (ev.expectedScalar !== undefined) return `expected scalar result, but got vector ${formatVector(vec)}`;
  const expected = expectedByLabels(ev);
  const ordered = expectsOrdered(ev);
  const seen = new Set<string>();
  for (let pos = 0; pos < vec.samples.length; pos++) {
    const s = vec.samples[pos] as VectorValue["samples"][number];
    const key = s.labels.toString();
    const exp = expected.get(key);
    if (exp === undefined) return `unexpected metric ${key} in result, has value ${formatValue(s.v)}`;
    // Upstream's engine refuses such vectors itself; here the runner has to notice.
    if (seen.has(key)) return `vector contains metrics with the same labelset ${key}`;
    if (ordered && exp.position !== pos + 1) {
      return `expected metric ${key} with [${exp.values.map(formatValue).join(" ")}] at position ${exp.position} but was at ${pos + 1}`;
    }
    const want = exp.values[0];
    if (isHistogram(want)) return `expected histogram ${want.histogram} for ${key} but got float value ${formatValue(s.v)}`;
    if (!matchesValue(want ?? 0, s.v)) return `expected ${formatValue(want ?? 0)} for ${key} but got ${formatValue(s.v)}`;
    seen.add(key);
  }
  for (const [key, exp] of expected) {
    if (!seen.has(key)) return `expected metric ${key} with [${exp.values.map(formatValue).join(" ")}] not found`;
  }
  return undefined;
}

// Whether a message satisfies an expectation (`msg:` exact, `regex:` unanchored RE2, or anything).
function matchesText(e: TextExpectation, text: string): boolean {
  switch (e.kind) {
    case "any":
      return true;
    case "message":
      return e.text === text;
    case "regex":
      e.regex.lastIndex = 0;
      return e.regex.test(text);
  }
}

function describe(e: TextExpectation): string {
  return e.kind === "regex" ? `pattern ${JSON.stringify(e.source)}` : e.kind === "message" ? `message ${JSON.stringify(e.text)}` : "anything";
}

/** Checks the error a query failed with against `expect fail` / `eval_fail` expectations. */
export function checkFailure(ev: EvalCommand, message: string): string | undefined {
  if (ev.legacyFail !== undefined && !matchesText(ev.legacyFail, message)) {
    return `expected error matching ${describe(ev.legacyFail)}, but got: ${message}`;
  }
  const fail = ev.expect.fail[0];
  if (fail !== undefined && !matchesText(fail, message)) return `expected error matching ${describe(fail)}, but got: ${message}`;
  return undefined;
}

/** Options of `checkAnnotations`. */
export interface AnnotationCheckOptions {
  /**
   * Drop the ` (line:col)` position Prometheus 3 appends, from both the annotations and `msg:`
   * expectations: for a query rewritten by the runner, positions refer to text upstream prints
   * differently.
   */
  readonly ignorePositions?: boolean;
}

const POSITION_SUFFIX = / \(\d+:\d+\)$/;

/**
 * Checks warnings and infos against the eval's annotation expectations: each `expect warn|info`
 * must match some annotation of its kind and, once one is given, every annotation of that kind
 * must match one of them; `no_warn`/`no_info` forbid any. Without expect lines nothing is checked.
 */
export function checkAnnotations(
  ev: EvalCommand,
  warnings: readonly string[],
  infos: readonly string[],
  options: AnnotationCheckOptions = {},
): string | undefined {
  if (ev.legacy.warn && warnings.length === 0) return "expected warnings but got none";
  if (ev.legacy.info && infos.length === 0) return "expected info annotations but got none";
  const strip = (s: string): string => (options.ignorePositions === true ? s.replace(POSITION_SUFFIX, "") : s);
  const adjust = (e: TextExpectation): TextExpectation => (e.kind === "message" ? { kind: "message", text: strip(e.text) } : e);
  const all = [...warnings.map((w) => `warning: ${w}`), ...infos.map((i) => `info: ${i}`)];
  const ofType = (kind: string, expected: readonly TextExpectation[], actual: readonly string[]): string | undefined => {
    if (expected.length === 0) return undefined;
    if (actual.length === 0) return `expected ${kind} annotations but none were found`;
    // A message is compared without positions when asked; a regex sees the annotation as it is
    // (upstream's patterns spell the position as `\([0-9]+:[0-9]+\)`).
    const matches = (e: TextExpectation, a: string): boolean => (e.kind === "message" ? matchesText(adjust(e), strip(a)) : matchesText(e, a));
    for (const e of expected) {
      if (!actual.some((a) => matches(e, a))) {
        return `expected ${kind} annotation matching ${describe(e)} but no matching annotation was found, found: ${JSON.stringify(all)}`;
      }
    }
    for (const a of actual) {
      if (!expected.some((e) => matches(e, a))) return `unexpected ${kind} annotation ${JSON.stringify(strip(a))}`;
    }
    return undefined;
  };
  const warn = ofType("warn", ev.expect.warn, warnings);
  if (warn !== undefined) return warn;
  const info = ofType("info", ev.expect.info, infos);
  if (info !== undefined) return info;
  if (ev.expect.noWarn && warnings.length > 0) return `unexpected warning annotations: ${JSON.stringify(all)}`;
  if (ev.expect.noInfo && infos.length > 0) return `unexpected info annotations: ${JSON.stringify(all)}`;
  return undefined;
}
