import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { WalLayoutError } from "./errors.js";
import { CHECKPOINT_PREFIX, CHECKPOINT_TMP_SUFFIX } from "./layout.js";

/** One segment file of a log directory. */
export interface SegmentRef {
  /** Directory holding the segment. */
  readonly dir: string;
  /** The segment number, from its file name. */
  readonly index: number;
  /** Full path of the file. */
  readonly path: string;
}

/** One finished checkpoint directory inside a WAL directory. */
export interface CheckpointRef {
  /** Full path of the checkpoint directory. */
  readonly path: string;
  /** Last WAL segment the checkpoint covers. */
  readonly index: number;
}

const DIGITS = /^\d+$/;

/**
 * The segments of `dir` in ascending order. Like Prometheus, any entry whose name is a number is a
 * segment and other entries are ignored; numbers must be consecutive, because a gap means lost data.
 */
export async function listSegments(dir: string): Promise<SegmentRef[]> {
  const refs: SegmentRef[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!DIGITS.test(entry.name) || !entry.isFile()) continue;
    refs.push({ dir, index: Number.parseInt(entry.name, 10), path: join(dir, entry.name) });
  }
  refs.sort((a, b) => a.index - b.index);
  for (let i = 1; i < refs.length; i++) {
    const prev = refs[i - 1] as SegmentRef;
    const cur = refs[i] as SegmentRef;
    if (cur.index !== prev.index + 1) {
      throw new WalLayoutError(`segments in ${dir} are not sequential: ${prev.index} is followed by ${cur.index}`);
    }
  }
  return refs;
}

/** Finished checkpoints of a WAL directory, oldest first; `.tmp` leftovers are not included. */
export async function listCheckpoints(dir: string): Promise<CheckpointRef[]> {
  const refs: CheckpointRef[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.name.startsWith(CHECKPOINT_PREFIX) || entry.name.endsWith(CHECKPOINT_TMP_SUFFIX)) continue;
    const suffix = entry.name.slice(CHECKPOINT_PREFIX.length);
    if (!DIGITS.test(suffix)) continue;
    if (!entry.isDirectory()) throw new WalLayoutError(`checkpoint ${join(dir, entry.name)} is not a directory`);
    refs.push({ path: join(dir, entry.name), index: Number.parseInt(suffix, 10) });
  }
  return refs.sort((a, b) => a.index - b.index);
}
