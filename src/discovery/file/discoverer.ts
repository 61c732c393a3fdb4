import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { ValidationScheme } from "../../model/index.js";
import type { Logger } from "../../runtime/index.js";
import { createDiscoveryMetrics, type DiscoveryMetrics } from "../metrics.js";
import { systemTimers, type Timers } from "../timers.js";
import type { Discoverer, FileSDConfig, TargetGroup } from "../types.js";
import { checkFileSDPattern, globFiles, globMatcher, patternDirectory } from "./glob.js";
import { fileSource, parseFileSD } from "./parse.js";

/** What `fileDiscoverer` needs from the process. */
export interface FileDiscovererDeps {
  readonly logger: Logger;
  readonly metrics?: DiscoveryMetrics;
  readonly timers?: Timers;
  /** Label-name rules files are checked against; `utf8` (Prometheus 3's default) unless given. */
  readonly validationScheme?: ValidationScheme;
}

/**
 * Discovers targets listed in JSON or YAML files matching `config.files`, re-reading them when
 * their directories change and every `refreshIntervalMs` in case a change was missed. A file that
 * turns invalid keeps its previous groups; a deleted file's groups are cleared. Throws
 * `DiscoveryConfigError` at once for a pattern Prometheus would refuse.
 */
export function fileDiscoverer(config: FileSDConfig, deps: FileDiscovererDeps): Discoverer {
  for (const p of config.files) checkFileSDPattern(p);
  return { run: (signal, emit) => new FileDiscovery(config, deps).run(signal, emit) };
}

// What was last read successfully from one file: how many groups, and their serialized form so an
// unchanged file is not re-emitted (every emit makes the consumer re-sync its targets).
interface FileState {
  readonly count: number;
  readonly serialized: string;
}

// One run's state; a new run starts from nothing, so a restarted discoverer re-emits everything.
class FileDiscovery {
  readonly #config: FileSDConfig;
  readonly #logger: Logger;
  readonly #metrics: DiscoveryMetrics;
  readonly #timers: Timers;
  readonly #scheme: ValidationScheme;
  readonly #watchers = new Map<string, FSWatcher>();
  #files = new Map<string, FileState>();
  #dirty = false;
  #wake: (() => void) | undefined;

  constructor(config: FileSDConfig, deps: FileDiscovererDeps) {
    this.#config = config;
    this.#logger = deps.logger;
    this.#metrics = deps.metrics ?? createDiscoveryMetrics();
    this.#timers = deps.timers ?? systemTimers();
    this.#scheme = deps.validationScheme ?? "utf8";
  }

  async run(signal: AbortSignal, emit: (groups: readonly TargetGroup[]) => void): Promise<void> {
    try {
      let first = true;
      while (!signal.aborted) {
        this.#dirty = false;
        await this.#refresh(signal, emit, first);
        first = false;
        await this.#waitForChange(signal);
      }
    } finally {
      for (const w of this.#watchers.values()) w.close();
      this.#watchers.clear();
    }
  }

  // Waits for a watched directory to change, the refresh interval to pass, or the run to end.
  async #waitForChange(signal: AbortSignal): Promise<void> {
    if (this.#dirty || signal.aborted) return;
    const woken = new AbortController();
    this.#wake = () => woken.abort();
    try {
      await this.#timers.sleep(this.#config.refreshIntervalMs, AbortSignal.any([signal, woken.signal]));
    } finally {
      this.#wake = undefined;
    }
  }

  async #refresh(signal: AbortSignal, emit: (groups: readonly TargetGroup[]) => void, first: boolean): Promise<void> {
    const paths = new Set<string>();
    for (const pattern of this.#config.files) {
      try {
        for (const p of await globFiles(pattern, signal)) paths.add(p);
      } catch (err) {
        if (signal.aborted) return;
        this.#logger.error({ glob: pattern, err }, "file_sd glob expansion failed");
      }
    }
    const next = new Map<string, FileState>();
    const out: TargetGroup[] = [];
    for (const path of paths) {
      let groups: TargetGroup[];
      try {
        groups = parseFileSD(path, await readFile(path, { encoding: "utf8", signal }), this.#scheme);
      } catch (err) {
        if (signal.aborted) return;
        this.#metrics.fileReadErrors.inc();
        this.#logger.error({ path, err }, "file_sd file read failed, keeping its previous targets");
        const kept = this.#files.get(path);
        if (kept) next.set(path, kept);
        continue;
      }
      const state = { count: groups.length, serialized: JSON.stringify(groups) };
      next.set(path, state);
      if (first || this.#files.get(path)?.serialized !== state.serialized) out.push(...groups);
    }
    // A file that vanished, or lost groups, must clear them: the consumer only forgets by source.
    for (const [path, prev] of this.#files) {
      for (let i = next.get(path)?.count ?? 0; i < prev.count; i++) out.push({ source: fileSource(path, i), targets: [], labels: {} });
    }
    this.#files = next;
    if (signal.aborted) return;
    if (first || out.length > 0) emit(out);
    this.#watchDirectories();
  }

  // Watches every pattern's directory that is not watched yet, so directories created after a
  // failed attempt are picked up on a later refresh, as Prometheus re-adds its watches.
  #watchDirectories(): void {
    for (const pattern of this.#config.files) {
      const dir = patternDirectory(pattern);
      if (this.#watchers.has(dir)) continue;
      try {
        const matchers = this.#config.files.filter((p) => patternDirectory(p) === dir).map((p) => globMatcher(basename(p)));
        const watcher = watch(dir, (_event, name) => {
          // Unrelated files in the same directory (editors' swap files, other jobs) are ignored.
          if (name !== null && !matchers.some((m) => m(name))) return;
          this.#dirty = true;
          this.#wake?.();
        });
        watcher.on("error", (err) => {
          this.#logger.warn({ dir, err }, "file_sd directory watch failed, relying on the refresh interval");
          watcher.close();
          this.#watchers.delete(dir);
        });
        this.#watchers.set(dir, watcher);
      } catch (err) {
        this.#logger.warn({ dir, err }, "file_sd cannot watch directory, relying on the refresh interval");
      }
    }
  }
}
