import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Querier } from "../../storage/index.js";
import { ChunkReader } from "../chunks/index.js";
import { TsdbCorruptionError } from "../errors.js";
import { localized, openLocalBlockFile, type BlockFile, type SyncBlockFile } from "../files/index.js";
import { IndexReader } from "../index/index.js";
import { parseBlockMeta, type BlockMeta } from "../meta/index.js";
import { decodeTombstones, type Tombstones } from "../tombstones/index.js";
import { BlockQuerier } from "./block-querier.js";

/** A block's files, from any store. `chunks` are the segment files in name order. */
export interface BlockFiles {
  readonly meta: BlockFile;
  readonly index: BlockFile;
  readonly chunks: readonly BlockFile[];
  /** A missing tombstones file means no deletions. */
  readonly tombstones?: BlockFile;
}

/** Options of BlockReader.open. */
export interface BlockReaderOptions {
  readonly signal?: AbortSignal;
}

/**
 * An open, immutable block. The index is held in memory; chunks are read per query, straight from
 * local files or, for files without synchronous reads (remote), from copies fetched at open.
 */
export class BlockReader {
  /** The block's meta.json. */
  readonly meta: BlockMeta;
  readonly #index: IndexReader;
  readonly #chunks: ChunkReader;
  readonly #segments: readonly SyncBlockFile[];
  readonly #tombstones: Tombstones;

  private constructor(meta: BlockMeta, index: IndexReader, segments: readonly SyncBlockFile[], tombstones: Tombstones) {
    this.meta = meta;
    this.#index = index;
    this.#segments = segments;
    this.#chunks = ChunkReader.open(segments);
    this.#tombstones = tombstones;
  }

  /** Opens the block in directory `source`, or from the given files (which it then owns). */
  static async open(source: string | BlockFiles, options: BlockReaderOptions = {}): Promise<BlockReader> {
    const { signal } = options;
    const files = typeof source === "string" ? await openDir(source, signal) : source;
    try {
      const metaBytes = await files.meta.read(0, files.meta.size, signal);
      const meta = parseBlockMeta(Buffer.from(metaBytes).toString("utf8"), files.meta.name);
      const index = IndexReader.open(await files.index.read(0, files.index.size, signal), files.index.name);
      const tombstones =
        files.tombstones === undefined ? new Map() : decodeTombstones(await files.tombstones.read(0, files.tombstones.size, signal), files.tombstones.name);
      const segments: SyncBlockFile[] = [];
      for (const f of files.chunks) segments.push(await localized(f, signal));
      await Promise.all([files.meta.close(), files.index.close(), files.tombstones?.close()]);
      return new BlockReader(meta, index, segments, tombstones);
    } catch (err) {
      await Promise.allSettled([files.meta, files.index, ...files.chunks, ...(files.tombstones ? [files.tombstones] : [])].map((f) => f.close()));
      throw err;
    }
  }

  /** A querier over [mint, maxt] (ms, inclusive); valid until the reader is closed. */
  querier(mint: number, maxt: number): Querier {
    return new BlockQuerier({ index: this.#index, chunks: this.#chunks, tombstones: this.#tombstones }, mint, maxt);
  }

  /** Closes the chunk files. */
  async close(): Promise<void> {
    await Promise.all(this.#segments.map((s) => s.close()));
  }
}

async function openDir(dir: string, signal?: AbortSignal): Promise<BlockFiles> {
  const opened: BlockFile[] = [];
  const openOne = async (rel: string) => {
    const f = await openLocalBlockFile(join(dir, rel), rel, signal);
    opened.push(f);
    return f;
  };
  try {
    const meta = await openOne("meta.json");
    const index = await openOne("index");
    let names: string[];
    try {
      names = (await readdir(join(dir, "chunks"))).filter((n) => /^\d{6}$/.test(n)).sort();
    } catch (err) {
      throw new TsdbCorruptionError(dir, "block has no chunks directory", { cause: err });
    }
    const chunks: BlockFile[] = [];
    for (const n of names) chunks.push(await openOne(`chunks/${n}`));
    let tombstones: BlockFile | undefined;
    try {
      tombstones = await openOne("tombstones");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    return { meta, index, chunks, ...(tombstones === undefined ? {} : { tombstones }) };
  } catch (err) {
    await Promise.allSettled(opened.map((f) => f.close()));
    throw err;
  }
}
