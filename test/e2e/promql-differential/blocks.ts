// Writes a data set as Prometheus TSDB blocks with Meridian's own block writer, and copies the
// result into one data directory per server.
//
// Why Meridian's writer and not `promtool tsdb create-blocks-from openmetrics`: OpenMetrics text
// cannot carry a stale marker (the writer stores values bit-exactly, the special NaN included),
// and real Prometheus reads these blocks (src/tsdb/block/prometheus.test.ts), so both servers
// read the very same bytes.
import { cp, mkdir } from "node:fs/promises";
import type { SampleIterator, Series } from "../../../src/storage/index.js";
import { UlidGenerator, writeBlock, type BlockMeta } from "../../../src/tsdb/index.js";

/** Options of writeBlocks. */
export interface WriteBlocksOptions {
  /** Block boundaries (ms): the data is cut into [-∞, b0), [b0, b1), …, [bn, +∞). */
  readonly cuts: readonly number[];
  /** Time used in the block ULIDs (ms), so that block names are deterministic too. */
  readonly ulidTimeMs: number;
  readonly signal?: AbortSignal;
}

/**
 * Writes `series` into `dir` as one block per time window between `cuts` (non-overlapping, so
 * neither server has anything to merge or compact) and returns the blocks' metas.
 */
export async function writeBlocks(dir: string, series: readonly Series[], options: WriteBlocksOptions): Promise<BlockMeta[]> {
  await mkdir(dir, { recursive: true });
  let n = 0;
  const ulids = new UlidGenerator({ now: () => options.ulidTimeMs + n, random: (k) => new Uint8Array(k).fill(++n) });
  const bounds = [-Infinity, ...options.cuts, Infinity];
  const metas: BlockMeta[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const lo = bounds[i] as number;
    const hi = bounds[i + 1] as number;
    const windowed = series.map((s): Series => ({ labels: s.labels, iterator: () => new WindowIterator(s.iterator(), lo, hi) }));
    const written = await writeBlock(dir, windowed, { ulids, ...(options.signal ? { signal: options.signal } : {}) });
    if (written) metas.push(written.meta);
  }
  return metas;
}

/** Copies a data directory (blocks) to `to`, which must not exist yet. */
export async function copyDataDir(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, errorOnExist: true, force: false });
}

/** The samples of an iterator with lo ≤ t < hi. */
class WindowIterator implements SampleIterator {
  readonly #inner: SampleIterator;
  readonly #hi: number;
  #started = false;
  readonly #lo: number;

  constructor(inner: SampleIterator, lo: number, hi: number) {
    this.#inner = inner;
    this.#lo = lo;
    this.#hi = hi;
  }

  next(): boolean {
    if (!this.#started) {
      this.#started = true;
      if (!this.#inner.seek(this.#lo)) return false;
    } else if (!this.#inner.next()) return false;
    return this.#inner.at() < this.#hi;
  }

  seek(t: number): boolean {
    if (!this.#started) {
      this.#started = true;
      if (!this.#inner.seek(Math.max(t, this.#lo))) return false;
    } else if (!this.#inner.seek(t)) return false;
    return this.#inner.at() < this.#hi;
  }

  at(): number {
    return this.#inner.at();
  }

  value(): number {
    return this.#inner.value();
  }
}
