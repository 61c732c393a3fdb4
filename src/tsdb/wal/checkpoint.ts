import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Clock, Logger } from "../../runtime/index.js";
import { WalLayoutError } from "./errors.js";
import { CHECKPOINT_PREFIX, CHECKPOINT_TMP_SUFFIX, checkpointDirName } from "./layout.js";
import { WalReader, type SegmentRange } from "./reader.js";
import { decodeRecord, encodeSamples, encodeSeries, encodeTombstones } from "./records.js";
import { listCheckpoints, listSegments } from "./segments.js";
import { WalWriter } from "./writer.js";

/** Options of `checkpoint`. */
export interface CheckpointOptions {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
}

/** What a checkpoint kept, dropped and deleted. */
export interface CheckpointStats {
  /** The checkpoint written, `checkpoint.<to>`. */
  readonly index: number;
  readonly totalSeries: number;
  readonly droppedSeries: number;
  readonly totalSamples: number;
  readonly droppedSamples: number;
  readonly totalTombstones: number;
  readonly droppedTombstones: number;
  /**
   * Records of types Meridian does not decode (exemplars, metadata, histograms, future types),
   * all dropped. Prometheus keeps exemplars, metadata and histograms; see FORMAT.md.
   */
  readonly droppedOtherRecords: number;
  /** WAL segments deleted after the checkpoint was in place (all segments up to `to`). */
  readonly deletedSegments: readonly number[];
  /** Older checkpoints deleted. */
  readonly deletedCheckpoints: readonly number[];
}

/** Records are handed to the checkpoint writer in groups of about this many bytes. */
const FLUSH_BYTES = 1024 * 1024;

/**
 * Compacts WAL segments `from..to` (inclusive), together with the newest existing checkpoint, into
 * `checkpoint.<to>`: series for which `keep(ref)` holds, samples at or after `mint` (ms), and
 * tombstones whose interval ends at or after `mint`. It is written as `checkpoint.<to>.tmp`, synced
 * and renamed, so a crash leaves either the old state or the new one. Only then are segments
 * `<= to` and checkpoints older than `to` deleted, as Prometheus's head truncation does. Damage in
 * the input is thrown (never repaired here): a checkpoint must not silently lose series.
 */
export async function checkpoint(
  dir: string,
  from: number,
  to: number,
  keep: (seriesRef: number) => boolean,
  mint: number,
  options: CheckpointOptions,
): Promise<CheckpointStats> {
  const { logger, signal } = options;
  logger.info({ dir, from, to, mint }, "creating wal checkpoint");
  const ranges: SegmentRange[] = [];
  const previous = (await listCheckpoints(dir)).at(-1);
  if (previous !== undefined) {
    if (from > previous.index + 1) {
      throw new WalLayoutError(`unexpected gap to last checkpoint in ${dir}: expected segment ${previous.index + 1}, requested ${from}`);
    }
    // Segments the previous checkpoint already covers are not read again.
    from = previous.index + 1;
    ranges.push({ dir: previous.path });
  }
  ranges.push({ dir, first: from, last: to });
  const reader = await WalReader.open(ranges);

  await removeTempCheckpoints(dir);
  const finalDir = join(dir, checkpointDirName(to));
  const tmpDir = finalDir + CHECKPOINT_TMP_SUFFIX;
  await mkdir(tmpDir, { recursive: true });
  const counts = {
    totalSeries: 0,
    droppedSeries: 0,
    totalSamples: 0,
    droppedSamples: 0,
    totalTombstones: 0,
    droppedTombstones: 0,
    droppedOtherRecords: 0,
  };
  const writer = await WalWriter.open({ dir: tmpDir, logger, clock: options.clock, fsync: "never" });
  try {
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    for await (const rec of reader.records(signal)) {
      const decoded = decodeRecord(rec.data);
      let out: Uint8Array | undefined;
      switch (decoded.type) {
        case "series": {
          const kept = decoded.series.filter((s) => keep(s.ref));
          counts.totalSeries += decoded.series.length;
          counts.droppedSeries += decoded.series.length - kept.length;
          if (kept.length > 0) out = encodeSeries(kept);
          break;
        }
        case "samples": {
          const { refs, timestamps, values } = decoded.samples;
          const idx: number[] = [];
          for (let i = 0; i < timestamps.length; i++) if ((timestamps[i] as number) >= mint) idx.push(i);
          counts.totalSamples += timestamps.length;
          counts.droppedSamples += timestamps.length - idx.length;
          if (idx.length === timestamps.length && idx.length > 0) out = rec.data;
          else if (idx.length > 0) {
            const pick = (col: Float64Array): Float64Array => Float64Array.from(idx, (i) => col[i] as number);
            // Values are copied with `set` over one-element views so NaN payloads keep their bits.
            const kept = new Float64Array(idx.length);
            idx.forEach((i, k) => kept.set(values.subarray(i, i + 1), k));
            out = encodeSamples({ refs: pick(refs), timestamps: pick(timestamps), values: kept });
          }
          break;
        }
        case "tombstones": {
          const kept = decoded.tombstones.filter((t) => t.maxt >= mint);
          counts.totalTombstones += decoded.tombstones.length;
          counts.droppedTombstones += decoded.tombstones.length - kept.length;
          if (kept.length > 0) out = encodeTombstones(kept);
          break;
        }
        case "other":
          counts.droppedOtherRecords++;
          break;
      }
      if (out === undefined) continue;
      batch.push(out);
      batchBytes += out.length;
      if (batchBytes >= FLUSH_BYTES) {
        await writer.log(batch, signal);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length > 0) await writer.log(batch, signal);
    await writer.close();
    await syncDir(tmpDir);
    await rm(finalDir, { recursive: true, force: true });
    await rename(tmpDir, finalDir);
    await syncDir(dirname(finalDir));
  } catch (err) {
    await writer.close().catch(() => undefined);
    await rm(tmpDir, { recursive: true, force: true });
    throw err;
  }

  const deletedSegments: number[] = [];
  for (const seg of await listSegments(dir)) {
    if (seg.index > to) break;
    await rm(seg.path);
    deletedSegments.push(seg.index);
  }
  const deletedCheckpoints: number[] = [];
  for (const cp of await listCheckpoints(dir)) {
    if (cp.index >= to) break;
    await rm(cp.path, { recursive: true, force: true });
    deletedCheckpoints.push(cp.index);
  }
  const stats: CheckpointStats = { index: to, ...counts, deletedSegments, deletedCheckpoints };
  logger.info({ dir, ...stats, deletedSegments: deletedSegments.length }, "wal checkpoint done");
  return stats;
}

async function removeTempCheckpoints(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith(CHECKPOINT_PREFIX) && name.endsWith(CHECKPOINT_TMP_SUFFIX)) {
      await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}

async function syncDir(path: string): Promise<void> {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
