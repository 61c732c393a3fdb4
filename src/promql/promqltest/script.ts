import type { Labels } from "../../model/index.js";

/**
 * A parsed PromQL test script (Prometheus's `promql/promqltest` language, described in
 * `shared/conformance/promql/DSL.md`). Times are ms since the Unix epoch, as in the scripts, which
 * count from 0. Line numbers are 1-based.
 */
export interface Script {
  readonly commands: readonly Command[];
}

/** One command of a script, in file order. */
export type Command = LoadCommand | ClearCommand | EvalCommand;

/** A native histogram sample (`{{…}}`), kept as written: the runner only needs to know it is there. */
export interface HistogramText {
  readonly histogram: string;
}

/**
 * The staleness marker, written `stale`. Kept apart from NaN because V8 may canonicalize the NaN
 * bit pattern that marks staleness when it stores a number in an array.
 */
export interface StaleMarker {
  readonly stale: true;
}

/** The one staleness marker value. */
export const STALE: StaleMarker = Object.freeze({ stale: true });

/** One position of a value sequence: a float, `stale`, a native histogram, or `undefined` for `_` (no sample). */
export type SequenceValue = number | StaleMarker | HistogramText | undefined;

/** `clear`: drop all stored data. */
export interface ClearCommand {
  readonly kind: "clear";
  readonly line: number;
}

/** One series line of a `load` block. */
export interface LoadSeries {
  readonly line: number;
  readonly labels: Labels;
  /** Sample i is at `i * intervalMs`. */
  readonly values: readonly SequenceValue[];
  /** An `@st` line (per series or block-wide) gave start timestamps for this series. */
  readonly hasStartTimestamps: boolean;
}

/** `load <interval>` or `load_with_nhcb <interval>`: append samples in one transaction. */
export interface LoadCommand {
  readonly kind: "load";
  readonly line: number;
  readonly intervalMs: number;
  /** `load_with_nhcb`: classic histogram series also become native histograms under their base name. */
  readonly withNHCB: boolean;
  /** In line order; a later line for the same labels replaces an earlier one, as upstream. */
  readonly series: readonly LoadSeries[];
}

/** How an expected message (error or annotation) is matched. */
export type TextExpectation =
  | { readonly kind: "any" }
  | { readonly kind: "message"; readonly text: string }
  | { readonly kind: "regex"; readonly source: string; readonly regex: RegExp };

/** The `expect …` lines of an eval, grouped by type. */
export interface Expectations {
  /** At most one. */
  readonly fail: readonly TextExpectation[];
  readonly warn: readonly TextExpectation[];
  readonly info: readonly TextExpectation[];
  readonly noWarn: boolean;
  readonly noInfo: boolean;
  readonly ordered: boolean;
}

/** One expected series of an eval's result. */
export interface ExpectedSeries {
  readonly line: number;
  /** 1-based position among the result lines, checked for ordered expectations. */
  readonly position: number;
  readonly labels: Labels;
  /** One value for an instant vector; value i at `start + i*step` for a matrix. */
  readonly values: readonly SequenceValue[];
}

/** `eval instant at …` or `eval range from … to … step …` with its expectations. */
export interface EvalCommand {
  readonly kind: "eval";
  readonly line: number;
  readonly query: string;
  readonly range: boolean;
  /** Instant: the eval time, or the `expect range vector` start. Range: the query start. */
  readonly start: number;
  /** Range query end, or the `expect range vector` end; 0 for a plain instant eval, as upstream. */
  readonly end: number;
  /** Range query step, or the `expect range vector` step; 0 for a plain instant eval. */
  readonly step: number;
  /** When an instant query runs: its `at` time, or the `expect range vector` end. */
  readonly evalTime: number;
  /** Flags from the deprecated `eval_fail`, `eval_warn`, `eval_info`, `eval_ordered` prefixes. */
  readonly legacy: { readonly fail: boolean; readonly warn: boolean; readonly info: boolean; readonly ordered: boolean };
  /** `expected_fail_message` (exact) or `expected_fail_regexp`, after `eval_fail`. */
  readonly legacyFail: TextExpectation | undefined;
  readonly expect: Expectations;
  /** A scalar result is expected (a line that is only a number). */
  readonly expectedScalar: SequenceValue | undefined;
  /** `expect string`; upstream compares a string result with "" when absent. */
  readonly expectedString: string | undefined;
  /** Expected series; keyed uniquely by labels (a later line for the same labels replaces an earlier one). */
  readonly expectedSeries: readonly ExpectedSeries[];
  /** `expect range vector` was given: the instant query returns a matrix. */
  readonly expectRangeVector: boolean;
  /** Upstream does not re-run this instant eval as a range query (`expect range vector`, `expect string`). */
  readonly excludeFromRangeQuery: boolean;
  /** Some expected value is a native histogram. */
  readonly expectsHistograms: boolean;
}

/** Whether a sequence value is a native histogram. */
export function isHistogram(v: SequenceValue): v is HistogramText {
  return typeof v === "object" && "histogram" in v;
}

/** Whether a sequence value is the staleness marker. */
export function isStale(v: SequenceValue): v is StaleMarker {
  return v === STALE;
}

/** Whether the eval expects an error (`expect fail` or `eval_fail`). */
export function expectsFailure(ev: EvalCommand): boolean {
  return ev.legacy.fail || ev.expect.fail.length > 0;
}

/** Whether the eval expects an ordered vector (`expect ordered` or `eval_ordered`). */
export function expectsOrdered(ev: EvalCommand): boolean {
  return ev.legacy.ordered || ev.expect.ordered;
}
