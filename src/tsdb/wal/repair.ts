import { open, readFile, rm } from "node:fs/promises";
import type { Logger } from "../../runtime/index.js";
import { WalLayoutError, type WalCorruptionError } from "./errors.js";
import { FRAGMENT_HEADER_SIZE, PAGE_SIZE } from "./layout.js";
import { SegmentDecoder, type WalRecord } from "./segment-decoder.js";
import { listSegments } from "./segments.js";

/** A segment that a repair deleted because it came after the damaged one. */
export interface DroppedSegment {
  readonly index: number;
  readonly bytes: number;
  /** Complete records it held that were still readable. */
  readonly records: number;
}

/** What a repair did; every byte and record it dropped is counted here and logged. */
export interface RepairReport {
  /** `torn-tail`: the damage is in the last segment; `mid-log`: later segments had to be deleted. */
  readonly kind: "torn-tail" | "mid-log";
  readonly dir: string;
  /** The damaged segment. */
  readonly segment: number;
  /** Where the damage was found. */
  readonly offset: number;
  /** What was wrong. */
  readonly reason: string;
  /** The damaged segment's new length before page padding: the end of its last good record. */
  readonly truncatedAt: number;
  /** Bytes dropped: the damaged segment's tail plus every deleted segment. */
  readonly bytesLost: number;
  /**
   * Records dropped, a lower bound: the damaged record, the complete records still readable after
   * it in the damaged segment, and those of the deleted segments.
   */
  readonly recordsLost: number;
  readonly deletedSegments: readonly DroppedSegment[];
}

/** Options of `repairWal`. */
export interface RepairOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/**
 * Repairs a log after `err`, as Prometheus's `Repair` does: records before the damage are kept,
 * everything after it is dropped, because later records may depend on lost ones (a samples record
 * on the series record it refers to). The damaged segment is cut at its last good record and
 * zero-padded to a page boundary; segments after it are deleted. Nothing is dropped silently: each
 * step is logged and the returned report counts it. The next `WalWriter.open` starts a fresh segment.
 */
export async function repairWal(err: WalCorruptionError, options: RepairOptions): Promise<RepairReport> {
  const { logger, signal } = options;
  const segments = await listSegments(err.dir);
  const damaged = segments.find((s) => s.index === err.segment);
  if (damaged === undefined) throw new WalLayoutError(`cannot repair ${err.dir}: segment ${err.segment} does not exist`);
  const later = segments.filter((s) => s.index > err.segment);
  const kind = later.length === 0 ? "torn-tail" : "mid-log";
  const log = kind === "torn-tail" ? logger.warn.bind(logger) : logger.error.bind(logger);
  log(
    { dir: err.dir, segment: err.segment, offset: err.offset, reason: err.reason, laterSegments: later.map((s) => s.index) },
    kind === "torn-tail" ? "wal tail is torn; truncating at the last good record" : "wal corrupted before its last segment; dropping all data after the corruption",
  );

  const deleted: DroppedSegment[] = [];
  for (const seg of later) {
    signal?.throwIfAborted();
    const bytes = await readFile(seg.path);
    const records = countReadable(bytes, seg.dir, seg.index, 0);
    logger.error({ dir: seg.dir, segment: seg.index, bytes: bytes.length, records }, "wal repair deletes segment after the corruption");
    await rm(seg.path);
    deleted.push({ index: seg.index, bytes: bytes.length, records });
  }

  signal?.throwIfAborted();
  const content = await readFile(damaged.path);
  const cut = Math.min(err.lastGoodOffset, content.length);
  // The damaged record itself, plus the complete records still readable after the damaged fragment.
  const tailRecords = (content.length > cut ? 1 : 0) + countReadable(content, damaged.dir, damaged.index, resumeOffset(content, err.offset));
  const fh = await open(damaged.path, "r+");
  try {
    await fh.truncate(cut);
    const pad = (PAGE_SIZE - (cut % PAGE_SIZE)) % PAGE_SIZE;
    if (pad > 0) await fh.write(new Uint8Array(pad), 0, pad, cut);
    await fh.sync();
  } finally {
    await fh.close();
  }
  const tailBytes = content.length - cut;
  log(
    { dir: err.dir, segment: err.segment, truncatedAt: cut, bytesLost: tailBytes, recordsLost: tailRecords },
    "wal repair truncated damaged segment",
  );
  const report: RepairReport = {
    kind,
    dir: err.dir,
    segment: err.segment,
    offset: err.offset,
    reason: err.reason,
    truncatedAt: cut,
    bytesLost: tailBytes + deleted.reduce((n, d) => n + d.bytes, 0),
    recordsLost: tailRecords + deleted.reduce((n, d) => n + d.records, 0),
    deletedSegments: deleted,
  };
  log({ ...report, deletedSegments: deleted.map((d) => d.index) }, "wal repair done");
  return report;
}

/**
 * Where counting resumes after damage at `offset`: just past the damaged fragment when its header
 * still describes a fragment inside the page (a flipped data byte), else the next page.
 */
function resumeOffset(bytes: Uint8Array, offset: number): number {
  const nextPage = (Math.floor(offset / PAGE_SIZE) + 1) * PAGE_SIZE;
  if (offset + FRAGMENT_HEADER_SIZE > bytes.length || bytes[offset] === 0) return nextPage;
  const end = offset + FRAGMENT_HEADER_SIZE + (((bytes[offset + 1] as number) << 8) | (bytes[offset + 2] as number));
  return end <= nextPage ? end : nextPage;
}

/** Counts the complete records readable in `bytes` from `from` on, skipping damaged pages. */
function countReadable(bytes: Uint8Array, dir: string, segment: number, from: number): number {
  let count = 0;
  let decoder = new SegmentDecoder(dir, segment);
  const out: WalRecord[] = [];
  for (let page = Math.floor(from / PAGE_SIZE) * PAGE_SIZE; page < bytes.length; page += PAGE_SIZE) {
    try {
      const skip = page < from ? from - page : 0;
      decoder.decode(bytes.subarray(page, Math.min(bytes.length, page + PAGE_SIZE)), page, out, skip);
    } catch {
      decoder = new SegmentDecoder(dir, segment);
    }
    count += out.length;
    out.length = 0;
  }
  return count;
}
