import { findBlocks, type BlockEntry } from "./data-dir.js";
import { formatBase2Bytes, formatGoDuration, formatGoUtcSecond } from "./go-format.js";
import { LineBuffer, type TextSink } from "./output.js";
import { formatTable } from "./tabwriter.js";

/** Options of formatBlockTable. */
export interface BlockTableOptions {
  /** Whether to print the column titles first. */
  readonly header: boolean;
  /** Times as UTC dates and sizes in KiB/MiB… instead of raw milliseconds and bytes. */
  readonly humanReadable: boolean;
}

const HEADER = ["BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE"];

// promtool writes this table through tabwriter.NewWriter(os.Stdout, 13, 0, 2, ' ', 0).
const STYLE = { minWidth: 13, padding: 2 };

/**
 * The block table of `promtool tsdb list` (and of `create-blocks-from`, which prints each new
 * block this way), one string per line, columns aligned over the given rows only.
 */
export function formatBlockTable(blocks: readonly Pick<BlockEntry, "meta" | "size">[], options: BlockTableOptions): string[] {
  const time = (ms: number) => (options.humanReadable ? formatGoUtcSecond(ms) : String(ms));
  const rows = blocks.map(({ meta, size }) => [
    meta.ulid,
    time(meta.minTime),
    time(meta.maxTime),
    formatGoDuration(meta.maxTime - meta.minTime),
    String(meta.stats.numSamples ?? 0),
    String(meta.stats.numChunks ?? 0),
    String(meta.stats.numSeries ?? 0),
    options.humanReadable ? formatBase2Bytes(size) : String(size),
  ]);
  return formatTable(options.header ? [HEADER, ...rows] : rows, STYLE);
}

/** Options of listBlocks. */
export interface ListOptions {
  readonly dataDir: string;
  readonly humanReadable: boolean;
  readonly out: TextSink;
  readonly signal?: AbortSignal;
}

/** Prints the blocks of a data directory as `promtool tsdb list` does (a header even when there are none). */
export async function listBlocks(options: ListOptions): Promise<void> {
  const blocks = await findBlocks(options.dataDir, options.signal);
  const out = new LineBuffer(options.out);
  for (const line of formatBlockTable(blocks, { header: true, humanReadable: options.humanReadable })) await out.line(line);
  await out.flush();
}
