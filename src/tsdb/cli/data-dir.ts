import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseBlockMeta, type BlockMeta } from "../meta/index.js";
import { TsdbToolError } from "./errors.js";
import { goPathError } from "./go-format.js";

/** A block found in a data directory. */
export interface BlockEntry {
  /** The block's directory. */
  readonly dir: string;
  readonly meta: BlockMeta;
  /** Bytes on disk of meta.json, index, chunk segments and tombstones, as Prometheus counts a block's size. */
  readonly size: number;
}

// Prometheus takes a directory for a block when its name parses as a ULID.
const ULID_NAME = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;

/**
 * The blocks of TSDB data directory `dataDir`, ordered by their minimum time, as Prometheus's
 * read-only DB lists them. Only meta.json is read; a block whose meta.json cannot be read is
 * skipped, as Prometheus skips it. The head (WAL) is not looked at. Errors are worded as promtool's.
 */
export async function findBlocks(dataDir: string, signal?: AbortSignal): Promise<BlockEntry[]> {
  try {
    await stat(dataDir);
  } catch (err) {
    throw new TsdbToolError(`opening the db dir: ${goPathError("stat", dataDir, err)}`, { cause: err });
  }
  let names: string[];
  try {
    names = (await readdir(dataDir, { withFileTypes: true })).filter((e) => e.isDirectory() && ULID_NAME.test(e.name)).map((e) => e.name);
  } catch (err) {
    throw new TsdbToolError(`find blocks: ${goPathError("readdirent", dataDir, err)}`, { cause: err });
  }
  const blocks: BlockEntry[] = [];
  for (const name of names.sort()) {
    signal?.throwIfAborted();
    const dir = join(dataDir, name);
    let meta: BlockMeta;
    try {
      meta = parseBlockMeta(await readFile(join(dir, "meta.json"), "utf8"), join(name, "meta.json"));
    } catch {
      continue;
    }
    blocks.push({ dir, meta, size: await blockSize(dir) });
  }
  return blocks.sort((a, b) => a.meta.minTime - b.meta.minTime);
}

/** Bytes of a block's files (meta.json, index, chunk segments, tombstones); missing files count 0. */
export async function blockSize(dir: string): Promise<number> {
  const sizeOf = async (path: string) => {
    try {
      return (await stat(path)).size;
    } catch {
      return 0;
    }
  };
  let total = (await sizeOf(join(dir, "meta.json"))) + (await sizeOf(join(dir, "index"))) + (await sizeOf(join(dir, "tombstones")));
  let segments: string[] = [];
  try {
    segments = (await readdir(join(dir, "chunks"))).filter((n) => /^\d{6}$/.test(n));
  } catch {
    // A block without a chunks directory has no chunk bytes; opening it reports the damage.
  }
  for (const s of segments) total += await sizeOf(join(dir, "chunks", s));
  return total;
}
