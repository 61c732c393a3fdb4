// Starts the two servers under comparison on data directories prepared beforehand: a real
// Prometheus (through the peer harness: free port, readiness, kill by pid) and `meridian engine`
// (the built CLI as a child process). Both get the same prometheus.yml, with no scrape jobs, so
// they serve exactly the blocks they were given.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { startPeer, type Peer } from "../../peers/index.js";
import { runMeridian, startMeridian, type MeridianProcess } from "../meridian-process.js";

/** Settings both servers are started with. */
export interface ServerSettings {
  /** `--query.max-samples`. */
  readonly maxSamples: number;
  /** Extra flags for Meridian only, e.g. a log level. */
  readonly meridianFlags?: readonly string[];
  /** How long each may take to become ready (ms). */
  readonly readyTimeoutMs?: number;
}

/** The prometheus.yml both servers read: global settings only (the subquery default step is evaluation_interval). */
export const PROMETHEUS_YML = stringify({ global: { scrape_interval: "15s", evaluation_interval: "1m" }, scrape_configs: [] });

/** Starts a real Prometheus serving `dataDir` (which it may modify: give it a copy). */
export async function startPrometheusOn(dataDir: string, settings: ServerSettings): Promise<Peer> {
  return startPeer(
    {
      name: "prometheus",
      binary: "prometheus",
      files: { "prometheus.yml": PROMETHEUS_YML },
      args: (dir, port) => [
        `--config.file=${dir}/prometheus.yml`,
        `--storage.tsdb.path=${dataDir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--query.max-samples=${settings.maxSamples}`,
      ],
      readyPath: "/-/ready",
    },
    { readyTimeoutMs: settings.readyTimeoutMs ?? 30_000 },
  );
}

/** A running `meridian engine`, and what it could not be given. */
export interface MeridianEngine {
  readonly process: MeridianProcess;
  /** Settings the CLI has no flag for yet (so they are left at its defaults). */
  readonly missingFlags: readonly string[];
}

/**
 * Starts `meridian engine` serving `dataDir` (give it a copy). `--query.max-samples` is passed
 * only when `meridian engine --help` lists it, so that a CLI without it still starts.
 */
export async function startMeridianOn(dataDir: string, configDir: string, settings: ServerSettings): Promise<MeridianEngine> {
  const config = join(configDir, "prometheus.yml");
  await writeFile(config, PROMETHEUS_YML);
  const help = await runMeridian(["engine", "--help"]);
  const flags: string[] = [];
  const missingFlags: string[] = [];
  if (help.output.includes("--query.max-samples")) flags.push("--query.max-samples", String(settings.maxSamples));
  else missingFlags.push("--query.max-samples");
  const process = await startMeridian(
    ["engine", "--config", config, "--listen", "127.0.0.1:0", "--data-dir", dataDir, ...flags, ...(settings.meridianFlags ?? [])],
    settings.readyTimeoutMs ?? 30_000,
  );
  return { process, missingFlags };
}
