// Normalizes what Meridian and a real Prometheus report about their scrapes (targets API, series
// API, `up`) into comparable string sets, and reports differences with both sides shown.
import { AssertionError } from "node:assert";

/** One active target as `/api/v1/targets` reports it (Prometheus 2.42's shape). */
export interface ApiActiveTarget {
  readonly discoveredLabels: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly health: string;
  readonly lastError: string;
  readonly lastScrape: string;
}

/** The `data` of `/api/v1/targets`. */
export interface ApiTargets {
  readonly activeTargets: readonly ApiActiveTarget[];
  readonly droppedTargets: readonly { readonly discoveredLabels: Readonly<Record<string, string>> }[];
}

/** Label names left out of discovered label sets, by job (file_sd's `__meta_filepath` where one side used Consul SD). */
export type IgnoredLabels = ReadonlyMap<string, readonly string[]>;

/** A label set as one canonical string: `{a="1", b="2"}`, names sorted. */
export function labelKey(labels: Readonly<Record<string, string>>, without: readonly string[] = []): string {
  const names = Object.keys(labels).filter((n) => !without.includes(n)).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(", ")}}`;
}

/** Sorted, de-duplicated copy of `items`. */
function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

/**
 * The targets API as comparable facts: active targets' public labels with their health and scrape
 * URL, and dropped targets' discovered labels (minus ignored names).
 *
 * Active targets' discovered labels are left out: Prometheus 2.42 shows them corrupted, because
 * its relabel.Process builds each step's result in the input's backing array
 * (`lb.Labels(lset)` in model/relabel/relabel.go), which is the `preRelabelLabels` slice
 * PopulateLabels keeps as the discovered labels. Dropped targets are unaffected as long as the
 * rule that drops them precedes any rule that changes labels.
 */
export function targetFacts(data: ApiTargets, ignored: IgnoredLabels): string[] {
  const facts: string[] = [];
  for (const t of data.activeTargets) {
    facts.push(`active ${t.scrapePool} ${labelKey(t.labels)} health=${t.health}`);
    facts.push(`active ${t.scrapePool} ${labelKey(t.labels)} scrapeUrl=${t.scrapeUrl}`);
  }
  for (const d of data.droppedTargets) {
    const job = d.discoveredLabels["job"] ?? "";
    facts.push(`dropped ${job} ${labelKey(d.discoveredLabels, ignored.get(job) ?? [])}`);
  }
  return sortedSet(facts);
}

/** `up` per target from the targets API: 1 when health is "up", else 0. */
export function upFromHealth(data: ApiTargets): string[] {
  return sortedSet(data.activeTargets.map((t) => `up${labelKey(t.labels)} ${t.health === "up" ? 1 : 0}`));
}

/** `up` per target from an instant query's vector result. */
export function upFromQuery(result: readonly { metric: Readonly<Record<string, string>>; value: readonly [number, string] }[]): string[] {
  return sortedSet(result.map((s) => `up${labelKey(s.metric, ["__name__"])} ${s.value[1]}`));
}

/** Series label sets as canonical strings. */
export function seriesFacts(series: readonly Readonly<Record<string, string>>[]): string[] {
  return sortedSet(series.map((s) => labelKey(s)));
}

/** What only one side has. */
export interface SetDiff {
  readonly onlyMeridian: readonly string[];
  readonly onlyPrometheus: readonly string[];
}

/** The elements of each (sorted) side that the other lacks. */
export function diffSets(meridian: readonly string[], prometheus: readonly string[]): SetDiff {
  const m = new Set(meridian);
  const p = new Set(prometheus);
  return { onlyMeridian: meridian.filter((x) => !p.has(x)), onlyPrometheus: prometheus.filter((x) => !m.has(x)) };
}

/** Whether the two sides agree. */
export function same(diff: SetDiff): boolean {
  return diff.onlyMeridian.length === 0 && diff.onlyPrometheus.length === 0;
}

/** Throws an AssertionError listing the differences and both full sides, unless they agree. */
export function assertSameSets(what: string, meridian: readonly string[], prometheus: readonly string[]): void {
  const diff = diffSets(meridian, prometheus);
  if (same(diff)) return;
  const list = (xs: readonly string[]) => (xs.length === 0 ? "  (none)" : xs.map((x) => `  ${x}`).join("\n"));
  throw new AssertionError({
    message:
      `${what}: Meridian and Prometheus disagree\n` +
      `only in Meridian (${diff.onlyMeridian.length}):\n${list(diff.onlyMeridian)}\n` +
      `only in Prometheus (${diff.onlyPrometheus.length}):\n${list(diff.onlyPrometheus)}\n` +
      `--- Meridian (${meridian.length}) ---\n${list(meridian)}\n` +
      `--- Prometheus (${prometheus.length}) ---\n${list(prometheus)}`,
    actual: meridian,
    expected: prometheus,
    operator: "deepStrictEqual",
  });
}
