// The TSDB as a Storage: head + WAL + blocks, compaction and retention.
export { DEFAULT_BLOCK_RANGE_MS, TSDB } from "./tsdb.js";
export type { TsdbOptions, TsdbStats, TsdbStorageBytes } from "./tsdb.js";
export { blocksBeyondRetention } from "./retention.js";
export type { RetainedBlock, RetentionPolicy } from "./retention.js";
export { compactionRanges, planCompaction } from "./compactor.js";
