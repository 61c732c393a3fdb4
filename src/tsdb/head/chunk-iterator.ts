import type { SampleIterator } from "../../storage/index.js";
import { XorIterator } from "../chunkenc/index.js";
import { isDeleted, type Interval } from "../tombstones/index.js";

/** An encoded XOR chunk held in memory with its time bounds (ms, inclusive) and sample count. */
export interface MemChunk {
  readonly bytes: Uint8Array;
  readonly minTime: number;
  readonly maxTime: number;
  readonly count: number;
}

/** Plays in-memory chunks of one series in order, yielding the samples in [mint, maxt] not deleted. */
export class ChunkListIterator implements SampleIterator {
  readonly #chunks: readonly MemChunk[];
  readonly #mint: number;
  readonly #maxt: number;
  readonly #deleted: readonly Interval[];
  #i = -1;
  #it: XorIterator | undefined;
  #positioned = false;
  #done = false;

  constructor(chunks: readonly MemChunk[], mint: number, maxt: number, deleted: readonly Interval[] = []) {
    this.#chunks = chunks;
    this.#mint = mint;
    this.#maxt = maxt;
    this.#deleted = deleted;
  }

  next(): boolean {
    if (this.#done) return false;
    for (;;) {
      if (this.#it === undefined && !this.#openNext(this.#mint)) return this.#end();
      const it = this.#it as XorIterator;
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
    if (this.#positioned && (this.#it as XorIterator).at() >= t) return true;
    const target = Math.max(t, this.#mint);
    for (;;) {
      if (this.#it === undefined && !this.#openNext(target)) return this.#end();
      const it = this.#it as XorIterator;
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
    return (this.#it as XorIterator).at();
  }

  value(): number {
    return (this.#it as XorIterator).value();
  }

  #openNext(minT: number): boolean {
    this.#positioned = false;
    do this.#i++;
    while (this.#i < this.#chunks.length && (this.#chunks[this.#i] as MemChunk).maxTime < minT);
    const c = this.#chunks[this.#i];
    if (c === undefined || c.minTime > this.#maxt) return false;
    this.#it = new XorIterator(c.bytes);
    return true;
  }

  #end(): false {
    this.#done = true;
    this.#positioned = false;
    return false;
  }
}
