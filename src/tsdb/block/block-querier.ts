import { compareStrings, type Labels, type Matcher } from "../../model/index.js";
import type { Querier, SampleIterator, Series, SeriesSet } from "../../storage/index.js";
import type { ChunkReader } from "../chunks/index.js";
import type { ChunkMeta, IndexReader } from "../index/index.js";
import type { Interval, Tombstones } from "../tombstones/index.js";
import { BlockSeriesIterator } from "./series-iterator.js";

/** What a BlockQuerier reads. */
export interface BlockData {
  readonly index: IndexReader;
  readonly chunks: ChunkReader;
  readonly tombstones: Tombstones;
}

/**
 * Reads one block over [mint, maxt] (ms, inclusive). `select` streams: series entries are decoded
 * as the set advances and chunks as iterators reach them. A series is returned only when it has a
 * sample in range that no tombstone deletes. Label names and values come from the whole block,
 * ignoring the time range, as Prometheus's block querier does.
 */
export class BlockQuerier implements Querier {
  readonly #data: BlockData;
  readonly #mint: number;
  readonly #maxt: number;

  constructor(data: BlockData, mint: number, maxt: number) {
    this.#data = data;
    this.#mint = mint;
    this.#maxt = maxt;
  }

  select(matchers: readonly Matcher[]): SeriesSet {
    const ids = this.#mint > this.#maxt ? [] : this.#data.index.postingsForMatchers(matchers);
    let i = 0;
    let current: Series | undefined;
    return {
      next: () => {
        current = undefined;
        while (i < ids.length) {
          current = this.#series(ids[i++] as number);
          if (current !== undefined) return true;
        }
        return false;
      },
      at: () => {
        if (current === undefined) throw new Error("series set is not positioned on a series");
        return current;
      },
      warnings: () => [],
    };
  }

  async labelNames(matchers: readonly Matcher[] = []): Promise<string[]> {
    const { index } = this.#data;
    if (matchers.length === 0) return index.labelNames();
    const names = new Set<string>();
    for (const id of index.postingsForMatchers(matchers)) for (const n of index.series(id).labels.names()) names.add(n);
    return [...names].sort(compareStrings);
  }

  async labelValues(name: string, matchers: readonly Matcher[] = []): Promise<string[]> {
    const { index } = this.#data;
    if (matchers.length === 0) return [...index.labelValues(name)];
    const values = new Set<string>();
    for (const id of index.postingsForMatchers(matchers)) {
      const v = index.series(id).labels.get(name);
      if (v !== "") values.add(v);
    }
    return [...values].sort(compareStrings);
  }

  async close(): Promise<void> {}

  #series(id: number): Series | undefined {
    const { index, chunks, tombstones } = this.#data;
    const s = index.series(id);
    const mint = this.#mint;
    const maxt = this.#maxt;
    const deleted = tombstones.get(id) ?? [];
    const metas = s.chunks.filter((c) => c.maxTime >= mint && c.minTime <= maxt && !covered(c, deleted));
    if (metas.length === 0) return undefined;
    const labels: Labels = s.labels;
    const iterator = (): SampleIterator => new BlockSeriesIterator(chunks, metas, mint, maxt, deleted);
    // Chunk bounds alone do not prove a sample in range when a chunk sticks out or has deletions.
    const first = metas[0] as ChunkMeta;
    const last = metas[metas.length - 1] as ChunkMeta;
    if ((first.minTime < mint || last.maxTime > maxt || deleted.length > 0) && !iterator().next()) return undefined;
    return { labels, iterator };
  }
}

function covered(c: ChunkMeta, deleted: readonly Interval[]): boolean {
  return deleted.some((iv) => iv.mint <= c.minTime && iv.maxt >= c.maxTime);
}
