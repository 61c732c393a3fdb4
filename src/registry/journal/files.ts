import { open, readdir, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

// File naming and the few durable-I/O steps the journal is built from. Names carry zero-padded
// indexes so a plain sort orders them, and so they stay readable in `ls`.

const SEGMENT_RE = /^journal-(\d{20})\.log$/;
const SNAPSHOT_RE = /^snapshot-(\d{20})\.snap$/;
const TEMP_SUFFIX = ".tmp";

/** One journal file found in the directory, with the index its name carries. */
export interface IndexedFile {
  /** File name without directory. */
  readonly name: string;
  /** First record index of a segment, or the last index covered by a snapshot. */
  readonly index: number;
}

/** What a journal directory holds, each list sorted by ascending index. */
export interface DirListing {
  /** Segment files. */
  readonly segments: IndexedFile[];
  /** Complete (renamed) snapshot files. */
  readonly snapshots: IndexedFile[];
  /** Temporary files left by a snapshot write that never reached its rename. */
  readonly temps: string[];
}

/** File name of the segment whose first record has index `firstIndex`. */
export function segmentName(firstIndex: number): string {
  return `journal-${String(firstIndex).padStart(20, "0")}.log`;
}

/** File name of the snapshot covering records up to and including `index`. */
export function snapshotName(index: number): string {
  return `snapshot-${String(index).padStart(20, "0")}.snap`;
}

/** Lists and classifies the journal files in `dir`; other files are left alone and not reported. */
export async function listDir(dir: string): Promise<DirListing> {
  const segments: IndexedFile[] = [];
  const snapshots: IndexedFile[] = [];
  const temps: string[] = [];
  for (const name of await readdir(dir)) {
    const seg = SEGMENT_RE.exec(name);
    const snap = SNAPSHOT_RE.exec(name);
    if (seg?.[1] !== undefined) segments.push({ name, index: parseIndex(seg[1]) });
    else if (snap?.[1] !== undefined) snapshots.push({ name, index: parseIndex(snap[1]) });
    else if (name.endsWith(TEMP_SUFFIX) && SNAPSHOT_RE.test(name.slice(0, -TEMP_SUFFIX.length))) temps.push(name);
  }
  const byIndex = (a: IndexedFile, b: IndexedFile) => a.index - b.index;
  return { segments: segments.sort(byIndex), snapshots: snapshots.sort(byIndex), temps };
}

function parseIndex(digits: string): number {
  const n = Number(digits);
  // Indexes beyond 2^53 cannot be told apart as numbers; no real journal gets there.
  if (!Number.isSafeInteger(n)) throw new RangeError(`journal index ${digits} is beyond 2^53`);
  return n;
}

/** Flushes a directory's entries, so a create, rename or unlink inside it survives power loss. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `bytes` to `dir/name` so that a crash leaves either the old state or the complete new
 * file: write a temporary file, flush it, rename it over the name, flush the directory.
 */
export async function writeFileAtomic(dir: string, name: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
  const temp = join(dir, name + TEMP_SUFFIX);
  const handle = await open(temp, "w");
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // The last point where giving up leaves nothing behind but a temporary file.
    signal?.throwIfAborted();
    await rename(temp, join(dir, name));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/** Writes every byte of `bytes` at the handle's current position, looping over short writes. */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
    done += bytesWritten;
  }
}

/** Removes the named files from `dir` (missing ones are fine) and flushes the directory once. */
export async function removeFiles(dir: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  for (const name of names) await rm(join(dir, name), { force: true });
  await syncDir(dir);
}
