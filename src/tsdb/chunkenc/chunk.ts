import type { SampleIterator } from "../../storage/index.js";
import { TsdbCorruptionError } from "../errors.js";
import { XorIterator } from "./xor.js";

/** Chunk encoding bytes as stored in segment files (only XOR is decoded so far). */
export const CHUNK_ENCODING = { none: 0, xor: 1, histogram: 2, floatHistogram: 3 } as const;

/** One of the known chunk encoding bytes. */
export type ChunkEncoding = (typeof CHUNK_ENCODING)[keyof typeof CHUNK_ENCODING];

/** An iterator over a stored chunk's samples; throws for encodings Meridian cannot decode yet. */
export function chunkIterator(encoding: number, data: Uint8Array): SampleIterator {
  if (encoding === CHUNK_ENCODING.xor) return new XorIterator(data);
  throw new TsdbCorruptionError("chunk", `unsupported chunk encoding ${encoding}`);
}
