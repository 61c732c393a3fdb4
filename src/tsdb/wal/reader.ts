import { open } from "node:fs/promises";
import { PAGE_SIZE } from "./layout.js";
import { SegmentDecoder, type WalRecord } from "./segment-decoder.js";
import { listSegments, type SegmentRef } from "./segments.js";

/** Segments `first..last` (inclusive, either end open when absent) of one directory. */
export interface SegmentRange {
  readonly dir: string;
  readonly first?: number;
  readonly last?: number;
}

/** How many pages one read pulls from a segment file. */
const PAGES_PER_READ = 16;

/**
 * Reads the records of a log in order: ranges in the order given, segments ascending within each.
 * A record never spans two segments. Any damage surfaces as a WalCorruptionError naming the
 * directory, segment and byte offset; a zstd record as WalCompressionError. Snappy-compressed
 * records (Prometheus 2.x's default) are decompressed.
 */
export class WalReader implements AsyncIterable<WalRecord> {
  /** The segments this reader covers, in reading order. */
  readonly segments: readonly SegmentRef[];

  private constructor(segments: readonly SegmentRef[]) {
    this.segments = segments;
  }

  /** Lists the segments of a WAL directory (all of them) or of the given ranges. */
  static async open(source: string | readonly SegmentRange[]): Promise<WalReader> {
    const ranges: readonly SegmentRange[] = typeof source === "string" ? [{ dir: source }] : source;
    const segments: SegmentRef[] = [];
    for (const range of ranges) {
      for (const seg of await listSegments(range.dir)) {
        if (range.first !== undefined && seg.index < range.first) continue;
        if (range.last !== undefined && seg.index > range.last) break;
        segments.push(seg);
      }
    }
    return new WalReader(segments);
  }

  /** Yields every record; stops with the signal's reason when aborted. */
  async *records(signal?: AbortSignal): AsyncGenerator<WalRecord> {
    for (const seg of this.segments) yield* readSegment(seg, signal);
  }

  [Symbol.asyncIterator](): AsyncGenerator<WalRecord> {
    return this.records();
  }
}

/** Yields the records of one segment file. */
export async function* readSegment(seg: SegmentRef, signal?: AbortSignal): AsyncGenerator<WalRecord> {
  signal?.throwIfAborted();
  const fh = await open(seg.path, "r");
  try {
    const size = (await fh.stat()).size;
    const decoder = new SegmentDecoder(seg.dir, seg.index);
    const out: WalRecord[] = [];
    for (let pos = 0; pos < size; ) {
      signal?.throwIfAborted();
      // A fresh buffer per read: records are views into it and must stay valid for the caller.
      const buf = Buffer.allocUnsafe(Math.min(PAGES_PER_READ * PAGE_SIZE, size - pos));
      let filled = 0;
      while (filled < buf.length) {
        const { bytesRead } = await fh.read(buf, filled, buf.length - filled, pos + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      // Records before a damaged spot in this run are handed out before the error is raised.
      let failure: unknown;
      try {
        decoder.decode(buf.subarray(0, filled), pos, out);
      } catch (err) {
        failure = err;
      }
      pos += filled;
      for (const rec of out) yield rec;
      out.length = 0;
      if (failure !== undefined) throw failure;
      if (filled < buf.length) break;
    }
    decoder.finish(size);
  } finally {
    await fh.close();
  }
}
