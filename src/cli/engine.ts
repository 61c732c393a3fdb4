import { mkdir, readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Command } from "commander";
import type { Registry } from "prom-client";
import type { BuildInfoView } from "../api/index.js";
import { loadPrometheusConfig, parseBase2Bytes, type PrometheusConfig } from "../config/index.js";
import { parseDuration } from "../model/index.js";
import { Engine, RuntimeStatus, TsdbService, configForDisplay, engineRoutes, retentionText } from "../engine/index.js";
import { PromQLEngine, type PromQLEngineOptions } from "../promql/index.js";
import { Reloader, createLogger, reloadMetrics, createMetricsRegistry, systemClock, type BuildInfo, type Clock, type Level, type Logger } from "../runtime/index.js";
import { addLogLevel, checkListen } from "./common.js";
import { serve } from "./serve.js";

interface EngineFlags {
  config: string;
  listen: string;
  dataDir: string;
  logLevel?: Level;
  "storage.tsdb.retention.time": string;
  "storage.tsdb.retention.size"?: string;
  "web.enableAdminApi"?: boolean;
  "query.timeout": string;
  "query.maxSamples": string;
  "query.lookbackDelta": string;
}

/** Prometheus's `--query.*` flags as PromQL engine options; throws naming the flag when a value is bad. */
export function queryFlags(timeout: string, maxSamples: string, lookbackDelta: string): PromQLEngineOptions {
  const duration = (flag: string, v: string): number => {
    try {
      return parseDuration(v);
    } catch (err) {
      throw new Error(`--query.${flag}: ${(err as Error).message}`, { cause: err });
    }
  };
  const samples = Number(maxSamples);
  if (!Number.isInteger(samples) || samples <= 0) throw new Error(`--query.max-samples: not a positive integer: ${JSON.stringify(maxSamples)}`);
  return { timeout: duration("timeout", timeout), maxSamples: samples, lookbackDelta: duration("lookback-delta", lookbackDelta) };
}

/** Parses Prometheus's retention flags; throws with the flag's name when a value is bad. */
export function retentionFlags(time: string | undefined, size: string | undefined): { retentionMs?: number; retentionBytes?: number } {
  const out: { retentionMs?: number; retentionBytes?: number } = {};
  if (time !== undefined) {
    try {
      out.retentionMs = parseDuration(time);
    } catch (err) {
      throw new Error(`--storage.tsdb.retention.time: ${(err as Error).message}`, { cause: err });
    }
  }
  if (size !== undefined && size !== "0") {
    try {
      out.retentionBytes = parseBase2Bytes(size);
    } catch (err) {
      throw new Error(`--storage.tsdb.retention.size: ${(err as Error).message}`, { cause: err });
    }
  }
  return out;
}

/** A loaded prometheus.yml with its text, which `/api/v1/status/config` shows. */
export interface LoadedPrometheusConfig {
  readonly config: PrometheusConfig;
  readonly text: string;
}

/** Reads and parses a prometheus.yml, keeping its text. */
export async function loadPrometheusConfigWithText(file: string, signal: AbortSignal): Promise<LoadedPrometheusConfig> {
  const text = await readFile(file, { encoding: "utf8", signal }).catch(() => "");
  return { config: await loadPrometheusConfig(file, signal), text };
}

/** The reloader of a prometheus.yml, with the reload gauges. */
export function prometheusConfigReloader(opts: {
  load: (signal: AbortSignal) => Promise<LoadedPrometheusConfig>;
  engine: Engine;
  logger: Logger;
  clock: Clock;
  metrics: Registry;
}): Reloader<LoadedPrometheusConfig> {
  return new Reloader<LoadedPrometheusConfig>({
    load: opts.load,
    apply: (loaded) => opts.engine.applyConfig(loaded.config),
    logger: opts.logger,
    clock: opts.clock,
    metrics: reloadMetrics(opts.metrics),
  });
}

