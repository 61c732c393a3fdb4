/**
 * Which evals a float-only engine without Prometheus's experimental parser features cannot be
 * asked to pass, and why. Detection errs towards skipping: a selector that could read a native
 * histogram counts as reading one. Nothing is skipped for failing; a wrong answer is a failure.
 */
import { METRIC_NAME, type Labels, type Matcher } from "../../model/index.js";
import type { QueryAnalysis } from "./query-analysis.js";
import { isHistogram } from "./script.js";
import type { EvalCommand, LoadCommand } from "./script.js";

/** Why an eval was skipped, in the order a report names them. */
export const SKIP_REASONS = [
  "native-histogram-data",
  "nhcb-data",
  "native-histogram-result",
  "native-histogram-function",
  "duration-expression",
  "extended-range-selector",
  "fill-modifier",
  "info-function",
  "start-timestamps",
  "type-and-unit",
  "unsupported-feature-error",
] as const;

/** Why an eval was skipped. */
export type SkipReason = (typeof SKIP_REASONS)[number];

// Functions that only read native histograms (histogram_quantile also reads classic `le` buckets).
const NATIVE_HISTOGRAM_FUNCTIONS = new Set([
  "histogram_count", "histogram_sum", "histogram_avg", "histogram_fraction", "histogram_stddev", "histogram_stdvar",
  "histogram_quantiles",
]);

const CLASSIC_SUFFIXES = ["_bucket", "_count", "_sum"] as const;

/**
 * The series loaded since the last `clear` that carry something a float-only engine does not
 * store: native histogram samples, NHCB conversions, start timestamps, type and unit labels.
 */
export class LoadedFeatures {
  readonly #series: { readonly labels: Labels; readonly reason: SkipReason }[] = [];

  /** Records what a load block brings in. */
  add(load: LoadCommand): void {
    for (const s of load.series) {
      if (s.values.some(isHistogram)) this.#series.push({ labels: s.labels, reason: "native-histogram-data" });
      if (s.hasStartTimestamps) this.#series.push({ labels: s.labels, reason: "start-timestamps" });
      if (s.labels.has("__type__") || s.labels.has("__unit__")) this.#series.push({ labels: s.labels, reason: "type-and-unit" });
      const base = load.withNHCB ? nhcbSeries(s.labels) : undefined;
      if (base !== undefined) this.#series.push({ labels: base, reason: "nhcb-data" });
    }
  }

  /** The reasons of the recorded series that any of the selectors could select. */
  touchedBy(selectors: readonly (readonly Matcher[] | undefined)[]): Set<SkipReason> {
    const out = new Set<SkipReason>();
    for (const { labels, reason } of this.#series) {
      if (out.has(reason)) continue;
      if (selectors.some((ms) => ms === undefined || ms.every((m) => m.matches(labels.get(m.name))))) out.add(reason);
    }
    return out;
  }
}

// The native histogram with custom buckets that `load_with_nhcb` derives from a classic series.
function nhcbSeries(labels: Labels): Labels | undefined {
  const name = labels.metricName;
  const suffix = CLASSIC_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix === undefined || (suffix === "_bucket" && !labels.has("le"))) return undefined;
  return labels.without("le").with(METRIC_NAME, name.slice(0, -suffix.length));
}

/** Every reason to skip an eval found before running it, in SKIP_REASONS order. */
export function skipReasons(ev: EvalCommand, query: QueryAnalysis, loaded: LoadedFeatures): SkipReason[] {
  const found = loaded.touchedBy(query.selectors);
  if (ev.expectsHistograms) found.add("native-histogram-result");
  for (const f of query.functions) {
    if (NATIVE_HISTOGRAM_FUNCTIONS.has(f)) found.add("native-histogram-function");
    if (f === "info") found.add("info-function");
    if (f === "start_timestamp") found.add("start-timestamps");
  }
  for (const f of query.features) found.add(f);
  if (/__type__|__unit__/.test(ev.query) || ev.expectedSeries.some((s) => s.labels.has("__type__") || s.labels.has("__unit__"))) {
    found.add("type-and-unit");
  }
  return SKIP_REASONS.filter((r) => found.has(r));
}

/**
 * Whether an error from the engine's parser says the query needs a feature it has not enabled;
 * such an eval is skipped rather than failed. Other errors are failures.
 */
export function isUnsupportedFeatureMessage(message: string): boolean {
  return /experimental|not enabled|is disabled|feature flag|--enable-feature/i.test(message);
}
