import type { Registry } from "prom-client";
import type { PrometheusConfig } from "../config/index.js";
import {
  DiscoveryManager,
  consulProvider,
  createDiscoveryMetrics,
  fileProvider,
  staticProvider,
  type DiscoveryMetrics,
  type ProviderConfig,
} from "../discovery/index.js";
import type { Clock, Logger, Service } from "../runtime/index.js";
import { ScrapeManager } from "../scrape/index.js";
import type { Appendable } from "../storage/index.js";
import { toScrapeJob } from "./scrape-jobs.js";

/** Options of `Engine`. */
export interface EngineOptions {
  readonly appendable: Appendable;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics: Registry;
  /** Sent as User-Agent on scrapes. */
  readonly userAgent: string;
}

/**
 * The ingest half of the Prometheus role: discovery feeding the scrape manager, which appends to
 * storage. `applyConfig` installs a loaded `prometheus.yml` (first start and every reload):
 * unchanged jobs and discoverers keep running, so a reload causes no scrape gaps.
 */
export class Engine implements Service {
  readonly name = "engine";
  readonly scrape: ScrapeManager;
  readonly #options: EngineOptions;
  readonly #discoveryMetrics: DiscoveryMetrics;
  #discovery: DiscoveryManager | undefined;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.scrape = new ScrapeManager({
      appendable: options.appendable,
      clock: options.clock,
      logger: options.logger.child({ component: "scrape" }),
      userAgent: options.userAgent,
      metrics: options.metrics,
    });
    this.#discoveryMetrics = createDiscoveryMetrics(options.metrics);
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.scrape.start();
    signal.throwIfAborted();
    const scrape = this.scrape;
    const logger = this.#options.logger.child({ component: "discovery" });
    this.#discovery = new DiscoveryManager({
      logger,
      onUpdate: (job, groups) => {
        scrape.updateTargets(job, groups).catch((err: unknown) => logger.error({ job, err }, "target update failed"));
      },
    });
  }

  async stop(): Promise<void> {
    await this.#discovery?.stop();
    this.#discovery = undefined;
    await this.scrape.stop();
  }

  ready(): boolean {
    return this.#discovery !== undefined;
  }

  /** Installs a configuration's scrape jobs and their discovery. */
  async applyConfig(config: PrometheusConfig): Promise<void> {
    const discovery = this.#discovery;
    if (!discovery) throw new Error("engine is not started");
    await this.scrape.applyConfig(config.scrapeConfigs.map(toScrapeJob));
    const logger = this.#options.logger.child({ component: "discovery" });
    const deps = { logger, metrics: this.#discoveryMetrics };
    const jobs = new Map<string, ProviderConfig[]>();
    for (const sc of config.scrapeConfigs) {
      const providers: ProviderConfig[] = [];
      if (sc.staticConfigs.length > 0) providers.push(staticProvider(sc.staticConfigs));
      for (const f of sc.fileSDConfigs) providers.push(fileProvider(f, deps));
      for (const c of sc.consulSDConfigs) providers.push(consulProvider(c, deps));
      jobs.set(sc.jobName, providers);
    }
    const { failed } = await discovery.applyConfig(jobs);
    if (failed > 0) logger.warn({ failed }, "some discoverers could not be created");
  }
}
