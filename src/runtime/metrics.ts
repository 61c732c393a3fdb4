import { Gauge, Registry, collectDefaultMetrics } from "prom-client";
import type { BuildInfo } from "./build-info.js";

/**
 * Creates the process's own metrics registry: Node process metrics (prom-client's defaults,
 * named as Prometheus's client_golang names its process_* series) and `meridian_build_info`.
 * One registry per process, passed to whoever registers metrics; never prom-client's global one.
 */
export function createMetricsRegistry(build: BuildInfo): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names three gauges with a `_total` suffix, which promtool's linter (rightly)
  // rejects for non-counters; their per-type twins (`nodejs_active_handles{type}` …) remain, so
  // `sum()` of those gives the same numbers.
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) {
    registry.removeSingleMetric(name);
  }
  const info = new Gauge({
    name: "meridian_build_info",
    help: "A metric with a constant '1' value labeled by version, revision, branch, and nodeversion from which meridian was built.",
    labelNames: ["version", "revision", "branch", "nodeversion"],
    registers: [registry],
  });
  info.set({ version: build.version, revision: build.revision, branch: build.branch, nodeversion: build.nodeVersion }, 1);
  return registry;
}

export type { Registry };
