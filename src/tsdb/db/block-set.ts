import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../runtime/index.js";
import { BlockReader } from "../block/index.js";
import type { BlockMeta } from "../meta/index.js";
import { dirBytes } from "./dir-bytes.js";

/** One open block of a data directory. */
export interface OpenBlock {
  readonly meta: BlockMeta;
  readonly dir: string;
  /** Bytes on disk, all files included. */
  readonly bytes: number;
  readonly reader: BlockReader;
}

interface Entry extends OpenBlock {
  refs: number;
  dropped: boolean;
}

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const TMP_SUFFIXES = [".tmp-for-creation", ".tmp-for-deletion"];

/**
 * The blocks of a data directory, sorted by minTime. Queriers pin the blocks they read; a block
 * dropped by retention or compaction is removed from disk at once (its open files stay readable on
 * POSIX) but its reader is closed only when the last querier using it lets go.
 */
export class BlockSet {
  readonly #logger: Logger;
  #entries: Entry[] = [];

  private constructor(logger: Logger) {
    this.#logger = logger;
  }

  /**
   * Opens every block of `dir`. Leftovers of interrupted writes and deletions are removed, and so
   * are blocks that a newer compacted block names as parents (a compaction that crashed before
   * deleting its inputs), as Prometheus does at startup.
   */
  static async open(dir: string, logger: Logger, signal?: AbortSignal): Promise<BlockSet> {
    const set = new BlockSet(logger);
    const names = await readdir(dir, { withFileTypes: true });
    for (const e of names) {
      if (e.isDirectory() && TMP_SUFFIXES.some((s) => e.name.endsWith(s))) {
        logger.info({ dir: join(dir, e.name) }, "removing leftover temporary block directory");
        await rm(join(dir, e.name), { recursive: true, force: true });
      }
    }
    const opened: OpenBlock[] = [];
    for (const e of names) {
      if (!e.isDirectory() || !ULID.test(e.name)) continue;
      signal?.throwIfAborted();
      opened.push(await openBlock(join(dir, e.name), signal));
    }
    const parents = new Set(opened.flatMap((b) => (b.meta.compaction.parents ?? []).map((p) => p.ulid)));
    for (const b of opened) {
      if (parents.has(b.meta.ulid)) {
        logger.info({ block: b.meta.ulid }, "removing block already compacted into a newer one");
        await b.reader.close();
        await rm(b.dir, { recursive: true, force: true });
      } else set.#entries.push({ ...b, refs: 0, dropped: false });
    }
    set.#sort();
    return set;
  }

  /** The live blocks, oldest first. */
  list(): readonly OpenBlock[] {
    return this.#entries;
  }

  /** End (exclusive, ms) of the newest block, -Infinity when there is none. */
  maxTime(): number {
    return this.#entries.reduce((m, b) => Math.max(m, b.meta.maxTime), -Infinity);
  }

  /** Total bytes of the live blocks. */
  bytes(): number {
    return this.#entries.reduce((n, b) => n + b.bytes, 0);
  }

  /** Adds a block just written in `dir`. */
  async add(blockDir: string, signal?: AbortSignal): Promise<OpenBlock> {
    const b = await openBlock(blockDir, signal);
    this.#entries.push({ ...b, refs: 0, dropped: false });
    this.#sort();
    return b;
  }

  /** Reopens a block whose files changed (new tombstones); queriers already open keep the old reader. */
  async reload(block: OpenBlock, signal?: AbortSignal): Promise<void> {
    const i = this.#entries.findIndex((b) => b.meta.ulid === block.meta.ulid);
    const old = this.#entries[i];
    if (old === undefined) return;
    const fresh = await openBlock(old.dir, signal);
    this.#entries[i] = { ...fresh, refs: 0, dropped: false };
    // The old reader is retired like a dropped block, minus the deletion from disk.
    old.dropped = true;
    if (old.refs === 0) await old.reader.close();
  }

  /** Pins the blocks overlapping [mint, maxt] (ms, inclusive); call the returned function to unpin. */
  acquire(mint: number, maxt: number): { blocks: readonly OpenBlock[]; release: () => Promise<void> } {
    const picked = this.#entries.filter((b) => b.meta.maxTime > mint && b.meta.minTime <= maxt);
    for (const b of picked) b.refs++;
    let released = false;
    return {
      blocks: picked,
      release: async () => {
        if (released) return;
        released = true;
        for (const b of picked) {
          b.refs--;
          if (b.dropped && b.refs === 0) await b.reader.close();
        }
      },
    };
  }

  /**
   * Removes blocks from the set and from disk: renamed out of the way first so a crash never
   * leaves a half-deleted block under its name.
   */
  async drop(blocks: readonly OpenBlock[], reason: string): Promise<void> {
    const gone = new Set(blocks.map((b) => b.meta.ulid));
    const dropped = this.#entries.filter((b) => gone.has(b.meta.ulid));
    this.#entries = this.#entries.filter((b) => !gone.has(b.meta.ulid));
    for (const b of dropped) {
      b.dropped = true;
      this.#logger.info({ block: b.meta.ulid, minTime: b.meta.minTime, maxTime: b.meta.maxTime, reason }, "deleting block");
      const tmp = b.dir + ".tmp-for-deletion";
      await rename(b.dir, tmp);
      await rm(tmp, { recursive: true, force: true });
      if (b.refs === 0) await b.reader.close();
    }
  }

  /** Closes every reader. */
  async close(): Promise<void> {
    await Promise.all(this.#entries.map((b) => b.reader.close()));
    this.#entries = [];
  }

  #sort(): void {
    this.#entries.sort((a, b) => a.meta.minTime - b.meta.minTime || a.meta.maxTime - b.meta.maxTime);
  }
}

async function openBlock(dir: string, signal?: AbortSignal): Promise<OpenBlock> {
  const reader = await BlockReader.open(dir, signal ? { signal } : {});
  return { meta: reader.meta, dir, bytes: await dirBytes(dir, signal), reader };
}
