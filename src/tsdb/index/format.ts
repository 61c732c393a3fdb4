/** Constants and shapes shared by the index writer and reader. */
import type { Labels } from "../../model/index.js";
import type { ChunkRef } from "../chunks/index.js";

/** Magic number opening an index file. */
export const INDEX_MAGIC = 0xbaaad700;
/** The index format version written (v2: symbol references are positions in the symbol table). */
export const INDEX_VERSION = 2;
/** Bytes of the fixed table of contents at the end of the file: six offsets and a CRC. */
export const TOC_BYTES = 6 * 8 + 4;
/** Series entries start at multiples of this; a series ID is its offset divided by it. */
export const SERIES_ALIGN = 16;

/** Where one chunk of a series is and what time range it covers (ms, both inclusive). */
export interface ChunkMeta {
  readonly ref: ChunkRef;
  readonly minTime: number;
  readonly maxTime: number;
}

/** One series as the index stores it. */
export interface IndexSeries {
  readonly labels: Labels;
  /** Chunks in time order, not overlapping, with rising references. */
  readonly chunks: readonly ChunkMeta[];
}

/** Section offsets from the table of contents; 0 means absent. */
export interface Toc {
  readonly symbols: number;
  readonly series: number;
  readonly labelIndices: number;
  readonly labelIndicesTable: number;
  readonly postings: number;
  readonly postingsTable: number;
}
