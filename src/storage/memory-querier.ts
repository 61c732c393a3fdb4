import type { Matcher } from "../model/index.js";
import type { Querier, Series, SeriesSet } from "./interface.js";
import type { LabelIndex } from "./label-index.js";
import type { MemSeries } from "./memory-series.js";
import type { Postings } from "./postings.js";
import { emptySeriesSet, listSeriesSet } from "./series-sets.js";

/** What a MemoryQuerier reads from its storage. */
export interface SeriesReader {
  /** Throws StorageClosedError once the storage is closed. */
  assertOpen(): void;
  readonly index: LabelIndex;
  /** The live series for a reference from `index`. */
  series(ref: number): MemSeries;
}

/**
 * Answers queries over [mint, maxt] from the live index. A series is visible only when it has a
 * sample in the range, for label names and values too (so they never name a series `select`
 * would not return); samples committed after `select` returns are not seen by its iterators.
 */
export class MemoryQuerier implements Querier {
  readonly #reader: SeriesReader;
  readonly #mint: number;
  readonly #maxt: number;

  constructor(reader: SeriesReader, mint: number, maxt: number) {
    this.#reader = reader;
    this.#mint = mint;
    this.#maxt = maxt;
  }

  select(matchers: readonly Matcher[]): SeriesSet {
    const found: Series[] = [];
    // Snapshotted now so later appends and truncations do not change what this select returned.
    for (const s of this.#inRange(this.#reader.index.select(matchers))) {
      found.push({ labels: s.labels, iterator: s.snapshot(this.#mint, this.#maxt) });
    }
    return found.length === 0 ? emptySeriesSet() : listSeriesSet(found);
  }

  async labelNames(matchers: readonly Matcher[] = []): Promise<string[]> {
    return this.#reader.index.labelNames(matchers, (postings) => this.#inRange(postings));
  }

  async labelValues(name: string, matchers: readonly Matcher[] = []): Promise<string[]> {
    return this.#reader.index.labelValues(name, matchers, (postings) => this.#inRange(postings));
  }

  async close(): Promise<void> {}

  *#inRange(postings: Postings): Generator<MemSeries> {
    this.#reader.assertOpen();
    if (this.#mint > this.#maxt) return;
    for (const ref of postings) {
      const s = this.#reader.series(ref);
      if (s.hasSamplesIn(this.#mint, this.#maxt)) yield s;
    }
  }
}