/** `meridian engine`: the Prometheus role's ingest (discovery, relabeling, scraping) and read API. */
export function engineCommand(build: BuildInfo, result: { code: number }): Command {
  const cmd = new Command("engine")
    .description("run the engine: discover targets from prometheus.yml, scrape them, store the samples, serve the Prometheus API")
    .requiredOption("--config <file>", "path of prometheus.yml")
    .option("--listen <host:port>", "address of the HTTP API", checkListen, "127.0.0.1:9090")
    .option("--data-dir <dir>", "directory of the TSDB (blocks and WAL, Prometheus's format)", "./data/engine")
    .option("--storage.tsdb.retention.time <duration>", "how long to keep samples", "15d")
    .option("--storage.tsdb.retention.size <bytes>", "most bytes of blocks to keep (e.g. 512MB); 0 = no limit")
    .option("--web.enable-admin-api", "enable the TSDB admin API (delete_series, clean_tombstones, snapshot)")
    .option("--query.timeout <duration>", "most time one query may take", "2m")
    .option("--query.max-samples <n>", "most samples one query may hold in memory at once", "50000000")
    .option("--query.lookback-delta <duration>", "how far back an instant selector looks for a sample", "5m");
  addLogLevel(cmd).action(async (flags: EngineFlags, self: Command) => {
    const logger = createLogger({ level: flags.logLevel ?? "info" });
    const clock = systemClock();
    const metrics = createMetricsRegistry(build);
    const file = resolve(flags.config);
    const load = (signal: AbortSignal) => loadPrometheusConfigWithText(file, signal);
    try {
      // Validate before anything starts, so a bad file stops start-up with its field and line.
      await load(new AbortController().signal);
    } catch (err) {
      logger.error({ err }, "cannot load configuration");
      result.code = 1;
      return;
    }
    let retention: { retentionMs?: number; retentionBytes?: number };
    let queryOptions: PromQLEngineOptions;
    try {
      retention = retentionFlags(flags["storage.tsdb.retention.time"], flags["storage.tsdb.retention.size"]);
      queryOptions = queryFlags(flags["query.timeout"], flags["query.maxSamples"], flags["query.lookbackDelta"]);
    } catch (err) {
      logger.error({ err }, "bad flag");
      result.code = 2;
      return;
    }
    await mkdir(resolve(flags.dataDir), { recursive: true });
    const storage = new TsdbService({ dir: resolve(flags.dataDir), logger, clock, metrics, ...retention });
    const engine = new Engine({ appendable: storage, logger, clock, metrics, userAgent: `Meridian/${build.version}` });
    const reloader = prometheusConfigReloader({ load, engine, logger, clock, metrics });
    const runtime = new RuntimeStatus(clock, retentionText(retention.retentionMs, retention.retentionBytes));
    const reload = () => runtime.track(() => reloader.reload());
    const routes = engineRoutes(engine, storage, {
      clock,
      promql: new PromQLEngine(queryOptions),
      admin: { enabled: flags["web.enableAdminApi"] === true, tsdb: storage, dataDir: resolve(flags.dataDir), clock },
      status: {
        buildInfo: buildInfoView(build),
        runtimeInfo: () => runtime.info(),
        flags: flagValues(self),
        config: () => configForDisplay(reloader.current?.text ?? ""),
        tsdb: storage,
      },
      externalLabels: () => reloader.current?.config.global.externalLabels ?? {},
    });
    result.code = await serve({
      listen: flags.listen,
      logger,
      registry: metrics,
      services: [storage, engine],
      routes: [routes],
      reload,
      afterStart: async () => {
        await reload();
      },
      banner: (url) => [
        `  query      ${url}/api/v1/query?query=up`,
        `  targets    ${url}/api/v1/targets`,
        `  series     ${url}/api/v1/series?match[]=up`,
        `  config     ${file}`,
      ],
    });
  });
  return cmd;
}

/** Build facts in the shape of Prometheus's buildinfo (the Node.js version stands in for Go's). */
export function buildInfoView(build: BuildInfo): BuildInfoView {
  return { version: build.version, revision: build.revision, branch: build.branch, buildUser: "", buildDate: "", goVersion: build.nodeVersion };
}

/** A command's flags as `/api/v1/status/flags` lists them: long names without dashes, values as text. */
export function flagValues(cmd: Command): Record<string, string> {
  const out: Record<string, string> = {};
  for (const option of cmd.options) {
    const name = option.long?.replace(/^--/, "");
    if (name === undefined || name === "help") continue;
    const value: unknown = cmd.getOptionValue(option.attributeName());
    out[name] = value === undefined ? "" : String(value);
  }
  return out;
}
