import { consulDiscoverer, type ConsulDiscovererDeps } from "./consul/discoverer.js";
import { fileDiscoverer, type FileDiscovererDeps } from "./file/discoverer.js";
import { staticDiscoverer } from "./static/discoverer.js";
import type { ConsulSDConfig, Discoverer, FileSDConfig, StaticConfig } from "./types.js";

/**
 * One discovery configuration of a job, as the manager sees it: `key` is its identity (two
 * configurations with the same key are the same discovery, shared between jobs and kept running
 * across reloads), `create` builds a fresh discoverer and may throw for a configuration that
 * cannot work.
 */
export interface ProviderConfig {
  readonly key: string;
  create(): Discoverer;
}

/** The provider for a job's `static_configs`, all of them together as Prometheus groups them. */
export function staticProvider(configs: readonly StaticConfig[]): ProviderConfig {
  return { key: `static:${stableJson(configs)}`, create: () => staticDiscoverer(configs) };
}

/** The provider for one `file_sd_configs` entry. */
export function fileProvider(config: FileSDConfig, deps: FileDiscovererDeps): ProviderConfig {
  return { key: `file:${stableJson(config)}`, create: () => fileDiscoverer(config, deps) };
}

/** The provider for one `consul_sd_configs` entry. */
export function consulProvider(config: ConsulSDConfig, deps: ConsulDiscovererDeps): ProviderConfig {
  return { key: `consul:${stableJson(config)}`, create: () => consulDiscoverer(config, deps) };
}

// JSON with object keys sorted, so configurations equal in content get equal keys whatever order
// the config loader built them in. Arrays keep their order: it matters (static sources are indexes).
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
