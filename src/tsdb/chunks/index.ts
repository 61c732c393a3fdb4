export { ChunkReader } from "./reader.js";
export type { StoredChunk } from "./reader.js";
export { ChunkWriter } from "./writer.js";
export type { ChunkWriterOptions } from "./writer.js";
export { DEFAULT_SEGMENT_BYTES, SEGMENT_HEADER_BYTES, SEGMENT_MAGIC, chunkRef, segmentFileName, splitChunkRef } from "./segment.js";
export type { ChunkRef } from "./segment.js";
