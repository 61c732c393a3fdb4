// Prometheus-compatible write-ahead log: segments, records, repair and checkpoints (see FORMAT.md).
export { checkpoint } from "./checkpoint.js";
export type { CheckpointOptions, CheckpointStats } from "./checkpoint.js";
export {
  RecordDecodeError,
  RecordEncodeError,
  WalCompressionError,
  WalCorruptionError,
  WalError,
  WalLayoutError,
  WalWriteError,
} from "./errors.js";
export { DEFAULT_SEGMENT_SIZE, PAGE_SIZE, checkpointDirName, segmentFileName } from "./layout.js";
export { WalReader } from "./reader.js";
export type { SegmentRange } from "./reader.js";
export {
  RecordType,
  decodeRecord,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
  recordTypeName,
  recordTypeOf,
} from "./records.js";
export type { DecodedRecord, RefSeries, SampleBatch, TombstoneEntry } from "./records.js";
export { repairWal } from "./repair.js";
export type { DroppedSegment, RepairOptions, RepairReport } from "./repair.js";
export { replayWal } from "./replay.js";
export type { ReplayOptions, ReplayResult } from "./replay.js";
export type { WalRecord } from "./segment-decoder.js";
export { listCheckpoints, listSegments } from "./segments.js";
export type { CheckpointRef, SegmentRef } from "./segments.js";
export { WalWriter } from "./writer.js";
export type { FsyncPolicy, WalWriterOptions, WalWriterStats } from "./writer.js";
