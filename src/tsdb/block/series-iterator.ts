import { ChunkSequenceIterator } from "../chunkenc/index.js";
import type { ChunkReader } from "../chunks/index.js";
import type { ChunkMeta } from "../index/index.js";
import { isDeleted, type Interval } from "../tombstones/index.js";

/**
 * Plays one series' chunks of a block in order, reading each chunk only when reached, and yields
 * the samples in [mint, maxt] (ms, inclusive) that no tombstone deletes.
 */
export class BlockSeriesIterator extends ChunkSequenceIterator<ChunkMeta> {
  constructor(chunks: ChunkReader, metas: readonly ChunkMeta[], mint: number, maxt: number, deleted: readonly Interval[]) {
    super(metas, (meta) => chunks.iterator(meta.ref), mint, maxt, deleted.length > 0 ? (t) => isDeleted(deleted, t) : undefined);
  }
}
