export { BlockReader } from "./block-reader.js";
export type { BlockFiles, BlockReaderOptions } from "./block-reader.js";
export { BlockQuerier } from "./block-querier.js";
export type { BlockData } from "./block-querier.js";
export { BlockSeriesIterator } from "./series-iterator.js";
export { DEFAULT_SAMPLES_PER_CHUNK, writeBlock } from "./write-block.js";
export type { WriteBlockOptions, WrittenBlock } from "./write-block.js";
export { memoryBlockFile, openLocalBlockFile } from "../files/index.js";
export type { BlockFile, SyncBlockFile } from "../files/index.js";
