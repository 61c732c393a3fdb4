import { open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Matcher } from "../../model/index.js";
import { IndexReader } from "../index/index.js";
import { addInterval, decodeTombstones, encodeTombstones, type Interval } from "../tombstones/index.js";

/**
 * Records the deletion of [mint, maxt] (ms, inclusive) for the series of the block in `dir` that
 * match `matchers` and have a chunk in that range, by rewriting its `tombstones` file (written
 * aside, synced, renamed), as Prometheus's `Block.Delete`. Returns how many series were touched;
 * 0 means the file was left alone. Readers opened earlier keep the tombstones they loaded.
 */
export async function deleteFromBlock(dir: string, matchers: readonly Matcher[], mint: number, maxt: number, signal?: AbortSignal): Promise<number> {
  const index = IndexReader.open(await readFile(join(dir, "index"), signal ? { signal } : {}), join(dir, "index"));
  const ids: number[] = [];
  for (const id of index.postingsForMatchers(matchers)) {
    if (index.series(id).chunks.some((c) => c.maxTime >= mint && c.minTime <= maxt)) ids.push(id);
  }
  if (ids.length === 0) return 0;
  let tombstones = new Map<number, Interval[]>();
  try {
    tombstones = decodeTombstones(await readFile(join(dir, "tombstones")), join(dir, "tombstones"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  for (const id of ids) tombstones.set(id, addInterval(tombstones.get(id) ?? [], { mint, maxt }));
  signal?.throwIfAborted();
  const tmp = join(dir, "tombstones.tmp");
  const f = await open(tmp, "w");
  try {
    await f.writeFile(encodeTombstones(tombstones));
    await f.sync();
  } finally {
    await f.close();
  }
  await rename(tmp, join(dir, "tombstones"));
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
  return ids.length;
}
