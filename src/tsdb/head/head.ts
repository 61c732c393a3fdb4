import { Labels, type Label, type Matcher } from "../../model/index.js";
import { StorageClosedError, type Appender, type Querier, type SeriesRef } from "../../storage/index.js";
import { encodeSamples, encodeSeries, encodeTombstones, type TombstoneEntry } from "../wal/index.js";
import { HeadAppender } from "./head-appender.js";
import { LabelIndex } from "../../storage/index.js";
import { HeadQuerier } from "./head-querier.js";
import { HeadSeries } from "./head-series.js";

/** Where the head logs committed batches before making them visible (a WalWriter in production). */
export interface HeadLog {
  /** Resolves once the records are written (and synced, as the log's policy says). */
  log(records: readonly Uint8Array[], signal?: AbortSignal): Promise<void>;
}

/** Options of a Head. */
export interface HeadOptions {
  /** Chunk range in ms (the block range): no chunk crosses a multiple of it. */
  readonly chunkRange: number;
  /** The write-ahead log; without one, commits are in memory only. */
  readonly wal?: HeadLog;
}

/** Counts describing the head, as Prometheus's `prometheus_tsdb_head_*` metrics. */
export interface HeadStats {
  readonly series: number;
  readonly chunks: number;
  /** Samples made visible since the head was created (replayed ones included). */
  readonly samplesAppended: number;
  /** Samples refused, by Prometheus's reason. */
  readonly outOfOrder: number;
  readonly duplicate: number;
  readonly outOfBounds: number;
  /** Oldest and newest sample time (ms), undefined when the head is empty. */
  readonly minTime: number | undefined;
  readonly maxTime: number | undefined;
}

/** A rejection reason counted by the head. */
export type HeadRejection = "outOfOrder" | "duplicate" | "outOfBounds";

/**
 * The in-memory head of the TSDB: the newest samples of every live series, XOR-encoded per
 * series, found by label hash (collisions resolved by comparing labels) or by reference, and
 * indexed by postings. A commit is written to the WAL before it becomes visible. Single-threaded
 * by construction; any number of appenders and queriers may be open at once.
 */
export class Head {
  readonly chunkRange: number;
  #wal: HeadLog | undefined;
  readonly #index = new LabelIndex();
  // The symbol pool, rebuilt from the live series whenever series leave the head.
  readonly #symbols = new Map<string, string>();
  readonly #byRef = new Map<number, HeadSeries>();
  readonly #byHash = new Map<bigint, HeadSeries[]>();
  // WAL references whose series record repeated labels already known under another reference.
  readonly #aliases = new Map<number, HeadSeries>();
  #nextRef = 1;
  #minTime = Infinity;
  #maxTime = -Infinity;
  #minValidTime = -Infinity;
  #closed = false;
  readonly #counts = { samplesAppended: 0, outOfOrder: 0, duplicate: 0, outOfBounds: 0 };

  constructor(options: HeadOptions) {
    if (!(options.chunkRange > 0)) throw new RangeError(`invalid chunk range ${options.chunkRange}`);
    this.chunkRange = options.chunkRange;
    this.#wal = options.wal;
  }

  /** Sets the log later commits go to (after WAL replay, which must not log again). */
  setWal(wal: HeadLog | undefined): void {
    this.#wal = wal;
  }

  /** A new transaction. */
  appender(): Appender {
    this.assertOpen();
    return new HeadAppender(this);
  }

  /** A querier over [mint, maxt] (ms, inclusive). */
  querier(mint: number, maxt: number): Querier {
    this.assertOpen();
    return new HeadQuerier(this, mint, maxt);
  }

  /** Oldest sample time (ms), +Infinity when empty. */
  get minTime(): number {
    return this.#minTime;
  }

  /** Newest sample time (ms), -Infinity when empty. */
  get maxTime(): number {
    return this.#maxTime;
  }

  /** Samples before this (ms) are refused as out of bounds: they belong to blocks already written. */
  get minValidTime(): number {
    return this.#minValidTime;
  }

  /** Raises the out-of-bounds limit, e.g. to the end of the newest block at open. */
  setMinValidTime(t: number): void {
    this.#minValidTime = Math.max(this.#minValidTime, t);
  }

