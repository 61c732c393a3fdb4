import { Counter, type Registry } from "prom-client";

/** The one operation discoverers need from a counter. */
export interface CounterLike {
  inc(): void;
}

/** Self-metrics of discovery, named as Prometheus names them so its dashboards work unchanged. */
export interface DiscoveryMetrics {
  /** `prometheus_sd_file_read_errors_total`: files that could not be read or parsed. */
  readonly fileReadErrors: CounterLike;
  /** `prometheus_sd_consul_rpc_failures_total`: failed Consul API calls. */
  readonly consulRpcFailures: CounterLike;
}

/**
 * Registers discovery's counters on `registry`, or returns unregistered ones without it. Calling it
 * twice on one registry returns the same counters, because every discoverer of a process shares them.
 */
export function createDiscoveryMetrics(registry?: Registry): DiscoveryMetrics {
  const counter = (name: string, help: string): Counter => {
    const existing = registry?.getSingleMetric(name);
    if (existing instanceof Counter) return existing;
    return new Counter({ name, help, registers: registry ? [registry] : [] });
  };
  return {
    fileReadErrors: counter("prometheus_sd_file_read_errors_total", "The number of File-SD read errors."),
    consulRpcFailures: counter("prometheus_sd_consul_rpc_failures_total", "The number of Consul RPC call failures."),
  };
}
