import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/**
 * Bytes of every file under `path`, as Prometheus's `fileutil.DirSize` counts them; 0 when `path`
 * is missing. An entry removed while it is being walked (a WAL segment a checkpoint just deleted)
 * counts 0 rather than failing the walk.
 */
export async function dirBytes(path: string, signal?: AbortSignal): Promise<number> {
  signal?.throwIfAborted();
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (err) {
    if (isGone(err)) return 0;
    throw err;
  }
  let total = 0;
  for (const e of entries) {
    const p = join(path, e.name);
    if (e.isDirectory()) total += await dirBytes(p, signal);
    else total += await stat(p).then((s) => s.size, (err: unknown) => (isGone(err) ? 0 : Promise.reject(err as Error)));
  }
  return total;
}

function isGone(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === "ENOENT";
}
