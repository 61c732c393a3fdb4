import type { Labels } from "../model/index.js";
import type { Exemplar, MetricType } from "./types.js";

/** What `ExpositionParser.next` found: a metadata line, a comment, a sample line, or the end. */
export type Entry = "type" | "help" | "unit" | "comment" | "series" | "eof";

/**
 * A pull parser over one exposition body. `next` advances one entry and throws ParseError where
 * Prometheus 2.42 would fail the scrape; the accessors describe the current entry only and are
 * valid until the following `next`. Nothing is decoded until an accessor asks for it, so a scrape
 * loop that caches series by `seriesKey` pays only for scanning and the value.
 */
export interface ExpositionParser {
  /** Advances to the next entry. */
  next(): Entry;
  /** Metric family name of a type/help/unit entry, or the raw sample name of a series entry. */
  name(): string;
  /** The type of a type entry (`untyped` in text 0.0.4, `unknown` in OpenMetrics by default). */
  type(): MetricType;
  /** Unescaped text of a help entry. */
  help(): string;
  /** Unit of a unit entry (OpenMetrics only). */
  unit(): string;
  /** The whole line of a comment entry (text 0.0.4 only). */
  comment(): string;
  /** Number of label pairs written on the current series line, in written order. */
  labelCount(): number;
  /** Name of the i-th written label. */
  labelName(i: number): string;
  /** Unescaped value of the i-th written label. */
  labelValue(i: number): string;
  /** Sample value of the current series. */
  value(): number;
  /** Sample timestamp in milliseconds, or undefined when the line has none. */
  timestampMs(): number | undefined;
  /** The exemplar of the current series (OpenMetrics only). */
  exemplar(): Exemplar | undefined;
  /**
   * The series' labels as Prometheus would store them: `__name__` added, empty values dropped
   * (with every same-named pair), sorted; throws ParseError for duplicate names or a lost name.
   */
  labels(): Labels;
  /** The raw bytes of the series (name and label set) — a cheap cache key; a view, not a copy. */
  seriesBytes(): Uint8Array;
  /**
   * `seriesBytes` as a latin1 string, one char per byte (what `Buffer#toString("latin1")` makes of
   * them): a cache key built natively from the body, without the view `seriesBytes` allocates.
   */
  seriesKey(): string;
}
