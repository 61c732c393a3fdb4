// Meridian's TSDB: Prometheus-compatible persistent blocks (see docs/format.md).
export { TsdbCorruptionError, TsdbWriteError } from "./errors.js";
export { BlockQuerier, BlockReader, DEFAULT_SAMPLES_PER_CHUNK, writeBlock } from "./block/index.js";
export type { BlockFiles, BlockReaderOptions, WriteBlockOptions, WrittenBlock } from "./block/index.js";
export { localized, memoryBlockFile, openLocalBlockFile } from "./files/index.js";
export type { BlockFile, SyncBlockFile } from "./files/index.js";
export { UlidGenerator, formatBlockMeta, parseBlockMeta } from "./meta/index.js";
export type { BlockMeta, BlockStats, UlidSource } from "./meta/index.js";
export { Head } from "./head/index.js";
export type { HeadLog, HeadOptions, HeadStats } from "./head/index.js";
export { DEFAULT_BLOCK_RANGE_MS, TSDB } from "./db/index.js";
export type { TsdbOptions, TsdbStats, TsdbStorageBytes } from "./db/index.js";
