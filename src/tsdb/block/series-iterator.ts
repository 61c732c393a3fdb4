import type { SampleIterator } from "../../storage/index.js";
import type { ChunkReader } from "../chunks/index.js";
import type { ChunkMeta } from "../index/index.js";
import { isDeleted, type Interval } from "../tombstones/index.js";

/**
 * Plays one series' chunks in order, reading each chunk only when reached, and yields the
 * samples in [mint, maxt] (ms, inclusive) that no tombstone deletes.
 */
export class BlockSeriesIterator implements SampleIterator {
  readonly #chunks: ChunkReader;
  readonly #metas: readonly ChunkMeta[];
  readonly #mint: number;
  readonly #maxt: number;
  readonly #deleted: readonly Interval[];
  #i = -1;
  #it: SampleIterator | undefined;
  #positioned = false;
  #done = false;

  constructor(chunks: ChunkReader, metas: readonly ChunkMeta[], mint: number, maxt: number, deleted: readonly Interval[]) {
    this.#chunks = chunks;
    this.#metas = metas;
    this.#mint = mint;
    this.#maxt = maxt;
    this.#deleted = deleted;
  }

  next(): boolean {
    if (this.#done) return false;
    for (;;) {
      if (this.#it === undefined && !this.#openNext(this.#mint)) return this.#end();
      const it = this.#it as SampleIterator;
      if (!it.next()) {
        this.#it = undefined;
        continue;
      }
      const t = it.at();
      if (t < this.#mint || (this.#deleted.length > 0 && isDeleted(this.#deleted, t))) continue;
      if (t > this.#maxt) return this.#end();
      this.#positioned = true;
      return true;
    }
  }

  seek(t: number): boolean {
    if (this.#done) return false;
    if (this.#positioned && (this.#it as SampleIterator).at() >= t) return true;
    const target = Math.max(t, this.#mint);
    for (;;) {
      if (this.#it === undefined && !this.#openNext(target)) return this.#end();
      const it = this.#it as SampleIterator;
      if (!it.seek(target)) {
        this.#it = undefined;
        continue;
      }
      if (it.at() > this.#maxt) return this.#end();
      if (this.#deleted.length > 0 && isDeleted(this.#deleted, it.at())) return this.next();
      this.#positioned = true;
      return true;
    }
  }

  at(): number {
    return (this.#it as SampleIterator).at();
  }

  value(): number {
    return (this.#it as SampleIterator).value();
  }

  // Opens the next chunk that may hold samples at or after `minT`.
  #openNext(minT: number): boolean {
    this.#positioned = false;
    do this.#i++;
    while (this.#i < this.#metas.length && (this.#metas[this.#i] as ChunkMeta).maxTime < minT);
    const meta = this.#metas[this.#i];
    if (meta === undefined || meta.minTime > this.#maxt) return false;
    this.#it = this.#chunks.iterator(meta.ref);
    return true;
  }

  #end(): false {
    this.#done = true;
    this.#positioned = false;
    return false;
  }
}
