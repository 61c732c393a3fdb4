import type { Labels } from "../model/index.js";
import type { MetricType } from "../exposition/index.js";
import {
  ADDRESS_LABEL,
  METRICS_PATH_LABEL,
  PARAM_LABEL_PREFIX,
  SCHEME_LABEL,
} from "./populate.js";

/** Health of a target as `/api/v1/targets` reports it. */
export type TargetHealth = "up" | "down" | "unknown";

/** HELP/TYPE/UNIT of one metric family seen on a target. */
export interface MetricMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

/**
 * One scrape target: its labels after relabeling (including the `__` labels that steer the
 * scrape), the labels discovery gave it, and the state of its last scrape.
 */
export class Target {
  /** Labels after relabeling, `__` labels included. */
  readonly labels: Labels;
  /** Labels before relabeling, as `/api/v1/targets` shows them. */
  readonly discoveredLabels: Labels;
  readonly scrapePool: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  health: TargetHealth = "unknown";
  lastError = "";
  /** Start of the last scrape, ms since the epoch; 0 before the first. */
  lastScrapeMs = 0;
  lastScrapeDurationMs = 0;
  /** Metric metadata seen in the last scrapes, by family name. */
  readonly metadata = new Map<string, MetricMetadata>();
  readonly #public: Labels;
  readonly #params: Readonly<Record<string, readonly string[]>>;

  constructor(opts: {
    labels: Labels;
    discoveredLabels: Labels;
    scrapePool: string;
    intervalMs: number;
    timeoutMs: number;
    params?: Readonly<Record<string, readonly string[]>>;
  }) {
    this.#params = opts.params ?? {};
    this.labels = opts.labels;
    this.discoveredLabels = opts.discoveredLabels;
    this.scrapePool = opts.scrapePool;
    this.intervalMs = opts.intervalMs;
    this.timeoutMs = opts.timeoutMs;
    this.#public = opts.labels.without(...opts.labels.names().filter((n) => n.startsWith("__")));
  }

  /** The labels every sample of this target gets: no `__` labels. */
  publicLabels(): Labels {
    return this.#public;
  }

  /**
   * The URL scraped: scheme, address, metrics path, the job's `params`, with each `__param_<k>`
   * label replacing the first value of `k` (as Prometheus does).
   */
  url(): URL {
    const url = new URL(`${this.labels.get(SCHEME_LABEL) || "http"}://${this.labels.get(ADDRESS_LABEL)}${this.labels.get(METRICS_PATH_LABEL) || "/metrics"}`);
    const params = new Map<string, string[]>(Object.entries(this.#params).map(([k, v]) => [k, [...v]]));
    for (const l of this.labels) {
      if (!l.name.startsWith(PARAM_LABEL_PREFIX)) continue;
      const k = l.name.slice(PARAM_LABEL_PREFIX.length);
      const values = params.get(k);
      if (values && values.length > 0) values[0] = l.value;
      else params.set(k, [l.value]);
    }
    // Go's url.Values.Encode sorts by key (keeping each key's value order); Prometheus shows that.
    for (const k of [...params.keys()].sort()) for (const v of params.get(k) ?? []) url.searchParams.append(k, v);
    return url;
  }

  /** Identity of the target within its pool: same labels and URL means the same target. */
  key(): string {
    return `${this.labels.hash()}:${this.url().href}`;
  }
}
