/**
 * The whole `prometheus.yml`: the root schema, `global` and `storage`, and the step that applies
 * `global` to every job. Errors are ConfigErrors naming the field and its line.
 */
import { z } from "zod";
import { parseYamlConfig } from "../runtime/index.js";
import { alertingConfig } from "./alerting.js";
import { checked, fail, within } from "./checked.js";
import { remoteReadConfigs, remoteWriteConfigs } from "./remote.js";
import { bytes, duration, labelSet, str, strList, uint, unsupportedFields } from "./scalars.js";
import { checkScrapeProtocols, finishScrapeConfig, scrapeConfig, scrapeProtocolList } from "./scrape.js";
import type { ScrapeDraft } from "./scrape.js";
import type { GlobalConfig, PrometheusConfig, StorageConfig } from "./types.js";

const MINUTE = 60_000;

const globalConfig = z
  .object({
    scrape_interval: duration.nullish(),
    scrape_timeout: duration.nullish(),
    evaluation_interval: duration.nullish(),
    rule_query_offset: duration.nullish(),
    external_labels: labelSet,
    query_log_file: str.nullish(),
    scrape_protocols: scrapeProtocolList,
    body_size_limit: bytes.nullish(),
    sample_limit: uint.nullish(),
    label_limit: uint.nullish(),
    label_name_length_limit: uint.nullish(),
    label_value_length_limit: uint.nullish(),
    target_limit: uint.nullish(),
    keep_dropped_targets: uint.nullish(),
    ...unsupportedFields([
      "scrape_failure_log_file",
      "metric_name_validation_scheme",
      "metric_name_escaping_scheme",
      "scrape_native_histograms",
      "always_scrape_classic_histograms",
      "convert_classic_histograms_to_nhcb",
      "extra_scrape_metrics",
    ]),
  })
  .strict()
  .nullish()
  .transform(
    checked((raw): GlobalConfig => {
      const g: Partial<NonNullable<typeof raw>> = raw ?? {};
      // As GlobalConfig.UnmarshalYAML: settle the interval first, then check the timeout against it.
      const interval = g.scrape_interval || MINUTE;
      if ((g.scrape_timeout ?? 0) > interval) fail("global scrape timeout greater than scrape interval", ["scrape_timeout"]);
      const protocols = g.scrape_protocols ?? undefined;
      return {
        scrapeIntervalMs: interval,
        scrapeTimeoutMs: g.scrape_timeout || Math.min(10_000, interval),
        evaluationIntervalMs: g.evaluation_interval || MINUTE,
        ruleQueryOffsetMs: g.rule_query_offset ?? 0,
        externalLabels: g.external_labels ?? {},
        ...(g.query_log_file ? { queryLogFile: g.query_log_file } : {}),
        ...(protocols ? { scrapeProtocols: checkScrapeProtocols(protocols, "for global config", ["scrape_protocols"]) } : {}),
        bodySizeLimitBytes: g.body_size_limit ?? 0,
        sampleLimit: g.sample_limit ?? 0,
        labelLimit: g.label_limit ?? 0,
        labelNameLengthLimit: g.label_name_length_limit ?? 0,
        labelValueLengthLimit: g.label_value_length_limit ?? 0,
        targetLimit: g.target_limit ?? 0,
        keepDroppedTargets: g.keep_dropped_targets ?? 0,
      };
    }),
  );

const storageConfig = z
  .object({
    tsdb: z
      .object({ out_of_order_time_window: duration.nullish(), ...unsupportedFields(["retention"]) })
      .strict()
      .nullish(),
    exemplars: z.object({ max_exemplars: z.number().int().nullish() }).strict().nullish(),
  })
  .strict()
  .nullish()
  .transform(
    (raw): StorageConfig => ({
      outOfOrderTimeWindowMs: raw?.tsdb?.out_of_order_time_window ?? 0,
      maxExemplars: raw?.exemplars?.max_exemplars ?? 100_000,
    }),
  );

// Rule files may glob only in the last path element, as Prometheus requires.
const RULE_FILE_PATH = /^[^*]*(\*[^/]*)?$/;

const ruleFiles = strList.transform(
  checked((files: string[]) => {
    files.forEach((f, i) => {
      if (!RULE_FILE_PATH.test(f)) fail(`invalid rule file path ${JSON.stringify(f)}`, [i]);
    });
    return files;
  }),
);

const scrapeConfigs = z
  .array(scrapeConfig.nullable())
  .nullish()
  .transform(
    checked((list): ScrapeDraft[] =>
      (list ?? []).map((c, i) => c ?? fail("empty or null scrape config section", [i])),
    ),
  );

/** The root of `prometheus.yml`; unknown keys are errors, known-but-unsupported ones say so. */
export const prometheusConfigSchema = z
  .object({
    global: globalConfig,
    rule_files: ruleFiles,
    scrape_configs: scrapeConfigs,
    alerting: alertingConfig,
    remote_write: remoteWriteConfigs,
    remote_read: remoteReadConfigs,
    storage: storageConfig,
    ...unsupportedFields(["tracing", "scrape_config_files", "runtime", "otlp"]),
  })
  .strict()
  .transform(
    checked((raw): PrometheusConfig => {
      const jobs = new Set<string>();
      const scrape = raw.scrape_configs.map((draft, i) => {
        const job = within(["scrape_configs", i], () => finishScrapeConfig(draft, raw.global));
        if (jobs.has(job.jobName)) {
          fail(`found multiple scrape configs with job name ${JSON.stringify(job.jobName)}`, ["scrape_configs", i, "job_name"]);
        }
        jobs.add(job.jobName);
        return job;
      });
      return {
        global: raw.global,
        ruleFiles: raw.rule_files,
        scrapeConfigs: scrape,
        alerting: raw.alerting,
        remoteWrite: raw.remote_write,
        remoteRead: raw.remote_read,
        storage: raw.storage,
      };
    }),
  );

/** Options for parsing `prometheus.yml`. */
export interface ParseOptions {
  /**
   * Environment for `$VAR` / `${VAR}` in external label values, as Prometheus 3 expands them
   * (`$$` is a literal `$`; an unset variable is empty). Without it values are kept verbatim.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Parses `prometheus.yml` text into a typed config with Prometheus's defaults; throws a
 * ConfigError naming `file`, the line and the field for the first problem found.
 */
export function parsePrometheusConfig(text: string, file?: string, options: ParseOptions = {}): PrometheusConfig {
  const cfg = parseYamlConfig(text, prometheusConfigSchema, file);
  const env = options.env;
  if (env === undefined) return cfg;
  const externalLabels = Object.fromEntries(
    Object.entries(cfg.global.externalLabels).map(([name, value]) => [name, expandEnv(value, env)]),
  );
  return { ...cfg, global: { ...cfg.global, externalLabels } };
}

// Go's os.Expand with Prometheus's mapping: `$$` stays `$`, unknown names become "".
function expandEnv(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$(?:\{([^}]*)\}|([*#$@!?\-0-9])|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced?: string, special?: string, plain?: string) => {
    const name = braced ?? special ?? plain ?? "";
    if (name === "$") return "$";
    return env[name] ?? "";
  });
}
