import type { Matcher } from "../../model/index.js";
import type { Querier, Series, SeriesSet } from "../../storage/index.js";
import type { Postings } from "../index/index.js";
import type { Head } from "./head.js";
import type { HeadSeries } from "./head-series.js";

/**
 * Reads the head over [mint, maxt] (ms, inclusive). `select` resolves matchers through postings,
 * sorts the matching series by labels, and snapshots each series only when the set reaches it,
 * so chunks are decoded as iterators pull. A series, label name or value is visible only when a
 * sample lies in range, so an appender's uncommitted or rolled back series never shows.
 */
export class HeadQuerier implements Querier {
  readonly #head: Head;
  readonly #mint: number;
  readonly #maxt: number;

  constructor(head: Head, mint: number, maxt: number) {
    this.#head = head;
    this.#mint = mint;
    this.#maxt = maxt;
  }

  select(matchers: readonly Matcher[]): SeriesSet {
    const found = [...this.#inRange(this.#head.index.select(matchers))];
    found.sort((a, b) => a.labels.compare(b.labels));
    let i = -1;
    let current: Series | undefined;
    return {
      next: () => {
        current = undefined;
        if (++i >= found.length) return false;
        const s = found[i] as HeadSeries;
        current = { labels: s.labels, iterator: s.snapshot(this.#mint, this.#maxt) };
        return true;
      },
      at: () => {
        if (current === undefined) throw new Error("series set is not positioned on a series");
        return current;
      },
      warnings: () => [],
    };
  }

  async labelNames(matchers: readonly Matcher[] = []): Promise<string[]> {
    return this.#head.index.labelNames(matchers, (postings) => this.#inRange(postings));
  }

  async labelValues(name: string, matchers: readonly Matcher[] = []): Promise<string[]> {
    return this.#head.index.labelValues(name, matchers, (postings) => this.#inRange(postings));
  }

  async close(): Promise<void> {}

  *#inRange(postings: Postings): Generator<HeadSeries> {
    this.#head.assertOpen();
    if (this.#mint > this.#maxt) return;
    for (const ref of postings) {
      const s = this.#head.series(ref);
      if (s !== undefined && s.hasSamplesIn(this.#mint, this.#maxt)) yield s;
    }
  }
}
