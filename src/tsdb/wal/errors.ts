import { MeridianError } from "../../model/index.js";
import { segmentFileName } from "./layout.js";

/** Base class of every error the write-ahead log raises; match on `code`. */
export class WalError extends MeridianError {}

/**
 * The log's bytes are not a valid record stream at a known position. `offset` is where the bad
 * fragment (or the unexpected end) starts; `lastGoodOffset` is the end of the last complete record
 * in the same segment, which is where a repair truncates.
 */
export class WalCorruptionError extends WalError {
  /** Directory holding the segment (a WAL or a checkpoint directory). */
  readonly dir: string;
  /** Segment index (file name as a number). */
  readonly segment: number;
  /** Byte offset in the segment of the fragment (or end of data) that is wrong. */
  readonly offset: number;
  /** Byte offset in the segment just past the last complete record; 0 when there is none. */
  readonly lastGoodOffset: number;
  /** What is wrong, without the position. */
  readonly reason: string;

  constructor(dir: string, segment: number, offset: number, lastGoodOffset: number, reason: string, options?: ErrorOptions) {
    super("wal_corruption", `corruption in segment ${dir}/${segmentFileName(segment)} at ${offset}: ${reason}`, options);
    this.dir = dir;
    this.segment = segment;
    this.offset = offset;
    this.lastGoodOffset = lastGoodOffset;
    this.reason = reason;
  }
}

/**
 * A record is compressed with a codec Meridian cannot decode (zstd, written only by Prometheus 3.x
 * with `--storage.tsdb.wal-compression-type=zstd`). Not a corruption: repairing would destroy data.
 */
export class WalCompressionError extends WalError {
  /** Directory holding the segment. */
  readonly dir: string;
  /** Segment index. */
  readonly segment: number;
  /** Byte offset of the record's first fragment. */
  readonly offset: number;

  constructor(dir: string, segment: number, offset: number, codec: string) {
    super(
      "wal_compression_unsupported",
      `record in segment ${dir}/${segmentFileName(segment)} at ${offset} is ${codec}-compressed; ${codec} decoding is not supported`,
    );
    this.dir = dir;
    this.segment = segment;
    this.offset = offset;
  }
}

/** A WAL directory is not usable as a whole (gaps between segment numbers, bad checkpoint entries). */
export class WalLayoutError extends WalError {
  constructor(message: string, options?: ErrorOptions) {
    super("wal_layout", message, options);
  }
}

/** A write, sync or segment change failed, or the writer was used after `close` or a failed write. */
export class WalWriteError extends WalError {
  constructor(message: string, options?: ErrorOptions) {
    super("wal_write", message, options);
  }
}

/** A record's payload does not decode as its record type says. */
export class RecordDecodeError extends WalError {
  constructor(message: string, options?: ErrorOptions) {
    super("wal_record_decode", message, options);
  }
}

/** A value cannot be put into a record (a timestamp or ref that is not a safe integer). */
export class RecordEncodeError extends WalError {
  constructor(message: string) {
    super("wal_record_encode", message);
  }
}
