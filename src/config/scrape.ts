/**
 * `scrape_configs` entries. Parsing happens in two steps, as in Prometheus: each entry is read
 * and checked on its own (`scrapeConfig`), then `finishScrapeConfig` fills what it inherits from
 * `global` and checks what depends on it (the timeout against the interval).
 */
import { z } from "zod";
import { checked, fail } from "./checked.js";
import { checkStaticTargets, discoveryShape } from "./discovery.js";
import { buildHTTPClient, httpClientShape } from "./http-client.js";
import { relabelConfigs } from "./relabel.js";
import { bool, bytes, duration, str, strList, uint, unsupportedFields } from "./scalars.js";
import type { GlobalConfig, ScrapeConfig, ScrapeProtocol } from "./types.js";

const SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  "PrometheusProto",
  "PrometheusText0.0.4",
  "PrometheusText1.0.0",
  "OpenMetricsText0.0.1",
  "OpenMetricsText1.0.0",
];

/** What a job proposes when neither it nor `global` sets `scrape_protocols` (Prometheus 3). */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  "OpenMetricsText1.0.0",
  "OpenMetricsText0.0.1",
  "PrometheusText1.0.0",
  "PrometheusText0.0.4",
];

/** `scrape_protocols` as written; checked by `checkScrapeProtocols` once the inherited list is known. */
export const scrapeProtocolList = z.array(str).nullish();

/**
 * Checks a `scrape_protocols` list as validateAcceptScrapeProtocols does; `where` ends each
 * message ("for global config", "for scrape config with job name \"x\"").
 */
export function checkScrapeProtocols(list: readonly string[], where: string, path: readonly (string | number)[]): ScrapeProtocol[] {
  if (list.length === 0) fail(`scrape_protocols cannot be empty ${where}`, path);
  const seen = new Set<string>();
  for (const [i, p] of list.entries()) {
    if (seen.has(p.toLowerCase())) fail(`duplicated protocol in scrape_protocols, got [${list.join(" ")}] ${where}`, [...path, i]);
    if (!SCRAPE_PROTOCOLS.includes(p as ScrapeProtocol)) {
      fail(`scrape_protocols: unknown scrape protocol ${p}, supported: [${[...SCRAPE_PROTOCOLS].sort().join(" ")}] ${where}`, [...path, i]);
    }
    seen.add(p.toLowerCase());
  }
  return list as ScrapeProtocol[];
}

// Prometheus scrape options Meridian does not implement (native histograms, name escaping, …).
const UNSUPPORTED_SCRAPE_FIELDS = [
  "scrape_native_histograms",
  "scrape_classic_histograms",
  "always_scrape_classic_histograms",
  "convert_classic_histograms_to_nhcb",
  "native_histogram_bucket_limit",
  "native_histogram_min_bucket_factor",
  "metric_name_validation_scheme",
  "metric_name_escaping_scheme",
  "scrape_failure_log_file",
  "extra_scrape_metrics",
];

/** The limits a job inherits from `global` when it leaves them unset or 0. */
const LIMITS = [
  ["bodySizeLimitBytes", "body_size_limit"],
  ["sampleLimit", "sample_limit"],
  ["labelLimit", "label_limit"],
  ["labelNameLengthLimit", "label_name_length_limit"],
  ["labelValueLengthLimit", "label_value_length_limit"],
  ["targetLimit", "target_limit"],
  ["keepDroppedTargets", "keep_dropped_targets"],
] as const;

type LimitKey = (typeof LIMITS)[number][0];

/** A scrape config before `global` was applied: inherited fields are undefined when unset. */
export type ScrapeDraft = Omit<ScrapeConfig, "scrapeIntervalMs" | "scrapeTimeoutMs" | "scrapeProtocols" | LimitKey> & {
  readonly scrapeIntervalMs: number;
  readonly scrapeTimeoutMs: number;
  readonly scrapeProtocols: readonly string[] | undefined;
} & Readonly<Record<LimitKey, number>>;

