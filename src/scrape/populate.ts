import { Labels, formatDuration, isValidLabelValue, parseDuration } from "../model/index.js";
import type { LabelSet } from "../discovery/index.js";
import type { ScrapeJob } from "./job.js";
import { relabel, type CompiledRelabel } from "./relabel/index.js";

/** Label names Prometheus gives special meaning during target relabeling. */
export const ADDRESS_LABEL = "__address__";
export const SCHEME_LABEL = "__scheme__";
export const METRICS_PATH_LABEL = "__metrics_path__";
export const SCRAPE_INTERVAL_LABEL = "__scrape_interval__";
export const SCRAPE_TIMEOUT_LABEL = "__scrape_timeout__";
export const PARAM_LABEL_PREFIX = "__param_";
export const META_LABEL_PREFIX = "__meta_";
export const JOB_LABEL = "job";
export const INSTANCE_LABEL = "instance";

/** Outcome of turning discovered labels into a target. */
export type PopulateResult =
  | { readonly kind: "active"; readonly labels: Labels; readonly discovered: Labels }
  | { readonly kind: "dropped"; readonly discovered: Labels }
  | { readonly kind: "error"; readonly discovered: Labels; readonly error: string };

/**
 * Prometheus 2.42's PopulateLabels: adds the job's defaults (`job`, `__scheme__`,
 * `__metrics_path__`, `__scrape_interval__`, `__scrape_timeout__`, `__param_*`) where discovery did
 * not set them, runs `relabel_configs`, checks the address (adding port 80/443 when missing, as
 * 2.x does), the interval and timeout labels, drops `__meta_*` labels and defaults `instance` to
 * the address. The result keeps the other `__` labels, which the target reads and hides.
 */
export function populateTargetLabels(discoveredSet: LabelSet, job: ScrapeJob, rules: readonly CompiledRelabel[]): PopulateResult {
  const pairs: Record<string, string> = { ...discoveredSet };
  const defaults: [string, string][] = [
    [JOB_LABEL, job.jobName],
    [SCRAPE_INTERVAL_LABEL, formatDuration(job.intervalMs)],
    [SCRAPE_TIMEOUT_LABEL, formatDuration(job.timeoutMs)],
    [METRICS_PATH_LABEL, job.metricsPath],
    [SCHEME_LABEL, job.scheme],
  ];
  for (const [name, value] of defaults) if (!pairs[name]) pairs[name] = value;
  for (const [name, values] of Object.entries(job.params)) if (values.length > 0) pairs[`${PARAM_LABEL_PREFIX}${name}`] = values[0] as string;
  const discovered = Labels.fromRecord(pairs);
  const relabeled = relabel(discovered, rules);
  if (!relabeled) return { kind: "dropped", discovered };
  const fail = (error: string): PopulateResult => ({ kind: "error", discovered, error });

  let addr = relabeled.get(ADDRESS_LABEL);
  if (addr === "") return fail("no address");
  const out: Record<string, string> = relabeled.toRecord();
  if (!splitsHostPort(addr) && splitsHostPort(`${addr}:1234`)) {
    const scheme = relabeled.get(SCHEME_LABEL);
    if (scheme === "http" || scheme === "") addr += ":80";
    else if (scheme === "https") addr += ":443";
    else return fail(`invalid scheme: "${job.scheme}"`);
    out[ADDRESS_LABEL] = addr;
  }
  if (addr.includes("/")) return fail(`"${addr}" is not a valid hostname`);

  const interval = relabeled.get(SCRAPE_INTERVAL_LABEL);
  let intervalMs = job.intervalMs;
  if (interval !== formatDuration(job.intervalMs)) {
    try {
      intervalMs = parseDuration(interval);
    } catch (err) {
      return fail(`error parsing scrape interval: ${(err as Error).message}`);
    }
    if (intervalMs === 0) return fail("scrape interval cannot be 0");
  }
  const timeout = relabeled.get(SCRAPE_TIMEOUT_LABEL);
  let timeoutMs = job.timeoutMs;
  if (timeout !== formatDuration(job.timeoutMs)) {
    try {
      timeoutMs = parseDuration(timeout);
    } catch (err) {
      return fail(`error parsing scrape timeout: ${(err as Error).message}`);
    }
    if (timeoutMs === 0) return fail("scrape timeout cannot be 0");
  }
  if (timeoutMs > intervalMs) return fail(`scrape timeout cannot be greater than scrape interval ("${timeout}" > "${interval}")`);

  for (const name of Object.keys(out)) if (name.startsWith(META_LABEL_PREFIX)) delete out[name];
  if (!out[INSTANCE_LABEL]) out[INSTANCE_LABEL] = addr;
  for (const [name, value] of Object.entries(out)) {
    if (!isValidLabelValue(value)) return fail(`invalid label value for "${name}": "${value}"`);
  }
  return { kind: "active", labels: Labels.fromRecord(out), discovered };
}

// Whether Go's net.SplitHostPort accepts the address: `[v6]:port`, or `host:port` with exactly one
// colon. Prometheus adds a default port only when the address fails this but passes with ":1234".
function splitsHostPort(addr: string): boolean {
  if (addr.startsWith("[")) return /^\[[^\]]*\]:[^:[\]]*$/.test(addr);
  return (addr.match(/:/g) ?? []).length === 1 && !addr.includes("[") && !addr.includes("]");
}
