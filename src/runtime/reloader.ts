import { Gauge, type Registry } from "prom-client";
import type { Logger } from "pino";
import type { Clock } from "./clock.js";

/** Applies a new configuration to the running parts; throws to reject it. */
export type ApplyConfig<C> = (config: C, signal: AbortSignal) => Promise<void>;

/** Options of `Reloader`. */
export interface ReloaderOptions<C> {
  /** Reads and validates the configuration; throws ConfigError when it is bad. */
  readonly load: (signal: AbortSignal) => Promise<C>;
  /** Applies a loaded configuration. */
  readonly apply: ApplyConfig<C>;
  readonly logger: Logger;
  readonly clock: Clock;
  /** `meridian_config_last_reload_successful` and `…_success_timestamp_seconds`, when exported. */
  readonly metrics?: { readonly successful: Gauge; readonly successTimestamp: Gauge };
}

/**
 * Holds the current configuration and reloads it on request (SIGHUP, `/-/reload`), as Prometheus
 * does: a configuration that fails to load or apply is rejected and the old one stays in force.
 * Reloads are serialized so two requests never apply concurrently.
 */
export class Reloader<C> {
  readonly #options: ReloaderOptions<C>;
  #current: C | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ReloaderOptions<C>) {
    this.#options = options;
  }

  /** The configuration in force, or undefined before the first successful load. */
  get current(): C | undefined {
    return this.#current;
  }

  /** Loads and applies the configuration; rejects (keeping the old one) when it is bad. */
  reload(signal: AbortSignal = new AbortController().signal): Promise<C> {
    const run = this.#queue.then(() => this.#reloadNow(signal));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #reloadNow(signal: AbortSignal): Promise<C> {
    const { load, apply, logger, clock, metrics } = this.#options;
    try {
      const next = await load(signal);
      await apply(next, signal);
      this.#current = next;
      metrics?.successful.set(1);
      metrics?.successTimestamp.set(clock.now() / 1000);
      logger.info("configuration loaded");
      return next;
    } catch (err) {
      metrics?.successful.set(0);
      logger.error({ err }, "configuration rejected, keeping the previous one");
      throw err;
    }
  }
}

/**
 * Registers `meridian_config_last_reload_successful` and `…_success_timestamp_seconds`, the
 * counterparts of Prometheus's reload gauges, for a Reloader's `metrics`.
 */
export function reloadMetrics(registry: Registry): { successful: Gauge; successTimestamp: Gauge } {
  return {
    successful: new Gauge({ name: "meridian_config_last_reload_successful", help: "Whether the last configuration reload attempt was successful.", registers: [registry] }),
    successTimestamp: new Gauge({ name: "meridian_config_last_reload_success_timestamp_seconds", help: "Timestamp of the last successful configuration reload.", registers: [registry] }),
  };
}
