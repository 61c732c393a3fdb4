import type { Labels, Matcher } from "../../model/index.js";
import { StorageClosedError, type Appender, type Querier, type SeriesRef } from "../../storage/index.js";
import { Float64Bits } from "../chunkenc/index.js";
import { EncodeBuffer } from "../encoding/index.js";
import { encodeSamples, encodeSeries, encodeTombstones, type TombstoneEntry } from "../wal/index.js";
import { AppendBatch } from "./append-batch.js";
import { HeadAppender } from "./head-appender.js";
import { LabelIndex } from "../../storage/index.js";
import { HeadQuerier } from "./head-querier.js";
import { HeadSeries } from "./head-series.js";
import { SeriesTable } from "./series-table.js";

// Samples a pooled batch may hold: a batch that grew past it (a huge remote write, say) is not
// kept, so one burst does not pin its memory for good.
const MAX_POOLED_BATCH = 1 << 17;
// WAL record buffers start at this size and are replaced once they outgrow the maximum.
const RECORD_BUFFER_BYTES = 64 * 1024;
const MAX_RECORD_BUFFER_BYTES = 4 * 1024 * 1024;

/** Where the head logs committed batches before making them visible (a WalWriter in production). */
export interface HeadLog {
  /**
   * Resolves once the records are written (and synced, as the log's policy says). The records
   * must be copied before `log` returns: the head encodes its next commit into the same memory.
   */
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
  readonly #byRef = new SeriesTable();
  // Series by 30 bits of their label hash (small integers key a Map far faster than bigints): one
  // series, or all of them when several share the key.
  readonly #byHash = new Map<number, HeadSeries | HeadSeries[]>();
  // WAL references whose series record repeated labels already known under another reference.
  readonly #aliases = new Map<number, HeadSeries>();
  #nextRef = 1;
  #nextAppenderId = 1;
  // Batches of finished transactions, reused by the next ones (at most as many as ever ran at once).
  readonly #batches: AppendBatch[] = [];
  // Chunks of all series, kept as they are cut and dropped: stats() is read on every /metrics.
  #chunks = 0;
  #minTime = Infinity;
  #maxTime = -Infinity;
  #minValidTime = -Infinity;
  #closed = false;
  readonly #counts = { samplesAppended: 0, outOfOrder: 0, duplicate: 0, outOfBounds: 0 };
  readonly #bits = new Float64Bits();
  #seriesRecord = new EncodeBuffer(RECORD_BUFFER_BYTES);
  #samplesRecord = new EncodeBuffer(RECORD_BUFFER_BYTES);

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
    return new HeadAppender(this, this.#nextAppenderId++);
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
    const empty = this.#maxTime === -Infinity;
    return {
      series: this.#byRef.size,
      chunks: this.#chunks,
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

  /**
   * The live series for `ref` when its labels match, else the one for `labels`, created when new.
   * A new series keeps `labels` itself (its strings swapped for the pool's equal copies), so a
   * caller that appends again with the same Labels object, as a scrape loop does, is recognised
   * by identity rather than by comparing every pair.
   */
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
  async commit(batch: AppendBatch, signal?: AbortSignal): Promise<void> {
    this.assertOpen();
    const { series, times, values, n } = batch;
    if (n === 0) return;
    const wal = this.#wal;
    if (wal !== undefined) {
      // `claimed` holds each series of the batch once.
      const fresh = batch.claimed.filter((s) => !s.logged);
      // A plain array, not a typed one: refs are small integers, and V8 allocates no buffer for it.
      const refs = new Array<number>(n);
      for (let i = 0; i < n; i++) refs[i] = (series[i] as HeadSeries).ref;
      const records: Uint8Array[] = [];
      // The log copies records before `log` returns, so one pair of buffers serves every commit.
      if (fresh.length > 0) records.push(encodeSeries(fresh, this.#seriesRecord));
      records.push(encodeSamples({ refs, timestamps: times.subarray(0, n), values: values.subarray(0, n) }, this.#samplesRecord));
      const logged = wal.log(records, signal);
      this.#shrinkRecordBuffers();
      await logged;
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
      const chunks = s.chunkCount;
      s.truncate(beforeT);
      this.#chunks -= chunks - s.chunkCount;
      if (s.empty) {
        if (s.pendingAppenders === 0) emptied.push(s);
      } else minTime = Math.min(minTime, s.minTime);
    }
    this.#minTime = minTime;
    this.#forget(emptied);
  }

  // A record buffer that grew very large (the first commit of a big scrape) is let go.
  #shrinkRecordBuffers(): void {
    if (this.#seriesRecord.capacity > MAX_RECORD_BUFFER_BYTES) this.#seriesRecord = new EncodeBuffer(RECORD_BUFFER_BYTES);
    if (this.#samplesRecord.capacity > MAX_RECORD_BUFFER_BYTES) this.#samplesRecord = new EncodeBuffer(RECORD_BUFFER_BYTES);
  }

  /** A batch for a new transaction, reused when one is free. */
  takeBatch(): AppendBatch {
    return this.#batches.pop() ?? new AppendBatch();
  }

  /** Takes back a finished transaction's batch for reuse; one grown very large is let go. */
  returnBatch(batch: AppendBatch): void {
    batch.clear();
    if (batch.capacity <= MAX_POOLED_BATCH) this.#batches.push(batch);
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
      if (s.append(t, values[i] as number, this.#bits)) this.#chunks++;
      this.#counts.samplesAppended++;
      if (t < this.#minTime) this.#minTime = t;
      if (t > this.#maxTime) this.#maxTime = t;
    }
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

  // Label strings are shared across series (one `job="node"` for a million series), as
  // Prometheus's head interns its symbols; each new series keeps the pooled copies, not its own.
  readonly #symbol = (s: string): string => {
    const pooled = this.#symbols.get(s);
    if (pooled !== undefined) return pooled;
    this.#symbols.set(s, s);
    return s;
  };

  #lookup(labels: Labels): HeadSeries | undefined {
    const found = this.#byHash.get(hashKey(labels));
    if (found === undefined || found instanceof HeadSeries) return found?.labels.equals(labels) ? found : undefined;
    return found.find((s) => s.labels.equals(labels));
  }

  #create(ref: number, labels: Labels, logged: boolean): HeadSeries {
    labels.internStrings(this.#symbol);
    const s = new HeadSeries(ref, labels, this.chunkRange);
    s.logged = logged;
    const key = hashKey(labels);
    const found = this.#byHash.get(key);
    if (found === undefined) this.#byHash.set(key, s);
    else if (found instanceof HeadSeries) this.#byHash.set(key, [found, s]);
    else found.push(s);
    this.#byRef.set(s);
    this.#index.add(ref, labels);
    return s;
  }

  #forget(series: readonly HeadSeries[]): void {
    if (series.length === 0) return;
    const gone = new Set(series);
    for (const s of series) {
      this.#byRef.delete(s.ref);
      const key = hashKey(s.labels);
      const found = this.#byHash.get(key);
      const rest = found === undefined ? [] : found instanceof HeadSeries ? [found] : found;
      const kept = rest.filter((x) => x !== s);
      if (kept.length === 0) this.#byHash.delete(key);
      else this.#byHash.set(key, kept.length === 1 ? (kept[0] as HeadSeries) : kept);
    }
    for (const [ref, s] of this.#aliases) if (gone.has(s)) this.#aliases.delete(ref);
    this.#index.remove(series);
    this.#rebuildSymbols();
  }
}

// The low 30 bits of the label hash: always a small integer (a Smi) in V8.
function hashKey(labels: Labels): number {
  return Number(BigInt.asUintN(30, labels.hash()));
}
