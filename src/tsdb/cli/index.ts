// The `meridian tsdb` tools: promtool's list, dump, analyze and create-blocks-from, on local blocks.
export { analyzeBlock } from "./analyze.js";
export type { AnalyzeOptions } from "./analyze.js";
export { backfillOpenMetrics, compatibleBlockDuration, DEFAULT_BLOCK_DURATION_MS } from "./backfill.js";
export type { BackfillOptions } from "./backfill.js";
export { blockSize, findBlocks } from "./data-dir.js";
export type { BlockEntry } from "./data-dir.js";
export { DUMP_ALL_SERIES, dumpSamples, formatLabels } from "./dump.js";
export type { DumpOptions } from "./dump.js";
export { TsdbToolError } from "./errors.js";
export { formatBase2Bytes, formatGoDuration, formatGoUtcSecond } from "./go-format.js";
export { formatBlockTable, listBlocks } from "./list.js";
export type { BlockTableOptions, ListOptions } from "./list.js";
export { LineBuffer, memorySink, streamSink } from "./output.js";
export type { MemorySink, TextSink } from "./output.js";
