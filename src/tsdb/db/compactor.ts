import { mkdir, open, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { mergeSeriesSets, type SeriesSet } from "../../storage/index.js";
import { writeBlock } from "../block/index.js";
import { formatBlockMeta, type BlockMeta, type UlidSource } from "../meta/index.js";
import type { OpenBlock } from "./block-set.js";

/** Longest block level compaction makes, as Prometheus: 31 days. */
const MAX_BLOCK_DURATION_MS = 31 * 24 * 3_600_000;

/**
 * Level compaction's block ranges: the head's block range times 1, 3, 9, … up to the largest
 * duration allowed, a tenth of the time retention (when set) or 31 days, as Prometheus's
 * `ExponentialBlockRanges` bounded by `--storage.tsdb.max-block-duration`.
 */
export function compactionRanges(blockRangeMs: number, retentionMs?: number): number[] {
  const max = Math.min(MAX_BLOCK_DURATION_MS, retentionMs === undefined ? Infinity : retentionMs / 10);
  const out = [blockRangeMs];
  for (let r = blockRangeMs * 3; r <= max; r *= 3) out.push(r);
  return out;
}

/**
 * The blocks to merge next, or undefined; `blocks` sorted by minTime. As Prometheus's planner:
 * the newest block is left alone (it was just cut from the head), then for each range above the
 * first, blocks are grouped by the aligned window of that size that wholly holds them, and the
 * first group of two or more that fills its window, or lies before the newest block, is chosen.
 */
export function planCompaction<B extends { readonly meta: BlockMeta }>(blocks: readonly B[], ranges: readonly number[]): B[] | undefined {
  if (ranges.length < 2 || blocks.length < 2) return undefined;
  const candidates = blocks.slice(0, -1);
  const highTime = (candidates[candidates.length - 1] as B).meta.minTime;
  for (const range of ranges.slice(1)) {
    for (const group of splitByRange(candidates, range)) {
      const mint = (group[0] as B).meta.minTime;
      const maxt = (group[group.length - 1] as B).meta.maxTime;
      if (group.length > 1 && (maxt - mint === range || maxt <= highTime)) return group;
    }
  }
  return undefined;
}

function splitByRange<B extends { readonly meta: BlockMeta }>(blocks: readonly B[], range: number): B[][] {
  const groups: B[][] = [];
  for (let i = 0; i < blocks.length; ) {
    const b = blocks[i] as B;
    const t0 = Math.floor(b.meta.minTime / range) * range;
    if (b.meta.maxTime > t0 + range) {
      i++;
      continue;
    }
    const group: B[] = [];
    for (; i < blocks.length; i++) {
      const m = (blocks[i] as B).meta;
      if (m.minTime >= t0 + range) break;
      if (m.maxTime <= t0 + range) group.push(blocks[i] as B);
    }
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

/**
 * Merges `parents` into one block in `dir` and returns it, or undefined when nothing is left
 * (every sample deleted). Tombstoned samples are dropped on the way. The new block names its
 * parents, so after a crash between its creation and their deletion BlockSet.open removes them.
 */
export async function compactBlocks(dir: string, parents: readonly OpenBlock[], ulids: UlidSource, signal?: AbortSignal): Promise<string | undefined> {
  const mint = Math.min(...parents.map((b) => b.meta.minTime));
  const maxt = Math.max(...parents.map((b) => b.meta.maxTime));
  const queriers = parents.map((b) => b.reader.querier(mint, maxt - 1));
  try {
    return await writeStagedBlock(dir, mergeSeriesSets(queriers.map((q) => q.select([]))), ulids, signal, (meta) => ({
      ...meta,
      minTime: mint,
      maxTime: maxt,
      compaction: {
        level: Math.max(...parents.map((b) => b.meta.compaction.level)) + 1,
        sources: [...new Set(parents.flatMap((b) => b.meta.compaction.sources ?? [b.meta.ulid]))].sort(),
        parents: parents.map((b) => ({ ulid: b.meta.ulid, minTime: b.meta.minTime, maxTime: b.meta.maxTime })),
      },
    }));
  } finally {
    await Promise.all(queriers.map((q) => q.close()));
  }
}

/**
 * Writes `series` as a block in `dir` with writeBlock, rewriting its meta.json with `adjust`
 * before the block appears under its name: it is built in a staging directory (removed at the
 * next open if a crash leaves it) and renamed into place only when complete and synced.
 * Returns the block's directory, or undefined when there was no sample.
 */
export async function writeStagedBlock(
  dir: string,
  series: SeriesSet,
  ulids: UlidSource,
  signal: AbortSignal | undefined,
  adjust: (meta: BlockMeta) => BlockMeta,
): Promise<string | undefined> {
  const staging = join(dir, `staging-${ulids.next()}.tmp-for-creation`);
  await mkdir(staging, { recursive: true });
  try {
    const written = await writeBlock(staging, series, { ulids, ...(signal ? { signal } : {}) });
    if (written === undefined) return undefined;
    await writeDurable(join(written.dir, "meta.json.tmp"), formatBlockMeta(adjust(written.meta)));
    await rename(join(written.dir, "meta.json.tmp"), join(written.dir, "meta.json"));
    await syncDir(written.dir);
    const final = join(dir, written.meta.ulid);
    await rename(written.dir, final);
    await syncDir(dir);
    return final;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function writeDurable(path: string, text: string): Promise<void> {
  const f = await open(path, "w");
  try {
    await f.writeFile(text);
    await f.sync();
  } finally {
    await f.close();
  }
}

async function syncDir(path: string): Promise<void> {
  const d = await open(path, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * Rewrites `block` into a new block in `dir` without its deleted samples (Prometheus's
 * `Block.CleanTombstones`) and returns it, or undefined when nothing is left. The new block keeps
 * the old one's time range, level and sources and names it as its parent, so after a crash
 * between the rewrite and the old block's deletion BlockSet.open removes the old one.
 */
export async function rewriteBlock(dir: string, block: OpenBlock, ulids: UlidSource, signal?: AbortSignal): Promise<string | undefined> {
  const { minTime, maxTime, ulid, compaction } = block.meta;
  const q = block.reader.querier(minTime, maxTime - 1);
  try {
    return await writeStagedBlock(dir, q.select([]), ulids, signal, (meta) => ({
      ...meta,
      minTime,
      maxTime,
      compaction: {
        level: compaction.level,
        sources: compaction.sources ?? [ulid],
        parents: [{ ulid, minTime, maxTime }],
      },
    }));
  } finally {
    await q.close();
  }
}
