import type { SampleIterator } from "../../storage/index.js";

/** What the sequence iterator needs to know of a chunk before opening it: its time bounds (ms, inclusive). */
export interface TimeBoundedChunk {
  readonly minTime: number;
  readonly maxTime: number;
}

/**
 * Plays one series' chunks in time order, opening each only when reached (a block reads it from
 * disk, the head decodes it from memory), and yields the samples in [mint, maxt] (ms, inclusive)
 * that `deleted` does not remove. Blocks and the head share it so both apply ranges and
 * tombstones identically.
 */
export class ChunkSequenceIterator<C extends TimeBoundedChunk> implements SampleIterator {
  readonly #chunks: readonly C[];
  readonly #open: (chunk: C) => SampleIterator;
  readonly #mint: number;
  readonly #maxt: number;
  readonly #deleted: ((t: number) => boolean) | undefined;
  #i = -1;
  #it: SampleIterator | undefined;
  #positioned = false;
  #done = false;

  constructor(chunks: readonly C[], open: (chunk: C) => SampleIterator, mint: number, maxt: number, deleted?: (t: number) => boolean) {
    this.#chunks = chunks;
    this.#open = open;
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
      if (t < this.#mint || (this.#deleted !== undefined && this.#deleted(t))) continue;
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
      if (this.#deleted !== undefined && this.#deleted(it.at())) return this.next();
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
    while (this.#i < this.#chunks.length && (this.#chunks[this.#i] as C).maxTime < minT);
    const chunk = this.#chunks[this.#i];
    if (chunk === undefined || chunk.minTime > this.#maxt) return false;
    this.#it = this.#open(chunk);
    return true;
  }

  #end(): false {
    this.#done = true;
    this.#positioned = false;
    return false;
  }
}
