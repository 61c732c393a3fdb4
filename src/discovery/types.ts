/** A set of labels in discovery: plain, unsorted, may include `__meta_*` and `__address__`. */
export type LabelSet = Readonly<Record<string, string>>;

/**
 * A group of targets from one source, as Prometheus's targetgroup.Group: labels common to all
 * targets, and the targets (each at least `__address__`). A group with no targets tells the
 * consumer that the source's targets are gone.
 */
export interface TargetGroup {
  /** Identifies the group within its discoverer; a new group with the same source replaces it. */
  readonly source: string;
  readonly targets: readonly LabelSet[];
  readonly labels: LabelSet;
}

/**
 * Discovers targets and reports them. `run` emits full replacement groups (by source) whenever
 * something changes, starting with everything it knows, and returns when `signal` aborts.
 * It must never throw for transient failures: it logs, retries, and keeps the last groups.
 */
export interface Discoverer {
  run(signal: AbortSignal, emit: (groups: readonly TargetGroup[]) => void): Promise<void>;
}

/** `static_configs` entry. */
export interface StaticConfig {
  readonly targets: readonly string[];
  readonly labels: LabelSet;
}

/** `file_sd_configs` entry: JSON or YAML files (globs in the last path element), re-read on change. */
export interface FileSDConfig {
  readonly files: readonly string[];
  /** ms; Prometheus's default is 5 m. */
  readonly refreshIntervalMs: number;
}

/** `consul_sd_configs` entry, with Prometheus's defaults applied. */
export interface ConsulSDConfig {
  /** `host:port`; default `localhost:8500`. */
  readonly server: string;
  readonly pathPrefix?: string;
  readonly token?: string;
  readonly datacenter?: string;
  readonly namespace?: string;
  readonly partition?: string;
  /** default "," */
  readonly tagSeparator: string;
  /** default "http" */
  readonly scheme: "http" | "https";
  readonly username?: string;
  readonly password?: string;
  /** default true */
  readonly allowStale: boolean;
  /** ms; default 30 s */
  readonly refreshIntervalMs: number;
  readonly services: readonly string[];
  readonly tags: readonly string[];
  readonly nodeMeta: LabelSet;
  readonly filter?: string;
}
