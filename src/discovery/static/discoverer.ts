import type { Discoverer, StaticConfig, TargetGroup } from "../types.js";

/**
 * Discovers the targets written in the configuration: one group per `static_configs` entry,
 * whose source is the entry's index ("0", "1", …) as Prometheus numbers them.
 */
export function staticDiscoverer(configs: readonly StaticConfig[]): Discoverer {
  const groups: TargetGroup[] = configs.map((c, i) => ({
    source: String(i),
    targets: c.targets.map((t) => ({ __address__: t })),
    labels: { ...c.labels },
  }));
  return {
    async run(signal, emit) {
      if (signal.aborted) return;
      emit(groups);
      // The interface promises `run` lasts until aborted; a consumer may read an early return as a failure.
      await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    },
  };
}
