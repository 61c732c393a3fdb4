import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { dirname } from "node:path";
import { parsePrometheusConfig } from "../config/index.js";
import { Engine, RuntimeStatus, TsdbService, configForDisplay, engineRoutes, retentionText } from "../engine/index.js";
import { PromQLEngine } from "../promql/index.js";
import { createRegistryRole, parseServiceDefinition } from "../registry/index.js";
import {
  Reloader,
  reloadMetrics,
  createLogger,
  createMetricsRegistry,
  loadYamlConfig,
  parseListenAddress,
  systemClock,
  type BuildInfo,
  type Level,
  type Logger,
} from "../runtime/index.js";
import { advertiseAddress, defaultNodeName } from "./common.js";
import { buildInfoView, loadPrometheusConfigWithText, type LoadedPrometheusConfig } from "./engine.js";
import { serve } from "./serve.js";
import { UP_DEFAULTS, upConfigSchema, type UpConfig } from "./up-config.js";

/** Flags of `meridian up`; each overrides the same field of the config file. */
export interface UpFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly listen?: string;
  readonly logLevel?: Level;
}

/**
 * Runs every role in one process until a stop signal and returns the exit code: the registry
 * server with its local agent (the Consul API under `/v1/`), the engine (discovery, scraping, the
 * targets and series API under `/api/v1/`), and the runtime's health, readiness, reload and
 * self-metrics. The process registers itself as service `meridian`, so the engine scrapes it
 * through the registry like everything else. Later roles plug in here as they arrive.
 */
