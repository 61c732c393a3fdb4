import { ChunkSequenceIterator, XorIterator } from "../chunkenc/index.js";
import { isDeleted, type Interval } from "../tombstones/index.js";

/** An encoded XOR chunk held in memory with its time bounds (ms, inclusive) and sample count. */
export interface MemChunk {
  readonly bytes: Uint8Array;
  readonly minTime: number;
  readonly maxTime: number;
  readonly count: number;
}

/** Plays in-memory chunks of one series in order, yielding the samples in [mint, maxt] not deleted. */
export class ChunkListIterator extends ChunkSequenceIterator<MemChunk> {
  constructor(chunks: readonly MemChunk[], mint: number, maxt: number, deleted: readonly Interval[] = []) {
    super(chunks, (c) => new XorIterator(c.bytes), mint, maxt, deleted.length > 0 ? (t) => isDeleted(deleted, t) : undefined);
  }
}