/** One `scrape_configs` entry, read and checked on its own. */
export const scrapeConfig = z
  .object({
    job_name: str.nullish(),
    scrape_interval: duration.nullish(),
    scrape_timeout: duration.nullish(),
    scrape_protocols: scrapeProtocolList,
    fallback_scrape_protocol: str.nullish(),
    metrics_path: str.nullish(),
    scheme: z.enum(["http", "https"]).nullish(),
    params: z.record(z.string(), strList).nullish(),
    honor_labels: bool.nullish(),
    honor_timestamps: bool.nullish(),
    track_timestamps_staleness: bool.nullish(),
    enable_compression: bool.nullish(),
    body_size_limit: bytes.nullish(),
    sample_limit: uint.nullish(),
    label_limit: uint.nullish(),
    label_name_length_limit: uint.nullish(),
    label_value_length_limit: uint.nullish(),
    target_limit: uint.nullish(),
    keep_dropped_targets: uint.nullish(),
    relabel_configs: relabelConfigs,
    metric_relabel_configs: relabelConfigs,
    ...httpClientShape,
    ...discoveryShape,
    ...unsupportedFields(UNSUPPORTED_SCRAPE_FIELDS),
  })
  .strict()
  .transform(
    checked((raw): ScrapeDraft => {
      const jobName = raw.job_name ?? "";
      if (jobName === "") fail("job_name is empty", ["job_name"]);
      const http = buildHTTPClient(raw, { enableHTTP2: true });
      if (raw.relabel_configs.length === 0) checkStaticTargets(raw.static_configs);
      const fallback = raw.fallback_scrape_protocol || undefined;
      if (fallback !== undefined && !SCRAPE_PROTOCOLS.includes(fallback as ScrapeProtocol)) {
        fail(
          `invalid fallback_scrape_protocol for scrape config with job name ${JSON.stringify(jobName)}: unknown scrape protocol ${fallback}`,
          ["fallback_scrape_protocol"],
        );
      }
      const params: Record<string, readonly string[]> = {};
      for (const [k, v] of Object.entries(raw.params ?? {})) params[k] = v;
      return {
        jobName,
        // 0 means "unset" for Prometheus too: it inherits.
        scrapeIntervalMs: raw.scrape_interval ?? 0,
        scrapeTimeoutMs: raw.scrape_timeout ?? 0,
        scrapeProtocols: raw.scrape_protocols ?? undefined,
        ...(fallback !== undefined ? { fallbackScrapeProtocol: fallback as ScrapeProtocol } : {}),
        metricsPath: raw.metrics_path ?? "/metrics",
        scheme: raw.scheme ?? "http",
        params,
        honorLabels: raw.honor_labels ?? false,
        honorTimestamps: raw.honor_timestamps ?? true,
        trackTimestampsStaleness: raw.track_timestamps_staleness ?? false,
        enableCompression: raw.enable_compression ?? true,
        http,
        staticConfigs: raw.static_configs,
        fileSDConfigs: raw.file_sd_configs,
        consulSDConfigs: raw.consul_sd_configs,
        relabelConfigs: raw.relabel_configs,
        metricRelabelConfigs: raw.metric_relabel_configs,
        bodySizeLimitBytes: raw.body_size_limit ?? 0,
        sampleLimit: raw.sample_limit ?? 0,
        labelLimit: raw.label_limit ?? 0,
        labelNameLengthLimit: raw.label_name_length_limit ?? 0,
        labelValueLengthLimit: raw.label_value_length_limit ?? 0,
        targetLimit: raw.target_limit ?? 0,
        keepDroppedTargets: raw.keep_dropped_targets ?? 0,
      };
    }),
  );

/**
 * Applies `global` to a job as ScrapeConfig.Validate does; throws `FieldError` with a path
 * relative to the job's entry.
 */
export function finishScrapeConfig(draft: ScrapeDraft, global: GlobalConfig): ScrapeConfig {
  const job = JSON.stringify(draft.jobName);
  const interval = draft.scrapeIntervalMs || global.scrapeIntervalMs;
  if (draft.scrapeTimeoutMs > interval) {
    fail(`scrape timeout greater than scrape interval for scrape config with job name ${job}`, ["scrape_timeout"]);
  }
  const timeout = draft.scrapeTimeoutMs || Math.min(global.scrapeTimeoutMs, interval);
  const protocols =
    draft.scrapeProtocols === undefined
      ? (global.scrapeProtocols ?? DEFAULT_SCRAPE_PROTOCOLS)
      : checkScrapeProtocols(draft.scrapeProtocols, `for scrape config with job name ${job}`, ["scrape_protocols"]);
  const limits = Object.fromEntries(
    LIMITS.map(([key]) => {
      // A negative body size (allowed by units.Base2Bytes) disables the limit, like 0.
      const value = draft[key] || global[key];
      return [key, Math.max(0, value)];
    }),
  ) as Record<LimitKey, number>;
  return { ...draft, scrapeIntervalMs: interval, scrapeTimeoutMs: timeout, scrapeProtocols: protocols, ...limits };
}