export async function runUp(flags: UpFlags, build: BuildInfo): Promise<number> {
  const clock = systemClock();
  const load = async (signal: AbortSignal): Promise<UpConfig> =>
    flags.config ? loadYamlConfig(flags.config, upConfigSchema, signal) : {};

  // Read once before anything starts, so a bad file stops start-up with its error and line.
  let initial: UpConfig;
  try {
    initial = await load(new AbortController().signal);
  } catch (err) {
    createLogger().error({ err }, "cannot load configuration");
    return 1;
  }
  const logger = createLogger({ level: flags.logLevel ?? initial.log_level ?? UP_DEFAULTS.logLevel });
  const listen = flags.listen ?? initial.listen ?? UP_DEFAULTS.listen;
  const dataDir = resolve(flags.dataDir ?? initial.data_dir ?? UP_DEFAULTS.dataDir);
  await mkdir(dataDir, { recursive: true });
  const metrics = createMetricsRegistry(build);
  const datacenter = initial.datacenter ?? UP_DEFAULTS.datacenter;

  let registry;
  try {
    registry = await createRegistryRole({
      logger,
      clock,
      metrics,
      version: build.version,
      revision: build.revision,
      datacenter,
      dataDir: join(dataDir, "registry"),
      node: initial.node_name ?? defaultNodeName(),
      address: advertiseAddress(listen),
      aclBootstrapToken: initial.acl_bootstrap_token,
      serverAddress: listen,
    });
  } catch (err) {
    logger.error({ err }, "cannot set up the registry");
    return 1;
  }

  const retentionMs = 15 * 24 * 3_600_000;
  const storage = new TsdbService({ dir: join(dataDir, "tsdb"), logger, clock, metrics, retentionMs });
  const engine = new Engine({ appendable: storage, logger, clock, metrics, userAgent: `Meridian/${build.version}` });
  // The real port is known once the listener is up (it may be 0 here); validation only needs a shape.
  let registryAddress = listen;
  const loadAll = async (signal: AbortSignal): Promise<{ up: UpConfig; prometheus: LoadedPrometheusConfig }> => {
    const up = await load(signal);
    const file = up.prometheus_config;
    const prometheus = file
      ? await loadPrometheusConfigWithText(resolve(flags.config ? dirname(flags.config) : ".", file), signal)
      : embeddedConfig(registryAddress);
    return { up, prometheus };
  };
  try {
    // A bad prometheus.yml stops start-up with its field and line, like a bad meridian.yml.
    await loadAll(new AbortController().signal);
  } catch (err) {
    logger.error({ err }, "cannot load configuration");
    return 1;
  }
  const reloader = new Reloader<{ up: UpConfig; prometheus: LoadedPrometheusConfig }>({
    load: loadAll,
    apply: async (config) => {
      await engine.applyConfig(config.prometheus.config);
      await applyConfig(config.up, initial, flags, logger);
    },
    logger,
    clock,
    metrics: reloadMetrics(metrics),
  });
  const runtime = new RuntimeStatus(clock, retentionText(retentionMs, undefined));
  const reload = () => runtime.track(() => reloader.reload());
  const engineApi = engineRoutes(engine, storage, {
    clock,
    promql: new PromQLEngine(),
    status: {
      buildInfo: buildInfoView(build),
      runtimeInfo: () => runtime.info(),
      flags: { config: flags.config ?? "", "data-dir": dataDir, listen, "log-level": flags.logLevel ?? initial.log_level ?? UP_DEFAULTS.logLevel },
      config: () => configForDisplay(reloader.current?.prometheus.text ?? ""),
      tsdb: storage,
    },
    externalLabels: () => reloader.current?.prometheus.config.global.externalLabels ?? {},
  });
  return serve({
    listen,
    logger,
    registry: metrics,
    services: [...registry.services, storage, engine],
    routes: [registry.routes, engineApi],
    reload,
    afterStart: async (url) => {
      // The engine discovers through this process's own Consul API, so it starts once that listens.
      registryAddress = new URL(url).host;
      await reload();
      const { port } = parseListenAddress(new URL(url).host);
      registry.agent.registerService(
        parseServiceDefinition({
          ID: "meridian",
          Name: "meridian",
          Tags: ["registry", "agent", "engine"],
          Address: advertiseAddress(listen),
          Port: port,
          Meta: { version: build.version, roles: "registry,agent,engine" },
          Check: { CheckID: "meridian-healthy", Name: "meridian /-/healthy", HTTP: `${url}/-/healthy`, Interval: "10s", Timeout: "5s" },
        }),
      );
    },
    banner: (base) => [
      `  metrics    ${base}/metrics`,
      `  health     ${base}/-/healthy`,
      `  readiness  ${base}/-/ready`,
      `  reload     POST ${base}/-/reload (or send SIGHUP)`,
      `  registry   ${base}/v1/catalog/services (Consul API, datacenter ${datacenter})`,
      `  targets    ${base}/api/v1/targets`,
      `  query      ${base}/api/v1/query?query=up`,
    ],
  });
}

function embeddedConfig(registryAddress: string): LoadedPrometheusConfig {
  const text = embeddedPrometheusConfig(registryAddress);
  return { config: parsePrometheusConfig(text, "embedded prometheus.yml"), text };
}

// What `up` scrapes with no prometheus.yml: every service in the embedded registry, each under a
// job named after its service.
function embeddedPrometheusConfig(registryAddress: string): string {
  return [
    "global:",
    "  scrape_interval: 15s",
    "  scrape_timeout: 10s",
    "scrape_configs:",
    "  - job_name: registry",
    "    consul_sd_configs:",
    `      - server: ${JSON.stringify(registryAddress)}`,
    "    relabel_configs:",
    "      - source_labels: [__meta_consul_service]",
    "        target_label: job",
    "",
  ].join("\n");
}

async function applyConfig(config: UpConfig, initial: UpConfig, flags: UpFlags, logger: Logger): Promise<void> {
  if (!flags.logLevel && config.log_level) logger.level = config.log_level;
  for (const field of ["listen", "data_dir", "datacenter", "node_name", "acl_bootstrap_token"] as const) {
    if (config[field] !== initial[field]) logger.warn({ field }, "field changed in the configuration file; it takes effect at the next start");
  }
}
