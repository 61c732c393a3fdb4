import type { Labels, Matcher } from "../model/index.js";

/**
 * The read and write path of Meridian's storage in one file, as Prometheus's storage/interface.go.
 *
 * Time is int64 milliseconds since the epoch carried in a JS number (exact up to 2^53, which is
 * far beyond any real timestamp). Sample values are float64. Every range is inclusive at both ends.
 */

/** An opaque per-series reference an Appender hands back so repeated appends skip label lookup. */
export type SeriesRef = number;

/** A value that marks a series as stale (Prometheus's special NaN bit pattern, 0x7ff0000000000002). */
export const STALE_NAN_BITS = 0x7ff0000000000002n;

/** Whether `v` is the staleness marker (a NaN with Prometheus's exact bit pattern). */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0) === STALE_NAN_BITS;
}

/** The staleness marker value. */
export function staleNaN(): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, STALE_NAN_BITS);
  return view.getFloat64(0);
}

/**
 * Batches samples into one transaction. Not safe for concurrent use; one Appender per scrape.
 * Nothing is visible to queriers until `commit` resolves; `rollback` discards the batch.
 */
export interface Appender {
  /**
   * Adds a sample. `ref` is a reference returned by an earlier append for the same labels in
   * this or an earlier appender of the same storage, or 0 when unknown. Returns the series'
   * reference. Throws a typed error (out of order, duplicate, too old) for a rejected sample;
   * the rest of the batch is unaffected.
   */
  append(ref: SeriesRef, labels: Labels, t: number, v: number): SeriesRef;
  /** Makes the batch durable and visible. */
  commit(): Promise<void>;
  /** Discards the batch. */
  rollback(): Promise<void>;
}

/** Something samples can be appended to. */
export interface Appendable {
  /** A new transaction. */
  appender(): Appender;
}

/** Iterates the samples of one series in increasing time order. */
export interface SampleIterator {
  /** Advances to the next sample; false when exhausted. */
  next(): boolean;
  /** Advances to the first sample with time >= t (staying if already there); false when none. */
  seek(t: number): boolean;
  /** Time of the current sample (ms). */
  at(): number;
  /** Value of the current sample. */
  value(): number;
}

/** One series: its labels and a fresh iterator over its samples in the selected range. */
export interface Series {
  readonly labels: Labels;
  iterator(): SampleIterator;
}

/** A stream of series sorted by labels (`Labels.compare`), pulled one at a time. */
export interface SeriesSet {
  /** Advances to the next series; false when exhausted. */
  next(): boolean;
  /** The current series. */
  at(): Series;
  /** Non-fatal problems met while reading (e.g. a partial answer). */
  warnings(): readonly string[];
}

/** Hints a querier may use to read less; it must still return correct data if it ignores them. */
export interface SelectHints {
  readonly start?: number;
  readonly end?: number;
  readonly step?: number;
  readonly func?: string;
}

/** Reads series over a fixed time range [mint, maxt]. Close it to release resources. */
export interface Querier {
  /** Series matching every matcher, sorted by labels, with samples restricted to the range. */
  select(matchers: readonly Matcher[], hints?: SelectHints): SeriesSet;
  /** Sorted, unique label names of the series matching `matchers` (all series when empty). */
  labelNames(matchers?: readonly Matcher[]): Promise<string[]>;
  /** Sorted, unique values of `name` over the series matching `matchers`. */
  labelValues(name: string, matchers?: readonly Matcher[]): Promise<string[]>;
  close(): Promise<void>;
}

/** Something that can be read over time ranges. */
export interface Queryable {
  /** A querier over [mint, maxt], both inclusive, in ms. */
  querier(mint: number, maxt: number): Promise<Querier>;
}

/** A storage both writable and readable. */
export interface Storage extends Appendable, Queryable {
  /** Releases resources; pending appenders must not be used afterwards. */
  close(): Promise<void>;
}
