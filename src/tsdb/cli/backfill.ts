import { mkdir, stat } from "node:fs/promises";
import { ParseError, type ExpositionParser } from "../../exposition/index.js";
import type { Labels } from "../../model/index.js";
import type { Series } from "../../storage/index.js";
import { writeBlock } from "../block/index.js";
import type { UlidSource } from "../meta/index.js";
import { blockSize } from "./data-dir.js";
import { TsdbToolError, wrapToolError } from "./errors.js";
import { goPathError } from "./go-format.js";
import { formatBlockTable } from "./list.js";
import { OpenMetricsFile } from "./openmetrics-file.js";
import { LineBuffer, type TextSink } from "./output.js";
import { SeriesCollector } from "./series-collector.js";

/** Prometheus's smallest block: 2 h in ms. Backfilled blocks are aligned to their duration. */
export const DEFAULT_BLOCK_DURATION_MS = 2 * 60 * 60 * 1000;

// Samples promtool appends before it commits them (and the samples it keeps in memory at once).
const SAMPLES_PER_COMMIT = 5000;

/** Options of backfillOpenMetrics. */
export interface BackfillOptions {
  /** Path of the OpenMetrics file; it must end with `# EOF` and every sample needs a timestamp. */
  readonly inputFile: string;
  /** The TSDB data directory the blocks are written to; created when missing. */
  readonly outputDir: string;
  /** Largest block span wanted (ms); less than 2 h means 2 h. */
  readonly maxBlockDurationMs?: number;
  /** Print times as UTC dates and sizes in KiB/MiB…. */
  readonly humanReadable: boolean;
  /** Print nothing. */
  readonly quiet: boolean;
  /** Names the new blocks. */
  readonly ulids: UlidSource;
  /** Bytes of the input read at once (4 MiB by default); memory use does not grow with the file. */
  readonly readChunkBytes?: number;
  readonly out: TextSink;
  readonly signal?: AbortSignal;
}

/**
 * The block span promtool uses for a requested maximum: the largest of Prometheus's compaction
 * ranges (2 h × 3^k, k < 10) not above it, and never less than 2 h.
 */
export function compatibleBlockDuration(maxBlockDurationMs: number | undefined): number {
  let chosen = DEFAULT_BLOCK_DURATION_MS;
  if (maxBlockDurationMs === undefined) return chosen;
  for (let k = 1, range = DEFAULT_BLOCK_DURATION_MS * 3; k < 10 && range <= maxBlockDurationMs; k++, range *= 3) chosen = range;
  return chosen;
}

/**
 * Turns an OpenMetrics file into TSDB blocks as `promtool tsdb create-blocks-from openmetrics`
 * does: one pass finds the time range, then each block-duration-aligned window is read from the
 * file in its own pass and written as one block (windows without samples are skipped), and each
 * new block is printed as a `tsdb list` row. The file is streamed in every pass, never held whole:
 * memory holds one read chunk and the series of one window. Samples of a series must come in time order: a sample
 * not after the series' last one is dropped when it arrives within the same 5,000-sample batch and
 * is an error otherwise, exactly as promtool's head appender behaves.
 */
