/** Chunk segment file constants and chunk references shared by the writer and the reader. */

/** Magic number opening every chunk segment file. */
export const SEGMENT_MAGIC = 0x85bd40dd;
/** Bytes before the first chunk: magic, version byte, 3 padding bytes. */
export const SEGMENT_HEADER_BYTES = 8;
/** Prometheus's default cap on a segment file's size; one chunk is never split. */
export const DEFAULT_SEGMENT_BYTES = 512 * 1024 * 1024;

/**
 * A block chunk reference: the 0-based index of the segment file in sorted order in the upper 32
 * bits, the byte offset of the chunk's length field in the lower 32 (exact in a JS number).
 */
export type ChunkRef = number;

/** The reference of a chunk at `offset` in the segment with 0-based index `segment`. */
export function chunkRef(segment: number, offset: number): ChunkRef {
  return segment * 2 ** 32 + offset;
}

/** The segment index and offset of a reference. */
export function splitChunkRef(ref: ChunkRef): { segment: number; offset: number } {
  return { segment: Math.floor(ref / 2 ** 32), offset: ref % 2 ** 32 };
}

/** The file name of the segment with 0-based index `segment`: `000001` for 0. */
export function segmentFileName(segment: number): string {
  return String(segment + 1).padStart(6, "0");
}
