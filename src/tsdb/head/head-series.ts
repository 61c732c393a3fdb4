import type { Labels } from "../../model/index.js";
import type { SampleIterator } from "../../storage/index.js";
import { XorAppender, type Float64Bits } from "../chunkenc/index.js";
import { addInterval, type Interval } from "../tombstones/index.js";
import { ChunkListIterator, type MemChunk } from "./chunk-iterator.js";

/** Samples in one head chunk before a new one is cut, as Prometheus's head does. */
export const SAMPLES_PER_HEAD_CHUNK = 120;

// Shared by every series without tombstones; `delete` replaces it with a new array.
const NO_INTERVALS: readonly Interval[] = Object.freeze([]);

/**
 * One series of the head. Samples live XOR-encoded: completed chunks as immutable byte arrays and
 * one open chunk with its appender, so a sample costs about 1–2 bytes rather than an object. A
 * chunk never crosses a multiple of the chunk range, so head truncation at a range boundary drops
 * whole chunks and a block cut from the head never needs re-encoding across its edge.
 *
 * A head holds a million of these, so each keeps few objects: the open chunk's appender (reused
 * for the next chunk), the closed chunks only once there are some, and a shared empty tombstone
 * list.
 */
export class HeadSeries {
  /** The series' head reference, also its WAL reference. */
  readonly ref: number;
  readonly labels: Labels;
  /** Open appenders that reference this series; it is not collected while > 0. */
  pendingAppenders = 0;
  /** Whether the WAL holds this series' record, so commits need not log it again. */
  logged = false;
  /**
   * The id of the open appender whose batch slot `batchSlot` holds this series' newest pending
   * sample, so an appender finds it without a map; 0 when no appender claimed it.
   */
  batchOwner = 0;
  batchSlot = 0;
  readonly #chunkRange: number;
  #closed: MemChunk[] | undefined;
  #app: XorAppender | undefined;
  #headMin = 0;
  #headCount = 0;
  #maxTime = -Infinity;
  // Deleted ranges (tombstones), sorted and disjoint; they hide samples added later too.
  #deleted: readonly Interval[] = NO_INTERVALS;

  constructor(ref: number, labels: Labels, chunkRange: number) {
    this.ref = ref;
    this.labels = labels;
    this.#chunkRange = chunkRange;
  }

  /** Time of the newest sample (ms), -Infinity when empty. */
  get maxTime(): number {
    return this.#maxTime;
  }

  /**
   * Value of the newest sample, NaN when the open chunk is empty. It is read back from the
   * encoder's state rather than kept, since every number field costs a series a heap object.
   * Once truncation dropped the open chunk no sample can be appended at `maxTime` any more, so
   * nothing needs the value then.
   */
  get lastValue(): number {
    return this.#app === undefined || this.#headCount === 0 ? NaN : this.#app.lastValue();
  }

  /** Time of the oldest sample held (ms), +Infinity when empty. */
  get minTime(): number {
    const first = this.#closed?.[0];
    if (first !== undefined) return first.minTime;
    return this.#headCount > 0 ? this.#headMin : Infinity;
  }

  /** Whether the series holds no samples. */
  get empty(): boolean {
    return (this.#closed === undefined || this.#closed.length === 0) && this.#headCount === 0;
  }

  /** Number of chunks, the open one included. */
  get chunkCount(): number {
    return (this.#closed?.length ?? 0) + (this.#headCount > 0 ? 1 : 0);
  }

  /**
   * Appends a sample; the caller has checked that `t` is after `maxTime`. `bits` splits the value
   * into words for the encoder (the head's, shared by all its series). Returns whether the sample
   * started a new chunk.
   */
  append(t: number, v: number, bits: Float64Bits): boolean {
    // The chunk ends at the next multiple of the chunk range after its first sample.
    const range = this.#chunkRange;
    const cut = this.#headCount === 0 || this.#headCount >= SAMPLES_PER_HEAD_CHUNK || Math.floor(t / range) !== Math.floor(this.#headMin / range);
    if (cut) this.#cut(t, bits);
    bits.set(v);
    (this.#app as XorAppender).appendBits(t, bits.hi, bits.lo);
    this.#headCount++;
    this.#maxTime = t;
    return cut;
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
    const closed = this.#closed;
    if (closed !== undefined) {
      let n = 0;
      while (n < closed.length && (closed[n] as MemChunk).maxTime < beforeT) dropped += (closed[n++] as MemChunk).count;
      closed.splice(0, n);
      if (closed.length === 0) this.#closed = undefined;
    }
    if (this.#deleted.length > 0) this.#deleted = this.#deleted.filter((iv) => iv.maxt >= beforeT);
    if (this.#closed === undefined && this.#headCount > 0 && this.#maxTime < beforeT) {
      dropped += this.#headCount;
      // A series idle for a whole range is likely gone; its chunk memory goes with the samples.
      this.#app = undefined;
      this.#headCount = 0;
    }
    return dropped;
  }

  #chunksIn(mint: number, maxt: number): MemChunk[] {
    const out: MemChunk[] = [];
    if (this.#closed !== undefined) for (const c of this.#closed) if (c.maxTime >= mint && c.minTime <= maxt) out.push(c);
    if (this.#app !== undefined && this.#headCount > 0 && this.#maxTime >= mint && this.#headMin <= maxt) {
      out.push({ bytes: this.#app.bytes().slice(), minTime: this.#headMin, maxTime: this.#maxTime, count: this.#headCount });
    }
    return out;
  }

  #cut(t: number, bits: Float64Bits): void {
    if (this.#app !== undefined && this.#headCount > 0) {
      (this.#closed ??= []).push({ bytes: this.#app.bytes().slice(), minTime: this.#headMin, maxTime: this.#maxTime, count: this.#headCount });
      this.#app.reset();
    } else this.#app ??= new XorAppender(undefined, bits);
    this.#headMin = t;
    this.#headCount = 0;
  }
}