export async function backfillOpenMetrics(options: BackfillOptions): Promise<void> {
  const { inputFile, signal } = options;
  let input: OpenMetricsFile;
  try {
    input = await OpenMetricsFile.open(inputFile, {
      ...(options.readChunkBytes === undefined ? {} : { readChunkBytes: options.readChunkBytes }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (err) {
    throw new TsdbToolError(`try lock file: ${goPathError("open", inputFile, err)}`, { cause: err });
  }
  try {
    await writeBlocks(input, options);
  } finally {
    await input.close();
  }
}

async function writeBlocks(input: OpenMetricsFile, options: BackfillOptions): Promise<void> {
  const { outputDir, signal } = options;
  await makeOutputDir(outputDir);

  const range = await findTimeRange(input);
  const duration = compatibleBlockDuration(options.maxBlockDurationMs);
  const out = new LineBuffer(options.out);
  let wroteHeader = false;
  let nextSample = Infinity;
  // Go's integer division truncates toward zero; so does the alignment of the first window.
  for (let t = Math.trunc(range.mint / duration) * duration; t <= range.maxt; t += duration) {
    signal?.throwIfAborted();
    const upper = t + duration;
    if (nextSample !== Infinity && nextSample >= upper) continue;
    let series: Series[];
    try {
      ({ series, nextSample } = await collectWindow(input, t, upper));
    } catch (err) {
      throw wrapToolError("block creation: process blocks", err);
    }
    const written = await writeBlock(outputDir, series, { ulids: options.ulids, ...(signal === undefined ? {} : { signal }) });
    if (written === undefined || options.quiet) continue;
    const size = await blockSize(written.dir);
    for (const line of formatBlockTable([{ meta: written.meta, size }], { header: !wroteHeader, humanReadable: options.humanReadable })) await out.line(line);
    wroteHeader = true;
    await out.flush();
  }
}

async function makeOutputDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    // Node reports an existing file in the way as EEXIST; Go's MkdirAll says "not a directory".
    const code = (err as NodeJS.ErrnoException).code;
    const isFile = code === "EEXIST" && !(await stat(dir).then((s) => s.isDirectory(), () => false));
    const cause = isFile ? Object.assign(new Error("not a directory"), { code: "ENOTDIR" }) : err;
    throw new TsdbToolError(`create output dir: ${goPathError("mkdir", dir, cause)}`, { cause: err });
  }
}

// Pass one: the first and last sample time; every sample must carry a timestamp.
async function findTimeRange(input: OpenMetricsFile): Promise<{ mint: number; maxt: number }> {
  let mint = Infinity;
  let maxt = -Infinity;
  for await (const p of input.pieces()) {
    for (;;) {
      let entry;
      try {
        entry = p.next();
      } catch (err) {
        throw new TsdbToolError(`getting min and max timestamp: next: ${parseReason(err)}`, { cause: err });
      }
      if (entry === "eof") break;
      if (entry !== "series") continue;
      const ts = p.timestampMs();
      if (ts === undefined) throw new TsdbToolError("getting min and max timestamp: expected timestamp for series got none");
      if (ts < mint) mint = ts;
      if (ts > maxt) maxt = ts;
    }
  }
  return mint === Infinity ? { mint: 0, maxt: 0 } : { mint, maxt };
}

// One pass over the file for the window [t, upper): its series, and the earliest sample after it.
async function collectWindow(input: OpenMetricsFile, t: number, upper: number): Promise<{ series: Series[]; nextSample: number }> {
  const collector = new SeriesCollector();
  let nextSample = Infinity;
  let batch = 0;
  for await (const p of input.pieces()) {
    const labels = (): Labels => {
      try {
        return p.labels();
      } catch (err) {
        throw new TsdbToolError(`parse: ${parseReason(err)}`, { cause: err });
      }
    };
    for (;;) {
      const entry = nextEntry(p);
      if (entry === "eof") break;
      if (entry !== "series") continue;
      const ts = p.timestampMs() as number;
      if (ts < t) continue;
      if (ts >= upper) {
        if (ts < nextSample) nextSample = ts;
        continue;
      }
      collector.append(p.seriesBytes(), labels, ts, p.value());
      // Batches run across pieces, as they ran across the whole file.
      if (++batch >= SAMPLES_PER_COMMIT) {
        collector.commit();
        batch = 0;
      }
    }
  }
  collector.commit();
  return { series: collector.series(), nextSample };
}

function nextEntry(p: ExpositionParser) {
  try {
    return p.next();
  } catch (err) {
    throw new TsdbToolError(`parse: ${parseReason(err)}`, { cause: err });
  }
}

// Prometheus's OpenMetrics errors carry no position; ours keep it apart in `reason`.
function parseReason(err: unknown): string {
  return err instanceof ParseError ? err.reason : (err as Error).message;
}
