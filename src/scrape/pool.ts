import { parseDuration, type Labels } from "../model/index.js";
import type { TargetGroup } from "../discovery/index.js";
import type { ScrapeJob } from "./job.js";
import { ScrapeLoop, type LoopDeps } from "./loop.js";
import { populateTargetLabels } from "./populate.js";
import { compileRelabel, type CompiledRelabel } from "./relabel/index.js";
import { Target } from "./target.js";

/** A target that relabeling dropped, kept for `/api/v1/targets?state=dropped`. */
export interface DroppedTarget {
  readonly discoveredLabels: Labels;
}

/**
 * The targets and loops of one scrape job. `sync` takes the job's full set of target groups and
 * reconciles: unchanged targets keep their loop (no gap, no duplicate scrape), new ones start
 * scraping within a second, removed ones stop and mark their series stale.
 */
export class ScrapePool {
  readonly job: ScrapeJob;
  readonly #deps: LoopDeps;
  readonly #targetRules: readonly CompiledRelabel[];
  readonly #metricRules: readonly CompiledRelabel[];
  readonly #loops = new Map<string, ScrapeLoop>();
  #dropped: DroppedTarget[] = [];
  #lastGroups: readonly TargetGroup[] = [];

  constructor(job: ScrapeJob, deps: LoopDeps) {
    this.job = job;
    this.#deps = deps;
    this.#targetRules = compileRelabel(job.relabelConfigs);
    this.#metricRules = compileRelabel(job.metricRelabelConfigs);
  }

  /** Reconciles the pool with the job's current target groups. */
  async sync(groups: readonly TargetGroup[]): Promise<void> {
    this.#lastGroups = groups;
    const wanted = new Map<string, Target>();
    const dropped: DroppedTarget[] = [];
    for (const group of groups) {
      for (const t of group.targets) {
        const result = populateTargetLabels({ ...group.labels, ...t }, this.job, this.#targetRules);
        if (result.kind === "dropped") {
          dropped.push({ discoveredLabels: result.discovered });
        } else if (result.kind === "error") {
          this.#deps.logger.warn({ job: this.job.jobName, err: result.error, labels: result.discovered.toString() }, "creating target failed");
        } else {
          const target = new Target({
            labels: result.labels,
            discoveredLabels: result.discovered,
            scrapePool: this.job.jobName,
            intervalMs: durationLabel(result.labels, "__scrape_interval__", this.job.intervalMs),
            timeoutMs: durationLabel(result.labels, "__scrape_timeout__", this.job.timeoutMs),
            params: this.job.params,
          });
          if (!wanted.has(target.key())) wanted.set(target.key(), target);
        }
      }
    }
    this.#dropped = dropped;

    const stops: Promise<void>[] = [];
    for (const [key, loop] of this.#loops) {
      if (!wanted.has(key)) {
        this.#loops.delete(key);
        stops.push(loop.stop(true));
      }
    }
    for (const [key, target] of wanted) {
      if (this.#loops.has(key)) continue;
      const loop = new ScrapeLoop(target, this.job, this.#metricRules, this.#deps);
      this.#loops.set(key, loop);
      loop.start();
    }
    // Over target_limit, Prometheus keeps every loop running but fails each scrape with the
    // reason (up = 0), so the state is visible; under the limit again, scraping resumes.
    const limitError = this.job.targetLimit > 0 && wanted.size > this.job.targetLimit ? `target_limit exceeded (number of targets: ${wanted.size}, limit: ${this.job.targetLimit})` : undefined;
    for (const loop of this.#loops.values()) loop.setForcedError(limitError);
    await Promise.all(stops);
  }

  /** The groups last passed to `sync`, for restarting the pool on a config change. */
  lastGroups(): readonly TargetGroup[] {
    return this.#lastGroups;
  }

  /** Targets being scraped (or failing). */
  activeTargets(): Target[] {
    return [...this.#loops.values()].map((l) => l.target);
  }

  /** Targets relabeling dropped. */
  droppedTargets(): readonly DroppedTarget[] {
    return this.#dropped;
  }

  /** Stops every loop; with `staleness` their series are marked stale. */
  async stop(staleness: boolean): Promise<void> {
    const loops = [...this.#loops.values()];
    this.#loops.clear();
    await Promise.all(loops.map((l) => l.stop(staleness)));
  }
}

// The interval or timeout a target's labels ask for; PopulateLabels already validated it.
function durationLabel(labels: Labels, name: string, fallback: number): number {
  const v = labels.get(name);
  if (!v) return fallback;
  try {
    return parseDuration(v);
  } catch {
    return fallback;
  }
}