  /**
   * The oldest time an appender accepts: the limit above, and, as in Prometheus, no more than half
   * a chunk range behind the newest sample, so appends cannot reopen a range about to be cut.
   */
  appendableMinValidTime(): number {
    if (this.#maxTime === -Infinity) return this.#minValidTime;
    return Math.max(this.#minValidTime, this.#maxTime - this.chunkRange / 2);
  }

  /** Current counts. */
  stats(): HeadStats {
    let chunks = 0;
    for (const s of this.#byRef.values()) chunks += s.chunkCount;
    const empty = this.#maxTime === -Infinity;
    return {
      series: this.#byRef.size,
      chunks,
      ...this.#counts,
      minTime: empty ? undefined : this.#minTime,
      maxTime: empty ? undefined : this.#maxTime,
    };
  }

  /** Whether `ref` (a head or WAL reference) names a live series; a checkpoint keeps those. */
  hasSeries(ref: number): boolean {
    return this.#byRef.has(ref) || this.#aliases.has(ref);
  }

  /** Marks the head closed; appenders and queriers refuse work afterwards. */
  close(): void {
    this.#closed = true;
  }

  /** Throws StorageClosedError once closed. */
  assertOpen(): void {
    if (this.#closed) throw new StorageClosedError();
  }

  /** Counts a refused sample. */
  countRejected(reason: HeadRejection): void {
    this.#counts[reason]++;
  }

  /** The live series for `ref` when its labels match, else the one for `labels`, created when new. */
  getOrCreate(ref: SeriesRef, labels: Labels): HeadSeries {
    if (ref !== 0) {
      const s = this.#byRef.get(ref);
      // A reference outlives its series once truncation collects it; the labels check catches that.
      if (s !== undefined && (s.labels === labels || s.labels.equals(labels))) return s;
    }
    return this.#lookup(labels) ?? this.#create(this.#nextRef++, labels, false);
  }

  /** The series with reference `ref`, if live. */
  series(ref: number): HeadSeries | undefined {
    return this.#byRef.get(ref);
  }

  /** The index over live series. */
  get index(): LabelIndex {
    return this.#index;
  }

  /**
   * Logs a batch (series records first for series the log has not seen, then the samples) and,
   * once the log has it, applies it. A sample another appender made stale meanwhile (an equal or
   * newer sample committed first, or a truncation past it) is dropped here, as Prometheus's
   * head does at commit; replay applies the same rule, so the WAL and memory agree.
   */
  async commit(series: readonly HeadSeries[], times: Float64Array, values: Float64Array, n: number, signal?: AbortSignal): Promise<void> {
    this.assertOpen();
    if (n === 0) return;
    const wal = this.#wal;
    if (wal !== undefined) {
      const fresh: HeadSeries[] = [];
      const seen = new Set<HeadSeries>();
      const refs = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const s = series[i] as HeadSeries;
        refs[i] = s.ref;
        if (!s.logged && !seen.has(s)) {
          seen.add(s);
          fresh.push(s);
        }
      }
      const records: Uint8Array[] = [];
      if (fresh.length > 0) records.push(encodeSeries(fresh.map((s) => ({ ref: s.ref, labels: s.labels }))));
      records.push(encodeSamples({ refs, timestamps: times.subarray(0, n), values: values.subarray(0, n) }));
      await wal.log(records, signal);
      for (const s of fresh) s.logged = true;
      this.assertOpen();
    }
    this.#apply(series, times, values, n);
  }

  /**
   * Deletes the samples in [mint, maxt] (ms, inclusive) of the series matching `matchers`: a
   * tombstones record is logged first, then the intervals hide the samples from every later read
   * (samples appended into them later too, as Prometheus's head tombstones do). Returns how many
   * series were touched.
   */
  async delete(matchers: readonly Matcher[], mint: number, maxt: number, signal?: AbortSignal): Promise<number> {
    this.assertOpen();
    const lo = Math.max(mint, Number.MIN_SAFE_INTEGER);
    const hi = Math.min(maxt, Number.MAX_SAFE_INTEGER);
    const entries: TombstoneEntry[] = [];
    for (const ref of this.#index.select(matchers)) {
      const s = this.#byRef.get(ref);
      if (s !== undefined && s.hasSamplesIn(lo, hi)) entries.push({ ref, mint: lo, maxt: hi });
    }
    if (entries.length === 0) return 0;
    await this.#wal?.log([encodeTombstones(entries)], signal);
    this.replayTombstones(entries);
    return entries.length;
  }

  /** Applies tombstones (from a delete or a replayed record); unknown references are ignored. */
  replayTombstones(entries: readonly TombstoneEntry[]): void {
    for (const e of entries) (this.#byRef.get(e.ref) ?? this.#aliases.get(e.ref))?.delete(e.mint, e.maxt);
  }

  /** Replays a series record: the series gets the logged reference, or aliases the one with its labels. */
  replaySeries(ref: number, labels: Labels): void {
    if (this.#byRef.has(ref) || this.#aliases.has(ref)) return;
    if (ref >= this.#nextRef) this.#nextRef = ref + 1;
    const known = this.#lookup(labels);
    if (known !== undefined) {
      this.#aliases.set(ref, known);
      return;
    }
    this.#create(ref, labels, true);
  }

  /** Replays a samples record; returns how many samples had no known series (and were dropped). */
  replaySamples(refs: Float64Array, times: Float64Array, values: Float64Array): number {
    const series: HeadSeries[] = [];
    const ts = new Float64Array(refs.length);
    const vs = new Float64Array(refs.length);
    let unknown = 0;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i] as number;
      const s = this.#byRef.get(ref) ?? this.#aliases.get(ref);
      if (s === undefined) {
        unknown++;
        continue;
      }
      ts[series.length] = times[i] as number;
      // `set` over a one-element view keeps NaN payloads (stale markers) bit for bit.
      vs.set(values.subarray(i, i + 1), series.length);
      series.push(s);
    }
    this.#apply(series, ts, vs, series.length);
    return unknown;
  }

  /**
   * Drops every chunk that ends before `beforeT` (ms), collects series left empty and not held
   * by an open appender, and refuses later samples before `beforeT` as out of bounds.
   */
  truncate(beforeT: number): void {
    this.setMinValidTime(beforeT);
    const emptied: HeadSeries[] = [];
    let minTime = Infinity;
    for (const s of this.#byRef.values()) {
      s.truncate(beforeT);
      if (s.empty) {
        if (s.pendingAppenders === 0) emptied.push(s);
      } else minTime = Math.min(minTime, s.minTime);
    }
    this.#minTime = minTime;
    this.#forget(emptied);
  }

  /** Forgets an appender's claim on these series, collecting those never given a sample. */
  release(series: Iterable<HeadSeries>): void {
    const emptied: HeadSeries[] = [];
    for (const s of series) {
      s.pendingAppenders--;
      if (s.empty && s.pendingAppenders === 0 && !s.logged && this.#byRef.get(s.ref) === s) emptied.push(s);
    }
    this.#forget(emptied);
  }

  #apply(series: readonly HeadSeries[], times: Float64Array, values: Float64Array, n: number): void {
    const minValid = this.#minValidTime;
    for (let i = 0; i < n; i++) {
      const s = series[i] as HeadSeries;
      const t = times[i] as number;
      if (t < minValid) {
        this.#counts.outOfBounds++;
        continue;
      }
      if (t <= s.maxTime) {
        // An equal time with the same bits is a retried scrape, not a conflict.
        if (t < s.maxTime) this.#counts.outOfOrder++;
        else if (!Object.is(values[i], s.lastValue)) this.#counts.duplicate++;
        continue;
      }
      s.append(t, values[i] as number);
      this.#counts.samplesAppended++;
      if (t < this.#minTime) this.#minTime = t;
      if (t > this.#maxTime) this.#maxTime = t;
    }
  }

  // Label strings are shared across series (one `job="node"` for a million series), as
  // Prometheus's head interns its symbols; each new series keeps the pooled copies, not its own.
  #intern(labels: Labels): Labels {
    const pairs: Label[] = [];
    for (let i = 0; i < labels.size; i++) pairs.push({ name: this.#symbol(labels.nameAt(i)), value: this.#symbol(labels.valueAt(i)) });
    return Labels.fromSortedUnchecked(pairs);
  }

  // After series leave the head, the pool keeps only strings live series still use.
  #rebuildSymbols(): void {
    this.#symbols.clear();
    for (const s of this.#byRef.values()) {
      for (let i = 0; i < s.labels.size; i++) {
        this.#symbols.set(s.labels.nameAt(i), s.labels.nameAt(i));
        this.#symbols.set(s.labels.valueAt(i), s.labels.valueAt(i));
      }
    }
  }

  #symbol(s: string): string {
    const pooled = this.#symbols.get(s);
    if (pooled !== undefined) return pooled;
    this.#symbols.set(s, s);
    return s;
  }

  #lookup(labels: Labels): HeadSeries | undefined {
    return this.#byHash.get(labels.hash())?.find((s) => s.labels.equals(labels));
  }

  #create(ref: number, given: Labels, logged: boolean): HeadSeries {
    const labels = this.#intern(given);
    const s = new HeadSeries(ref, labels, this.chunkRange);
    s.logged = logged;
    const hash = labels.hash();
    const bucket = this.#byHash.get(hash);
    if (bucket === undefined) this.#byHash.set(hash, [s]);
    else bucket.push(s);
    this.#byRef.set(ref, s);
    this.#index.add(ref, labels);
    return s;
  }

  #forget(series: readonly HeadSeries[]): void {
    if (series.length === 0) return;
    const gone = new Set(series);
    for (const s of series) {
      this.#byRef.delete(s.ref);
      const hash = s.labels.hash();
      const rest = (this.#byHash.get(hash) ?? []).filter((x) => x !== s);
      if (rest.length === 0) this.#byHash.delete(hash);
      else this.#byHash.set(hash, rest);
    }
    for (const [ref, s] of this.#aliases) if (gone.has(s)) this.#aliases.delete(ref);
    this.#index.remove(series);
    this.#rebuildSymbols();
  }
}
