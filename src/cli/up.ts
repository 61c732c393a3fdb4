import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { Gauge } from "prom-client";
import {
  HttpServer,
  Reloader,
  RunGroup,
  createLogger,
  createMetricsRegistry,
  loadYamlConfig,
  runUntilSignalled,
  systemClock,
  type BuildInfo,
  type Level,
  type Logger,
} from "../runtime/index.js";
import { UP_DEFAULTS, upConfigSchema, type UpConfig } from "./up-config.js";

/** Flags of `meridian up`; each overrides the same field of the config file. */
export interface UpFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly listen?: string;
  readonly logLevel?: Level;
}

/**
 * Runs every role in one process until a stop signal and returns the exit code. For now that is the
 * runtime alone (health, readiness, reload, self-metrics); roles plug in here as they arrive.
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

  const registry = createMetricsRegistry(build);
  const reloader = new Reloader<UpConfig>({
    load,
    apply: async (config) => applyConfig(config, initial, flags, logger),
    logger,
    clock,
    metrics: {
      successful: new Gauge({
        name: "meridian_config_last_reload_successful",
        help: "Whether the last configuration reload attempt was successful.",
        registers: [registry],
      }),
      successTimestamp: new Gauge({
        name: "meridian_config_last_reload_success_timestamp_seconds",
        help: "Timestamp of the last successful configuration reload.",
        registers: [registry],
      }),
    },
  });
  await reloader.reload();

  const http = new HttpServer({
    listen,
    logger,
    registry,
    ready: (): boolean => group.ready(),
    reload: () => reloader.reload(),
  });
  const group = new RunGroup([http], logger);
  try {
    await group.start();
  } catch (err) {
    logger.error({ err }, "start-up failed");
    return 1;
  }
  // Signal handlers go in before the URLs are printed: whoever waits for that line may signal at once.
  const exitCode = runUntilSignalled({ group, logger, reload: () => reloader.reload() });
  logger.info({ url: http.url, dataDir, version: build.version }, "meridian is ready");
  printUrls(http.url);
  return exitCode;
}

async function applyConfig(config: UpConfig, initial: UpConfig, flags: UpFlags, logger: Logger): Promise<void> {
  if (!flags.logLevel && config.log_level) logger.level = config.log_level;
  for (const field of ["listen", "data_dir"] as const) {
    if (config[field] !== initial[field]) logger.warn({ field }, "field changed in the configuration file; it takes effect at the next start");
  }
}

function printUrls(base: string): void {
  process.stdout.write(
    [
      `Meridian is running at ${base}/`,
      `  metrics    ${base}/metrics`,
      `  health     ${base}/-/healthy`,
      `  readiness  ${base}/-/ready`,
      `  reload     POST ${base}/-/reload (or send SIGHUP)`,
      "",
    ].join("\n"),
  );
}
