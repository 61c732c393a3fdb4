import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Series, SeriesSet } from "../../storage/index.js";
import { XorChunk, type XorAppender } from "../chunkenc/index.js";
import { ChunkWriter } from "../chunks/index.js";
import { TsdbWriteError } from "../errors.js";
import { encodeIndex, type ChunkMeta, type IndexSeries } from "../index/index.js";
import { formatBlockMeta, type BlockMeta, type UlidSource } from "../meta/index.js";
import { encodeTombstones } from "../tombstones/index.js";
import { syncDir, writeFileDurable } from "./durable.js";

/** Samples per chunk before a new one is cut, as Prometheus cuts when re-encoding series. */
export const DEFAULT_SAMPLES_PER_CHUNK = 120;

/** Options of writeBlock. */
export interface WriteBlockOptions {
  /** Names the block. */
  readonly ulids: UlidSource;
  readonly samplesPerChunk?: number;
  /** Largest chunk segment file in bytes (default 512 MiB). */
  readonly segmentBytes?: number;
  /** Whether to write the obsolete label-index sections as Prometheus 2.x does (default true). */
  readonly labelIndices?: boolean;
  readonly signal?: AbortSignal;
}

/** What writeBlock made. */
export interface WrittenBlock {
  readonly meta: BlockMeta;
  /** The block's directory. */
  readonly dir: string;
}

/**
 * Writes the given series as one level-1 block under `dir` (a TSDB data directory) and returns
 * it, or undefined when there is no sample to write. The block is built in
 * `<ulid>.tmp-for-creation`, every file and directory is synced, and only then is it renamed to
 * `<ulid>`, so a crash never leaves a partial block under a block name. Samples must rise strictly
 * in time within a series; labels must be unique across series. Values are stored bit-exactly.
 */
export async function writeBlock(dir: string, input: Iterable<Series> | SeriesSet, options: WriteBlockOptions): Promise<WrittenBlock | undefined> {
  const { signal } = options;
  const perChunk = options.samplesPerChunk ?? DEFAULT_SAMPLES_PER_CHUNK;
  if (!Number.isInteger(perChunk) || perChunk < 1 || perChunk > 0xffff) throw new TsdbWriteError(`invalid samples per chunk ${perChunk}`);
  const series = collect(input);
  series.sort((a, b) => a.labels.compare(b.labels));
  for (let i = 1; i < series.length; i++) {
    if ((series[i] as Series).labels.equals((series[i - 1] as Series).labels)) throw new TsdbWriteError(`duplicate series ${(series[i] as Series).labels.toString()}`);
  }

  const ulid = options.ulids.next();
  const tmp = join(dir, `${ulid}.tmp-for-creation`);
  const final = join(dir, ulid);
  await mkdir(tmp, { recursive: true });
  try {
    const chunkDir = join(tmp, "chunks");
    const writer = await ChunkWriter.create(chunkDir, { ...(options.segmentBytes === undefined ? {} : { segmentBytes: options.segmentBytes }), ...(signal ? { signal } : {}) });
    const indexed: IndexSeries[] = [];
    let minTime = Infinity;
    let maxTime = -Infinity;
    let numSamples = 0;
    let numChunks = 0;
    try {
      for (const s of series) {
        signal?.throwIfAborted();
        const chunks: ChunkMeta[] = [];
        let chunk: XorChunk | undefined;
        let app: XorAppender | undefined;
        let first = 0;
        let last = -Infinity;
        const flush = async () => {
          if (chunk === undefined) return;
          chunks.push({ ref: await writer.write(chunk.encoding, chunk.bytes()), minTime: first, maxTime: last });
          numChunks++;
          chunk = undefined;
        };
        const it = s.iterator();
        while (it.next()) {
          const t = it.at();
          if (t <= last) throw new TsdbWriteError(`${s.labels.toString()}: sample at ${t} is not after ${last}`);
          if (chunk !== undefined && chunk.numSamples >= perChunk) await flush();
          if (chunk === undefined) {
            chunk = new XorChunk();
            app = chunk.appender();
            first = t;
          }
          (app as XorAppender).append(t, it.value());
          last = t;
          numSamples++;
        }
        await flush();
        if (chunks.length === 0) continue;
        minTime = Math.min(minTime, (chunks[0] as ChunkMeta).minTime);
        maxTime = Math.max(maxTime, last);
        indexed.push({ labels: s.labels, chunks });
      }
    } finally {
      await writer.close();
    }
    if (indexed.length === 0) {
      await rm(tmp, { recursive: true, force: true });
      return undefined;
    }
    const meta: BlockMeta = {
      ulid,
      minTime,
      // The block range is half-open: one past the last sample.
      maxTime: maxTime + 1,
      stats: { numSamples, numSeries: indexed.length, numChunks },
      compaction: { level: 1, sources: [ulid] },
      version: 1,
    };
    signal?.throwIfAborted();
    await writeFileDurable(join(tmp, "index"), encodeIndex(indexed, options.labelIndices === undefined ? {} : { labelIndices: options.labelIndices }));
    await writeFileDurable(join(tmp, "tombstones"), encodeTombstones(new Map()));
    await writeFileDurable(join(tmp, "meta.json"), formatBlockMeta(meta));
    await syncDir(chunkDir);
    await syncDir(tmp);
    await rename(tmp, final);
    await syncDir(dir);
    return { meta, dir: final };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

function collect(input: Iterable<Series> | SeriesSet): Series[] {
  if (Symbol.iterator in input) return [...input];
  const out: Series[] = [];
  while (input.next()) out.push(input.at());
  return out;
}
