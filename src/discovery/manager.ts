import type { Logger } from "../runtime/index.js";
import type { ProviderConfig } from "./providers.js";
import { systemTimers, type Timers } from "./timers.js";
import type { Discoverer, TargetGroup } from "./types.js";

/** Options of `DiscoveryManager`. */
export interface DiscoveryManagerOptions {
  readonly logger: Logger;
  /**
   * Receives a job's complete current groups (never a delta) whenever they change; called
   * synchronously from the manager, one job at a time, never after `stop`. Groups without targets
   * are left out: a job with no targets gets an empty list.
   */
  readonly onUpdate: (job: string, groups: readonly TargetGroup[]) => void;
  /**
   * How long, in ms, to gather a burst of changes into one update per job; 0 waits only for the
   * current turn of the event loop (`setImmediate`). Default 10 ms, where Prometheus waits 5 s.
   */
  readonly coalesceMs?: number;
  readonly timers?: Timers;
}

// A running discoverer, its latest group per source, and the jobs that use it.
interface Provider {
  readonly key: string;
  readonly controller: AbortController;
  readonly groups: Map<string, TargetGroup>;
  done: Promise<void>;
  jobs: Set<string>;
}

/**
 * Runs each job's discoverers, keeps the latest group per (discoverer, source), and tells
 * `onUpdate` about each job whose groups changed, coalescing bursts. Identical configurations
 * share one discoverer across jobs and survive reloads untouched.
 */
export class DiscoveryManager {
  readonly #options: DiscoveryManagerOptions;
  readonly #timers: Timers;
  readonly #providers = new Map<string, Provider>();
  #jobs = new Map<string, readonly string[]>();
  readonly #dirty = new Set<string>();
  #flushScheduled = false;
  readonly #lifetime = new AbortController();

  constructor(options: DiscoveryManagerOptions) {
    this.#options = options;
    this.#timers = options.timers ?? systemTimers();
  }

  /**
   * Makes `jobs` (job name → its discovery configurations) the running set: discoverers whose key
   * is unchanged keep running with their groups, those no job uses any more are stopped (resolves
   * once they have), new ones start, and removed jobs get a final empty update. Returns how many
   * configurations could not be created (each is logged and skipped).
   */
  async applyConfig(jobs: ReadonlyMap<string, readonly ProviderConfig[]>): Promise<{ failed: number }> {
    if (this.#lifetime.signal.aborted) return { failed: 0 };
    let failed = 0;
    const next = new Map<string, string[]>();
    const users = new Map<string, Set<string>>();
    const created: { key: string; discoverer: Discoverer }[] = [];
    for (const [job, configs] of jobs) {
      const keys: string[] = [];
      for (const config of configs) {
        if (keys.includes(config.key)) continue;
        if (!this.#providers.has(config.key) && !created.some((c) => c.key === config.key)) {
          try {
            created.push({ key: config.key, discoverer: config.create() });
          } catch (err) {
            failed++;
            this.#options.logger.error({ job, err }, "cannot create service discovery");
            continue;
          }
        }
        keys.push(config.key);
        let set = users.get(config.key);
        if (!set) users.set(config.key, (set = new Set()));
        set.add(job);
      }
      next.set(job, keys);
    }

    for (const job of this.#jobs.keys()) if (!next.has(job)) this.#markDirty(job);
    for (const [job, keys] of next) {
      const before = this.#jobs.get(job);
      // A job keeping exactly its discoverers has nothing new to say; any other job is re-sent.
      if (!before || before.length !== keys.length || before.some((k, i) => k !== keys[i])) this.#markDirty(job);
    }
    this.#jobs = next;

    const stopping: Promise<void>[] = [];
    for (const [key, p] of this.#providers) {
      const subs = users.get(key);
      if (subs) {
        p.jobs = subs;
        continue;
      }
      p.controller.abort();
      this.#providers.delete(key);
      stopping.push(p.done);
    }
    for (const { key, discoverer } of created) this.#start(key, discoverer, users.get(key) ?? new Set());
    await Promise.all(stopping);
    return { failed };
  }

  /** The current groups of `job` (those with targets), in discoverer then arrival order. */
  targetGroups(job: string): TargetGroup[] {
    const out: TargetGroup[] = [];
    for (const key of this.#jobs.get(job) ?? []) {
      const p = this.#providers.get(key);
      if (p) out.push(...p.groups.values());
    }
    return out;
  }

  /** Stops every discoverer and resolves once all have returned; no update follows. */
  async stop(): Promise<void> {
    this.#lifetime.abort();
    const done = [...this.#providers.values()].map((p) => {
      p.controller.abort();
      return p.done;
    });
    this.#providers.clear();
    this.#jobs.clear();
    await Promise.all(done);
  }

  #start(key: string, discoverer: Discoverer, jobs: Set<string>): void {
    const controller = new AbortController();
    const groups = new Map<string, TargetGroup>();
    const provider: Provider = { key, controller, groups, jobs, done: Promise.resolve() };
    const emit = (update: readonly TargetGroup[]) => {
      if (controller.signal.aborted) return;
      for (const g of update) {
        // Empty groups are dropped rather than kept: that is how a source's targets go away.
        if (g.targets.length > 0) groups.set(g.source, g);
        else groups.delete(g.source);
      }
      for (const job of provider.jobs) this.#markDirty(job);
    };
    const run = async () => {
      try {
        await discoverer.run(controller.signal, emit);
      } catch (err) {
        this.#options.logger.error({ err, provider: key.slice(0, key.indexOf(":")) }, "service discovery failed");
      }
    };
    this.#providers.set(key, provider);
    provider.done = run();
  }

  #markDirty(job: string): void {
    this.#dirty.add(job);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    const ms = this.#options.coalesceMs ?? 10;
    const wait = ms > 0 ? this.#timers.sleep(ms, this.#lifetime.signal) : new Promise<void>((r) => setImmediate(r));
    void wait.then(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#lifetime.signal.aborted) return;
    const jobs = [...this.#dirty];
    this.#dirty.clear();
    for (const job of jobs) {
      try {
        this.#options.onUpdate(job, this.targetGroups(job));
      } catch (err) {
        this.#options.logger.error({ job, err }, "discovery update handler failed");
      }
    }
  }
}
