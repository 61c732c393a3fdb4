import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { compareStrings, METRIC_NAME } from "../../model/index.js";
import { ChunkReader } from "../chunks/index.js";
import { openLocalBlockFile, type SyncBlockFile } from "../files/index.js";
import { IndexReader } from "../index/index.js";
import { findBlocks, type BlockEntry } from "./data-dir.js";
import { TsdbToolError, wrapToolError } from "./errors.js";
import { formatGoDuration } from "./go-format.js";
import { LineBuffer, type TextSink } from "./output.js";

/** Options of analyzeBlock. */
export interface AnalyzeOptions {
  readonly dataDir: string;
  /** The block to analyze; the one with the latest minimum time when absent. */
  readonly blockId?: string;
  /** Entries printed per list. */
  readonly limit: number;
  /** Whether to add the chunk fullness histogram ("Compaction analysis"). */
  readonly extended: boolean;
  readonly out: TextSink;
  readonly signal?: AbortSignal;
}

/** One line of a ranked list: a label name or `name=value` pair and its figure. */
interface Ranked {
  readonly key: string;
  readonly metric: number;
}

/**
 * Prints promtool 2.42's `tsdb analyze` report for one block: its size in series and label names,
 * then ranked lists of churn (how much of the block's time range the series carrying a label pair
 * do not cover, in block lengths), label pair frequency, value lengths and cardinalities.
 *
 * Ties are ranked by key in byte order. promtool leaves them in Go's map order, which changes from
 * run to run, so only the figures and the set of keys per figure can be compared with it.
 */
export async function analyzeBlock(options: AnalyzeOptions): Promise<void> {
  const blocks = await findBlocks(options.dataDir, options.signal);
  const block = options.blockId === undefined ? blocks[blocks.length - 1] : blocks.find((b) => b.meta.ulid === options.blockId);
  if (block === undefined) throw new TsdbToolError(`block ${options.blockId ?? ""} not found`);
  let index: IndexReader;
  try {
    index = IndexReader.open(await readFile(join(block.dir, "index")), join(block.meta.ulid, "index"));
  } catch (err) {
    throw wrapToolError(`open block ${block.dir}`, err);
  }
  const out = new LineBuffer(options.out);
  const { meta } = block;
  const range = meta.maxTime - meta.minTime;
  await out.line(`Block ID: ${meta.ulid}`);
  await out.line(`Duration: ${formatGoDuration(range)}`);
  await out.line(`Series: ${meta.stats.numSeries ?? 0}`);
  const names = index.labelNames();
  await out.line(`Label names: ${names.length}`);

  const print = async (title: string, items: Ranked[]) => {
    await out.line("");
    await out.line(`${title}:`);
    items.sort((a, b) => b.metric - a.metric || compareStrings(a.key, b.key));
    for (const { key, metric } of items.slice(0, Math.max(0, options.limit))) await out.line(`${metric} ${key}`);
  };

  const namesUncovered = new Map<string, number>();
  const pairsUncovered = new Map<string, number>();
  const pairsCount = new Map<string, number>();
  let entries = 0;
  for (const id of index.allPostings()) {
    options.signal?.throwIfAborted();
    const { labels, chunks } = index.series(id);
    const first = chunks[0];
    const last = chunks[chunks.length - 1];
    if (first === undefined || last === undefined) continue;
    // How much of the block's time range this series does not cover.
    const uncovered = range - (last.maxTime - first.minTime);
    for (const { name, value } of labels) {
      const key = `${name}=${value}`;
      namesUncovered.set(name, (namesUncovered.get(name) ?? 0) + uncovered);
      pairsUncovered.set(key, (pairsUncovered.get(key) ?? 0) + uncovered);
      pairsCount.set(key, (pairsCount.get(key) ?? 0) + 1);
      entries++;
    }
  }
  await out.line(`Postings (unique label pairs): ${pairsUncovered.size}`);
  await out.line(`Postings entries (total label pairs): ${entries}`);

  const perRange = (m: Map<string, number>): Ranked[] => [...m].map(([key, v]) => ({ key, metric: Math.trunc(v / range) }));
  await print("Label pairs most involved in churning", perRange(pairsUncovered));
  await print("Label names most involved in churning", perRange(namesUncovered));
  await print("Most common label pairs", [...pairsCount].map(([key, metric]) => ({ key, metric })));
  await print(
    "Label names with highest cumulative label value length",
    names.map((key) => ({ key, metric: index.labelValues(key).reduce((n, v) => n + Buffer.byteLength(v), 0) })),
  );
  await print("Highest cardinality labels", names.map((key) => ({ key, metric: index.labelValues(key).length })));
  await print(
    "Highest cardinality metric names",
    index.labelValues(METRIC_NAME).map((key) => ({ key, metric: index.postings(METRIC_NAME, key).length })),
  );
  if (options.extended) await printFullness(block, index, out, options.signal);
  await out.flush();
}

const FULL_CHUNK_SAMPLES = 120;
const FULLNESS_BUCKETS = 10;

// promtool's "Compaction analysis": how full the block's chunks are, in tenths of 120 samples.
async function printFullness(block: BlockEntry, index: IndexReader, out: LineBuffer, signal?: AbortSignal): Promise<void> {
  const files: SyncBlockFile[] = [];
  try {
    let names: string[];
    try {
      names = (await readdir(join(block.dir, "chunks"))).filter((n) => /^\d{6}$/.test(n)).sort();
      for (const n of names) files.push(await openLocalBlockFile(join(block.dir, "chunks", n), join(block.meta.ulid, "chunks", n), signal));
    } catch (err) {
      throw wrapToolError(`open block ${block.dir}`, err);
    }
    const chunks = ChunkReader.open(files);
    const histogram = new Array<number>(FULLNESS_BUCKETS).fill(0);
    let total = 0;
    for (const id of index.allPostings()) {
      signal?.throwIfAborted();
      for (const meta of index.series(id).chunks) {
        const { data } = chunks.chunk(meta.ref);
        // Every chunk encoding Prometheus writes starts with a big-endian 16-bit sample count.
        const samples = Math.min(((data[0] ?? 0) << 8) | (data[1] ?? 0), FULL_CHUNK_SAMPLES);
        const bucket = Math.max(0, Math.ceil((FULLNESS_BUCKETS * samples) / FULL_CHUNK_SAMPLES) - 1);
        histogram[bucket] = (histogram[bucket] as number) + 1;
        total++;
      }
    }
    await out.line("");
    await out.line("Compaction analysis:");
    await out.line(`Fullness: Amount of samples in chunks (100% is ${FULL_CHUNK_SAMPLES} samples)`);
    for (let b = 0; b < FULLNESS_BUCKETS; b++) {
      const percent = total === 0 ? 0 : Math.trunc((100 * (histogram[b] as number)) / total);
      await out.line(`${String((b + 1) * 10).padStart(7)}%: ${"#".repeat(percent)}`);
    }
  } finally {
    await Promise.all(files.map((f) => f.close()));
  }
}
