import { copyFile, link, mkdir, readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { decodeTombstones } from "../tombstones/index.js";

/**
 * Puts the files of the block in `blockDir` under `dest` (which must not exist yet), hard-linked
 * as Prometheus's `Block.Snapshot` does: blocks are immutable apart from their tombstones file,
 * which is only ever replaced by rename, so a link never sees a later change. Falls back to a
 * copy when `dest` is on another filesystem.
 */
export async function linkBlock(blockDir: string, dest: string, signal?: AbortSignal): Promise<void> {
  await mkdir(dest);
  for (const e of await readdir(blockDir, { withFileTypes: true })) {
    signal?.throwIfAborted();
    const from = join(blockDir, e.name);
    const to = join(dest, e.name);
    if (e.isDirectory()) await linkBlock(from, to, signal);
    else await linkOrCopy(from, to);
  }
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
    await copyFile(from, to);
  }
}

/** How many series the block in `dir` has tombstones for; 0 when its tombstones file is missing. */
export async function tombstonedSeries(dir: string, signal?: AbortSignal): Promise<number> {
  const path = join(dir, "tombstones");
  try {
    return decodeTombstones(await readFile(path, signal ? { signal } : {}), path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw err;
  }
}
