export { BitReader, BitWriter } from "./bstream.js";
export { Float64Bits, MAX_XOR_SAMPLES, XorAppender, XorChunk, XorIterator } from "./xor.js";
export type { XorContinuation } from "./xor.js";
export { CHUNK_ENCODING, chunkIterator } from "./chunk.js";
export type { ChunkEncoding } from "./chunk.js";
export { ChunkSequenceIterator } from "./sequence-iterator.js";
export type { TimeBoundedChunk } from "./sequence-iterator.js";
