import { Counter, type Registry } from "prom-client";
import type { Clock, Logger, Service } from "../runtime/index.js";
import type { TargetGroup } from "../discovery/index.js";
import type { Appendable } from "../storage/index.js";
import type { ScrapeJob } from "./job.js";
import type { ScrapeStats } from "./loop.js";
import { ScrapePool, type DroppedTarget } from "./pool.js";
import type { Target } from "./target.js";

/** Options of `ScrapeManager`. */
export interface ScrapeManagerOptions {
  readonly appendable: Appendable;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Sent as User-Agent, e.g. `Meridian/0.1.0`. */
  readonly userAgent: string;
  readonly metrics: Registry;
}

/**
 * Owns one scrape pool per job. `applyConfig` creates, restarts (only when the job's settings
 * changed) and removes pools; `updateTargets` hands a job's current target groups to its pool.
 */
export class ScrapeManager implements Service {
  readonly name = "scrape";
  readonly #options: ScrapeManagerOptions;
  readonly #pools = new Map<string, { pool: ScrapePool; fingerprint: string }>();
  readonly #pending = new Map<string, readonly TargetGroup[]>();
  readonly #stats: ScrapeStats = { outOfOrder: 0, duplicate: 0, outOfBounds: 0, samplesAppended: 0 };
  #running = false;

  constructor(options: ScrapeManagerOptions) {
    this.#options = options;
    const stats = this.#stats;
    const counter = (name: string, help: string, read: () => number) => {
      let last = 0;
      new Counter({
        name,
        help,
        registers: [options.metrics],
        collect() {
          const v = read();
          this.inc(v - last);
          last = v;
        },
      });
    };
    counter("meridian_target_scrapes_sample_out_of_order_total", "Samples rejected as out of order.", () => stats.outOfOrder);
    counter("meridian_target_scrapes_sample_duplicate_timestamp_total", "Samples rejected for a duplicate timestamp with a different value.", () => stats.duplicate);
    counter("meridian_target_scrapes_sample_out_of_bounds_total", "Samples rejected as out of bounds.", () => stats.outOfBounds);
    counter("meridian_scrape_samples_appended_total", "Samples appended by scrapes.", () => stats.samplesAppended);
  }

  async start(): Promise<void> {
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map(({ pool }) => pool.stop(false)));
  }

  ready(): boolean {
    return this.#running;
  }

  /** Installs the jobs of a (re)loaded configuration; unchanged jobs keep their loops. */
  async applyConfig(jobs: readonly ScrapeJob[]): Promise<void> {
    const wanted = new Map(jobs.map((j) => [j.jobName, j]));
    const work: Promise<void>[] = [];
    for (const [name, entry] of this.#pools) {
      const job = wanted.get(name);
      if (!job) {
        this.#pools.delete(name);
        work.push(entry.pool.stop(true));
      } else if (fingerprint(job) !== entry.fingerprint) {
        const groups = entry.pool.lastGroups();
        const pool = this.#newPool(job);
        this.#pools.set(name, { pool, fingerprint: fingerprint(job) });
        // Discovery may hand the new pool fresher groups while the old one stops; those win.
        work.push(entry.pool.stop(false).then(() => pool.sync(this.#pending.get(name) ?? groups)));
      }
    }
    for (const job of jobs) {
      if (this.#pools.has(job.jobName)) continue;
      const pool = this.#newPool(job);
      this.#pools.set(job.jobName, { pool, fingerprint: fingerprint(job) });
      const pending = this.#pending.get(job.jobName);
      if (pending) work.push(pool.sync(pending));
    }
    await Promise.all(work);
  }

  /** Hands a job's full set of target groups to its pool. */
  async updateTargets(job: string, groups: readonly TargetGroup[]): Promise<void> {
    this.#pending.set(job, groups);
    await this.#pools.get(job)?.pool.sync(groups);
  }

  /** Active targets by job. */
  activeTargets(): Map<string, Target[]> {
    return new Map([...this.#pools].map(([name, { pool }]) => [name, pool.activeTargets()]));
  }

  /** Dropped targets by job. */
  droppedTargets(): Map<string, readonly DroppedTarget[]> {
    return new Map([...this.#pools].map(([name, { pool }]) => [name, pool.droppedTargets()]));
  }

  #newPool(job: ScrapeJob): ScrapePool {
    const { appendable, clock, logger, userAgent } = this.#options;
    return new ScrapePool(job, { appendable, clock, logger: logger.child({ job: job.jobName }), userAgent, stats: this.#stats });
  }
}

function fingerprint(job: ScrapeJob): string {
  return JSON.stringify(job);
}
