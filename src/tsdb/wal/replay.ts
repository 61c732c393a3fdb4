import type { Logger } from "../../runtime/index.js";
import { WalCorruptionError } from "./errors.js";
import { WalReader, type SegmentRange } from "./reader.js";
import { repairWal, type RepairReport } from "./repair.js";
import type { WalRecord } from "./segment-decoder.js";
import { listCheckpoints } from "./segments.js";

/** Options of `replayWal`. */
export interface ReplayOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

/** What a replay read, and the repair it made if the log was damaged. */
export interface ReplayResult {
  /** Index of the checkpoint replayed first, if there was one. */
  readonly checkpoint?: number;
  /** Records handed to the callback, checkpoint records included. */
  readonly records: number;
  /** Set when the log was damaged and repaired; the replay stopped at the damage. */
  readonly repair?: RepairReport;
}

/**
 * Replays a WAL directory the way Prometheus's head does at startup: the newest checkpoint's
 * records, then the records of the segments after it, in order. Damage in the WAL segments is
 * repaired with `repairWal` (reported in the result, never silent); damage inside the checkpoint
 * cannot be repaired (the head would not know which series were lost) and is thrown.
 */
export async function replayWal(
  dir: string,
  onRecord: (rec: WalRecord) => void | Promise<void>,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const { logger, signal } = options;
  const checkpoints = await listCheckpoints(dir);
  const newest = checkpoints[checkpoints.length - 1];
  let records = 0;
  if (newest !== undefined) {
    for await (const rec of (await WalReader.open(newest.path)).records(signal)) {
      await onRecord(rec);
      records++;
    }
  }
  const range: SegmentRange = newest === undefined ? { dir } : { dir, first: newest.index + 1 };
  try {
    for await (const rec of (await WalReader.open([range])).records(signal)) {
      await onRecord(rec);
      records++;
    }
  } catch (err) {
    if (!(err instanceof WalCorruptionError)) throw err;
    const repair = await repairWal(err, { logger, ...(signal ? { signal } : {}) });
    return { ...(newest ? { checkpoint: newest.index } : {}), records, repair };
  }
  logger.debug({ dir, checkpoint: newest?.index, records }, "wal replayed");
  return { ...(newest ? { checkpoint: newest.index } : {}), records };
}
