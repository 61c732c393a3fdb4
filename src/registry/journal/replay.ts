import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { JournalCodec } from "./codec.js";
import { JournalCorruptError } from "./errors.js";
import { listDir, type IndexedFile } from "./files.js";
import { decodeSnapshotFile } from "./snapshot-format.js";
import { FRAME_HEADER_BYTES, SEGMENT_HEADER_BYTES, scanSegment } from "./segment-format.js";

// Read-only half of opening a journal: decide what the directory means and what must be repaired.
// Nothing here writes, so a failed open leaves the directory exactly as the crash left it.

/** How the newest segment must be repaired before appending to it. */
export type SegmentRepair =
  | { readonly kind: "none" }
  | { readonly kind: "truncate"; readonly toBytes: number }
  | { readonly kind: "rewrite-header" };

/** Counters that replay adds to. */
export interface ReplayCounters {
  tornTails: number;
  truncatedBytes: number;
  corruptSnapshots: number;
}

/** What a journal directory holds once read and checked. */
export interface ReplayResult<S, R> {
  /** State of the newest usable snapshot, if any. */
  readonly snapshot: S | undefined;
  /** Last index the snapshot covers; undefined without a snapshot. */
  readonly snapshotIndex: number | undefined;
  /** Records after the snapshot, in index order. */
  readonly records: R[];
  /** Index of the last record replayed (or the snapshot's index); 0 for an empty journal. */
  readonly lastIndex: number;
  /** The newest segment and its repair; undefined when the directory holds no journal yet. */
  readonly active: { readonly name: string; readonly firstIndex: number; readonly repair: SegmentRepair } | undefined;
  /** Files that hold nothing the chosen snapshot does not already cover, safe to delete. */
  readonly obsolete: string[];
}

/**
 * Reads the newest valid snapshot and every later segment; a damaged tail of the newest segment
 * becomes a repair, any other damage or a gap in the index sequence a `JournalCorruptError`.
 */
export async function replay<S, R>(
  dir: string,
  codec: JournalCodec<S, R>,
  options: { logger: Logger; maxRecordBytes: number; counters: ReplayCounters; signal: AbortSignal | undefined },
): Promise<ReplayResult<S, R>> {
  const { logger, counters, signal } = options;
  const listing = await listDir(dir);
  const { segments, snapshots } = listing;
  const path = (f: IndexedFile) => join(dir, f.name);

  if (segments.length === 0) {
    if (snapshots.length > 0) {
      throw new JournalCorruptError(dir, `snapshot ${snapshots.at(-1)?.name} exists but no segment does; the newest segment was lost`);
    }
    return { snapshot: undefined, snapshotIndex: undefined, records: [], lastIndex: 0, active: undefined, obsolete: listing.temps };
  }

  // Newest snapshot whose checksum holds; older ones are only a fallback if the log still reaches back.
  let chosen: { file: IndexedFile; payload: Uint8Array } | undefined;
  const damaged: string[] = [];
  for (const file of [...snapshots].reverse()) {
    const check = decodeSnapshotFile(await readFile(path(file), { signal }), file.index);
    if (check.ok) {
      chosen = { file, payload: check.payload };
      break;
    }
    counters.corruptSnapshots++;
    damaged.push(file.name);
    logger.warn({ file: path(file), reason: check.reason }, "journal snapshot damaged, trying an older one");
  }
  const snapshotIndex = chosen?.file.index;
  const base = snapshotIndex ?? 0;
  const oldest = segments[0] as IndexedFile;
  if (oldest.index > base + 1) {
    const why = damaged.length > 0 ? `snapshot(s) ${damaged.join(", ")} that would cover them are damaged` : "no snapshot covers them";
    throw new JournalCorruptError(path(oldest), `records ${base + 1}..${oldest.index - 1} are missing: ${why}`);
  }

  // Segments wholly covered by the snapshot are leftovers of a crash before their deletion.
  let start = 0;
  segments.forEach((s, i) => {
    if (s.index <= base + 1) start = i;
  });
  const obsolete = [
    ...listing.temps,
    ...segments.slice(0, start).map((s) => s.name),
    ...snapshots.filter((s) => s.index < base).map((s) => s.name),
  ];

  const records: R[] = [];
  let next = (segments[start] as IndexedFile).index;
  let repair: SegmentRepair = { kind: "none" };
  for (let i = start; i < segments.length; i++) {
    const file = segments[i] as IndexedFile;
    const isLast = i === segments.length - 1;
    if (file.index !== next) {
      throw new JournalCorruptError(path(file), `segment starts at index ${file.index} but the previous one ends at ${next - 1}`);
    }
    const bytes = await readFile(path(file), { signal });
    const scan = scanSegment(bytes, file.index, options.maxRecordBytes);
    if (scan.headerProblem) {
      // The header is flushed before any record is written, so only a segment that never got past
      // its header can have a bad one because of a crash.
      if (!isLast || bytes.length > SEGMENT_HEADER_BYTES) {
        throw new JournalCorruptError(path(file), scan.headerProblem.reason, { offset: scan.headerProblem.offset });
      }
      counters.tornTails++;
      counters.truncatedBytes += bytes.length;
      logger.warn({ file: path(file), reason: scan.headerProblem.reason }, "journal segment header torn by a crash, rewriting it");
      repair = { kind: "rewrite-header" };
      continue;
    }
    scan.payloads.forEach((payload, j) => {
      const index = file.index + j;
      if (index <= base) return;
      try {
        records.push(codec.decodeRecord(payload));
      } catch (err) {
        const offset = payload.byteOffset - bytes.byteOffset - FRAME_HEADER_BYTES;
        throw new JournalCorruptError(path(file), `record ${index} passed its checksum but does not decode`, { offset, cause: err });
      }
    });
    if (scan.problem) {
      if (!isLast) throw new JournalCorruptError(path(file), scan.problem.reason, { offset: scan.problem.offset });
      // Only the newest segment is ever written, and everything acknowledged in it was flushed
      // before the acknowledgement, so bytes past the last valid frame were never acknowledged.
      const dropped = bytes.length - scan.validBytes;
      counters.tornTails++;
      counters.truncatedBytes += dropped;
      logger.warn(
        { file: path(file), offset: scan.problem.offset, reason: scan.problem.reason, droppedBytes: dropped, lastIndex: file.index + scan.payloads.length - 1 },
        "journal tail torn by a crash, truncating it",
      );
      repair = { kind: "truncate", toBytes: scan.validBytes };
    }
    next = file.index + scan.payloads.length;
  }

  const lastIndex = next - 1;
  if (lastIndex < base) {
    throw new JournalCorruptError(path((chosen as { file: IndexedFile }).file), `snapshot covers index ${base} but the log ends at ${lastIndex}`);
  }
  let snapshot: S | undefined;
  if (chosen) {
    try {
      snapshot = codec.decodeSnapshot(chosen.payload);
    } catch (err) {
      throw new JournalCorruptError(path(chosen.file), "snapshot passed its checksum but does not decode", { cause: err });
    }
  }
  const last = segments.at(-1) as IndexedFile;
  return { snapshot, snapshotIndex, records, lastIndex, active: { name: last.name, firstIndex: last.index, repair }, obsolete };
}
