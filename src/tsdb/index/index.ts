export { INDEX_MAGIC, INDEX_VERSION, SERIES_ALIGN, TOC_BYTES } from "./format.js";
export type { ChunkMeta, IndexSeries, Toc } from "./format.js";
export { IndexReader } from "./reader.js";
export { encodeIndex } from "./writer.js";
export type { IndexWriterOptions } from "./writer.js";
export { intersectPostings, mergePostings, subtractPostings } from "./postings.js";
export type { Postings } from "./postings.js";
