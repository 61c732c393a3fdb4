/** Reads `prometheus.yml` from disk, as Prometheus's config.LoadFile. */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../runtime/index.js";
import { parsePrometheusConfig } from "./prometheus.js";
import type { ParseOptions } from "./prometheus.js";
import { resolvePaths } from "./resolve-paths.js";
import type { PrometheusConfig } from "./types.js";

/**
 * Reads and parses a `prometheus.yml`, resolving relative paths in it against the file's
 * directory; throws a ConfigError (unreadable file, or the first problem with its line).
 */
export async function loadPrometheusConfig(file: string, signal?: AbortSignal, options: ParseOptions = {}): Promise<PrometheusConfig> {
  let text: string;
  try {
    text = await readFile(file, { encoding: "utf8", signal });
  } catch (err) {
    throw new ConfigError(`cannot read: ${(err as Error).message}`, { file, cause: err });
  }
  return resolvePaths(parsePrometheusConfig(text, file, options), dirname(resolve(file)));
}
