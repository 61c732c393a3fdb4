import type { Labels } from "../model/index.js";
import { StorageClosedError } from "./errors.js";
import type { Appender, Querier, SeriesRef, Storage } from "./interface.js";
import { LabelIndex } from "./label-index.js";
import { MemoryAppender, type SeriesStore } from "./memory-appender.js";
import { MemoryQuerier, type SeriesReader } from "./memory-querier.js";
import { MemSeries } from "./memory-series.js";

/** Options of `MemoryStorage`. */
export interface MemoryStorageOptions {
  /**
   * Keep samples newer than the newest committed sample minus this many ms; older ones are
   * dropped after commits and refused as out of bounds. Retention follows data time, not the wall
   * clock, as Prometheus's does (it is relative to the newest block). Unlimited when absent.
   */
  readonly retentionMs?: number;
}

/** Counts describing a MemoryStorage, as `prometheus_tsdb_head_*` do for the head. */
export interface MemoryStorageStats {
  /** Live series (with committed samples or an open appender's pending ones). */
  readonly series: number;
  /** Committed samples. */
  readonly samples: number;
  /** Oldest committed sample time (ms), or undefined when empty. */
  readonly minTime: number | undefined;
  /** Newest committed sample time (ms), or undefined when empty. */
  readonly maxTime: number | undefined;
}

/**
 * A Storage held entirely in memory: the test double for everything that appends or queries, and
 * the engine's storage until the TSDB lands. Series are found by label hash (collisions resolved
 * by comparing labels), samples live in typed arrays per series, and an inverted index answers
 * matchers. Single-threaded by construction; any number of appenders and queriers may be open.
 */
export class MemoryStorage implements Storage {
  readonly #retentionMs: number | undefined;
  readonly #index = new LabelIndex();
  readonly #byHash = new Map<bigint, MemSeries[]>();
  readonly #byRef = new Map<number, MemSeries>();
  #nextRef = 1;
  #samples = 0;
  #maxTime = -Infinity;
  #truncatedBefore = -Infinity;
  #closed = false;
  readonly #store: SeriesStore & SeriesReader;

  constructor(options: MemoryStorageOptions = {}) {
    this.#retentionMs = options.retentionMs;
    this.#store = {
      assertOpen: () => this.#assertOpen(),
      minValidTime: () => this.#minValidTime(),
      getOrCreate: (ref, labels) => this.#getOrCreate(ref, labels),
      apply: (series, times, values, n) => this.#apply(series, times, values, n),
      release: (series) => this.#release(series),
      index: this.#index,
      series: (ref) => this.#byRef.get(ref) as MemSeries,
    };
  }

  appender(): Appender {
    this.#assertOpen();
    return new MemoryAppender(this.#store);
  }

  async querier(mint: number, maxt: number): Promise<Querier> {
    this.#assertOpen();
    return new MemoryQuerier(this.#store, mint, maxt);
  }

  /** Drops every sample older than `beforeT` (ms) and the series left empty; later appends before it are out of bounds. */
  truncate(beforeT: number): void {
    this.#truncatedBefore = Math.max(this.#truncatedBefore, beforeT);
    const emptied: MemSeries[] = [];
    for (const s of this.#byRef.values()) {
      if (s.minTime >= beforeT) continue;
      this.#samples -= s.truncate(beforeT);
      if (s.count === 0 && s.pendingAppenders === 0) emptied.push(s);
    }
    this.#forget(emptied);
  }

  /** Current counts. */
  stats(): MemoryStorageStats {
    let minTime = Infinity;
    for (const s of this.#byRef.values()) minTime = Math.min(minTime, s.minTime);
    return {
      series: this.#byRef.size,
      samples: this.#samples,
      minTime: this.#samples > 0 ? minTime : undefined,
      maxTime: this.#samples > 0 ? this.#maxTime : undefined,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StorageClosedError();
  }

  #minValidTime(): number {
    const retained = this.#retentionMs === undefined ? -Infinity : this.#maxTime - this.#retentionMs;
    return Math.max(this.#truncatedBefore, retained);
  }

  #getOrCreate(ref: SeriesRef, labels: Labels): MemSeries {
    if (ref !== 0) {
      const s = this.#byRef.get(ref);
      // A reference outlives its series once retention collects it; the labels check catches that.
      if (s !== undefined && (s.labels === labels || s.labels.equals(labels))) return s;
    }
    const hash = labels.hash();
    const bucket = this.#byHash.get(hash);
    const found = bucket?.find((s) => s.labels.equals(labels));
    if (found !== undefined) return found;
    const s = new MemSeries(this.#nextRef++, labels);
    if (bucket === undefined) this.#byHash.set(hash, [s]);
    else bucket.push(s);
    this.#byRef.set(s.ref, s);
    this.#index.add(s.ref, labels);
    return s;
  }

  // Another appender may have committed newer samples since `append` checked these; such samples
  // are dropped here, as Prometheus's head drops them at commit.
  #apply(series: readonly MemSeries[], times: Float64Array, values: Float64Array, n: number): void {
    const minValid = this.#minValidTime();
    for (let i = 0; i < n; i++) {
      const s = series[i] as MemSeries;
      const t = times[i] as number;
      const v = values[i] as number;
      // At an equal time the sample is either the same (a no-op) or a duplicate: dropped both ways.
      if (t < minValid || t <= s.maxTime) continue;
      s.append(t, v);
      this.#samples++;
      if (t > this.#maxTime) this.#maxTime = t;
    }
    if (this.#retentionMs !== undefined) this.#enforceRetention(this.#retentionMs);
  }

  // Truncating on every commit would cost a pass over all series each scrape; waiting until the
  // boundary has moved by a tenth of the retention keeps the cost amortised and the overshoot small.
  #enforceRetention(retentionMs: number): void {
    if (this.#maxTime === -Infinity) return;
    const boundary = this.#maxTime - retentionMs;
    if (boundary - this.#truncatedBefore >= retentionMs / 10 || this.#truncatedBefore === -Infinity) {
      this.truncate(boundary);
    }
  }

  #release(series: Iterable<MemSeries>): void {
    const emptied: MemSeries[] = [];
    for (const s of series) {
      s.pendingAppenders--;
      if (s.count === 0 && s.pendingAppenders === 0 && this.#byRef.get(s.ref) === s) emptied.push(s);
    }
    this.#forget(emptied);
  }

  #forget(series: readonly MemSeries[]): void {
    if (series.length === 0) return;
    for (const s of series) {
      this.#byRef.delete(s.ref);
      const hash = s.labels.hash();
      const rest = (this.#byHash.get(hash) ?? []).filter((x) => x !== s);
      if (rest.length === 0) this.#byHash.delete(hash);
      else this.#byHash.set(hash, rest);
    }
    this.#index.remove(series);
  }
}
