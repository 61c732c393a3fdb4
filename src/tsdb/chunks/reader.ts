import type { SampleIterator } from "../../storage/index.js";
import { chunkIterator } from "../chunkenc/index.js";
import { Crc32c, DecodeBuffer } from "../encoding/index.js";
import { TsdbCorruptionError } from "../errors.js";
import type { SyncBlockFile } from "../files/index.js";
import { SEGMENT_HEADER_BYTES, SEGMENT_MAGIC, splitChunkRef, type ChunkRef } from "./segment.js";

/** One stored chunk. */
export interface StoredChunk {
  /** The encoding byte (1 = XOR). */
  readonly encoding: number;
  /** The chunk bytes without length, encoding and CRC. */
  readonly data: Uint8Array;
}

// A uvarint length is at most 10 bytes; reading this much at once avoids a second read for small chunks.
const PEEK_BYTES = 256;
// Chunks are read through a window of this many bytes: a series' chunks, and the series of a
// query, lie next to each other in a segment, so one read serves many chunks (a query over
// thousands of series would otherwise make one system call per chunk).
const WINDOW_BYTES = 64 * 1024;

/** Reads chunks by reference from a block's segment files, checking each chunk's CRC. */
export class ChunkReader {
  readonly #segments: readonly SyncBlockFile[];
  // The last window read: its segment, offset and bytes. A new window is a new buffer, so views
  // handed out from an older one stay valid.
  #window: { segment: number; offset: number; bytes: Uint8Array } | undefined;

  /** Use ChunkReader.open, which checks the segment headers. */
  private constructor(segments: readonly SyncBlockFile[]) {
    this.#segments = segments;
  }

  /** A reader over the segments in file-name order (index 0 is `000001`). */
  static open(segments: readonly SyncBlockFile[]): ChunkReader {
    for (const f of segments) {
      if (f.size < SEGMENT_HEADER_BYTES) throw new TsdbCorruptionError(f.name, "chunk segment shorter than its header");
      const h = new DecodeBuffer(f.readSync(0, SEGMENT_HEADER_BYTES));
      const magic = h.be32();
      if (magic !== SEGMENT_MAGIC) throw new TsdbCorruptionError(f.name, `bad chunk segment magic 0x${magic.toString(16)}`);
      const version = h.byte();
      if (version !== 1) throw new TsdbCorruptionError(f.name, `unsupported chunk segment version ${version}`);
    }
    return new ChunkReader(segments);
  }

  /** The chunk at `ref`. */
  chunk(ref: ChunkRef): StoredChunk {
    const { segment, offset } = splitChunkRef(ref);
    const f = this.#segments[segment];
    if (f === undefined) throw new TsdbCorruptionError("chunks", `chunk ref ${ref} names segment ${segment} of ${this.#segments.length}`);
    if (offset < SEGMENT_HEADER_BYTES || offset >= f.size) throw new TsdbCorruptionError(f.name, `chunk offset ${offset} out of range`);
    let bytes = this.#read(f, segment, offset, Math.min(PEEK_BYTES, f.size - offset));
    const d = new DecodeBuffer(bytes);
    const len = d.uvarint();
    const start = d.offset;
    const total = start + 1 + len + 4;
    if (offset + total > f.size) throw new TsdbCorruptionError(f.name, `chunk at ${offset} of ${len} bytes runs past the end`);
    if (total > bytes.length) bytes = this.#read(f, segment, offset, total);
    const body = bytes.subarray(start, start + 1 + len);
    const want = new DecodeBuffer(bytes.subarray(start + 1 + len, total)).be32();
    if (new Crc32c().update(body).digest() !== want) throw new TsdbCorruptionError(f.name, `chunk at ${offset}: checksum mismatch`);
    return { encoding: body[0] as number, data: body.subarray(1) };
  }

  // `length` bytes at `offset` of segment `segment`, from the window when it holds them.
  #read(f: SyncBlockFile, segment: number, offset: number, length: number): Uint8Array {
    const w = this.#window;
    if (w !== undefined && w.segment === segment && offset >= w.offset && offset + length <= w.offset + w.bytes.length) {
      return w.bytes.subarray(offset - w.offset, offset - w.offset + length);
    }
    const size = Math.max(length, Math.min(WINDOW_BYTES, f.size - offset));
    const bytes = f.readSync(offset, size);
    this.#window = { segment, offset, bytes };
    return bytes.subarray(0, length);
  }

  /** An iterator over the samples of the chunk at `ref`. */
  iterator(ref: ChunkRef): SampleIterator {
    const c = this.chunk(ref);
    return chunkIterator(c.encoding, c.data);
  }
}
