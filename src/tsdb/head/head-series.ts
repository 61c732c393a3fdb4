import type { Labels } from "../../model/index.js";
import type { SampleIterator } from "../../storage/index.js";
import { XorChunk, type XorAppender } from "../chunkenc/index.js";
import { addInterval, type Interval } from "../tombstones/index.js";
import { ChunkListIterator, type MemChunk } from "./chunk-iterator.js";

/** Samples in one head chunk before a new one is cut, as Prometheus's head does. */
export const SAMPLES_PER_HEAD_CHUNK = 120;

/**
 * One series of the head. Samples live XOR-encoded: completed chunks as immutable byte arrays and
 * one open chunk with its appender, so a sample costs about 1–2 bytes rather than an object. A
 * chunk never crosses a multiple of the chunk range, so head truncation at a range boundary drops
 * whole chunks and a block cut from the head never needs re-encoding across its edge.
 */
export class HeadSeries {
  /** The series' head reference, also its WAL reference. */
  readonly ref: number;
  readonly labels: Labels;
  /** Open appenders that reference this series; it is not collected while > 0. */
  pendingAppenders = 0;
  /** Whether the WAL holds this series' record, so commits need not log it again. */
  logged = false;
  readonly #chunkRange: number;
  readonly #closed: MemChunk[] = [];
  #head: XorChunk | undefined;
  #app: XorAppender | undefined;
  #headMin = 0;
  #headCount = 0;
  #headEnd = 0;
  #maxTime = -Infinity;
  #lastValue = NaN;
  // Deleted ranges (tombstones), sorted and disjoint; they hide samples added later too.
  #deleted: Interval[] = [];

  constructor(ref: number, labels: Labels, chunkRange: number) {
    this.ref = ref;
    this.labels = labels;
    this.#chunkRange = chunkRange;
  }

  /** Time of the newest sample (ms), -Infinity when empty. */
  get maxTime(): number {
    return this.#maxTime;
  }

  /** Value of the newest sample (NaN when empty). */
  get lastValue(): number {
    return this.#lastValue;
  }

  /** Time of the oldest sample held (ms), +Infinity when empty. */
  get minTime(): number {
    const first = this.#closed[0];
    if (first !== undefined) return first.minTime;
    return this.#headCount > 0 ? this.#headMin : Infinity;
  }

  /** Whether the series holds no samples. */
  get empty(): boolean {
    return this.#closed.length === 0 && this.#headCount === 0;
  }

  /** Number of chunks, the open one included. */
  get chunkCount(): number {
    return this.#closed.length + (this.#headCount > 0 ? 1 : 0);
  }

  /** Appends a sample; the caller has checked that `t` is after `maxTime`. */
  append(t: number, v: number): void {
    if (this.#app === undefined || this.#headCount >= SAMPLES_PER_HEAD_CHUNK || t >= this.#headEnd) this.#cut(t);
    (this.#app as XorAppender).append(t, v);
    this.#headCount++;
    this.#maxTime = t;
    this.#lastValue = v;
  }

  /** Whether a sample lies in [mint, maxt]; decodes at most the chunks at the range's edges. */
  hasSamplesIn(mint: number, maxt: number): boolean {
    if (mint > maxt || this.empty || this.#maxTime < mint || this.minTime > maxt) return false;
    return this.iterator(mint, maxt).next();
  }

  /**
   * An iterator factory over the samples in [mint, maxt] as they are now: the open chunk's bytes
   * are copied, so samples appended later stay invisible to every iterator it makes.
   */
  snapshot(mint: number, maxt: number): () => SampleIterator {
    const chunks = this.#chunksIn(mint, maxt);
    const deleted = this.#deleted;
    return () => new ChunkListIterator(chunks, mint, maxt, deleted);
  }

  /** One iterator over [mint, maxt] as things are now. */
  iterator(mint: number, maxt: number): SampleIterator {
    return new ChunkListIterator(this.#chunksIn(mint, maxt), mint, maxt, this.#deleted);
  }

  /** Deletes the samples in [mint, maxt] (ms, inclusive), present and future. */
  delete(mint: number, maxt: number): void {
    // A new array, so snapshots taken earlier keep the intervals they saw.
    this.#deleted = addInterval(this.#deleted, { mint, maxt });
  }

  /** Drops the chunks that end before `beforeT` (ms); returns how many samples went. */
  truncate(beforeT: number): number {
    let dropped = 0;
    let n = 0;
    while (n < this.#closed.length && (this.#closed[n] as MemChunk).maxTime < beforeT) dropped += (this.#closed[n++] as MemChunk).count;
    this.#closed.splice(0, n);
    if (this.#deleted.length > 0) this.#deleted = this.#deleted.filter((iv) => iv.maxt >= beforeT);
    if (this.#closed.length === 0 && this.#headCount > 0 && this.#maxTime < beforeT) {
      dropped += this.#headCount;
      this.#head = undefined;
      this.#app = undefined;
      this.#headCount = 0;
    }
    return dropped;
  }

  #chunksIn(mint: number, maxt: number): MemChunk[] {
    const out: MemChunk[] = [];
    for (const c of this.#closed) if (c.maxTime >= mint && c.minTime <= maxt) out.push(c);
    if (this.#head !== undefined && this.#headCount > 0 && this.#maxTime >= mint && this.#headMin <= maxt) {
      out.push({ bytes: this.#head.bytes().slice(), minTime: this.#headMin, maxTime: this.#maxTime, count: this.#headCount });
    }
    return out;
  }

  #cut(t: number): void {
    if (this.#head !== undefined && this.#headCount > 0) {
      this.#closed.push({ bytes: this.#head.bytes().slice(), minTime: this.#headMin, maxTime: this.#maxTime, count: this.#headCount });
    }
    this.#head = new XorChunk();
    this.#app = this.#head.appender();
    this.#headMin = t;
    this.#headCount = 0;
    this.#headEnd = (Math.floor(t / this.#chunkRange) + 1) * this.#chunkRange;
  }
}
