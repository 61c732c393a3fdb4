import { mkdir, open, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { Crc32c, EncodeBuffer } from "../encoding/index.js";
import { TsdbWriteError } from "../errors.js";
import { DEFAULT_SEGMENT_BYTES, SEGMENT_HEADER_BYTES, SEGMENT_MAGIC, chunkRef, segmentFileName, type ChunkRef } from "./segment.js";

/** Options of ChunkWriter.create. */
export interface ChunkWriterOptions {
  /** Largest segment file in bytes before a new one is started (default 512 MiB). */
  readonly segmentBytes?: number;
  readonly signal?: AbortSignal;
}

const FLUSH_BYTES = 1 << 20;

/**
 * Writes a block's `chunks/` directory: numbered segment files, each a header then chunks as
 * `len uvarint | encoding | data | CRC32C(encoding, data)`. Not safe for concurrent use.
 */
export class ChunkWriter {
  readonly #dir: string;
  readonly #segmentBytes: number;
  readonly #signal: AbortSignal | undefined;
  readonly #buf = new EncodeBuffer(1 << 16);
  readonly #head = new EncodeBuffer(16);
  #file: FileHandle | undefined;
  #segment = -1;
  #written = 0;
  #size = 0;

  private constructor(dir: string, options: ChunkWriterOptions) {
    this.#dir = dir;
    this.#segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.#signal = options.signal;
  }

  /** Creates `dir` (the block's `chunks` directory) and a writer into it. */
  static async create(dir: string, options: ChunkWriterOptions = {}): Promise<ChunkWriter> {
    await mkdir(dir, { recursive: true });
    return new ChunkWriter(dir, options);
  }

  /** Number of segment files started. */
  get segments(): number {
    return this.#segment + 1;
  }

  /** Appends one chunk and returns its reference. */
  async write(encoding: number, data: Uint8Array): Promise<ChunkRef> {
    this.#signal?.throwIfAborted();
    if (encoding < 0 || encoding > 0x7f) throw new TsdbWriteError(`invalid chunk encoding ${encoding}`);
    this.#head.reset();
    this.#head.putUvarint(data.length);
    const total = this.#head.length + 1 + data.length + 4;
    if (this.#file === undefined || (this.#size + total > this.#segmentBytes && this.#size > SEGMENT_HEADER_BYTES)) {
      await this.#cut();
    }
    if (this.#size + total > 2 ** 32) throw new TsdbWriteError(`chunk of ${data.length} bytes does not fit a segment`);
    const ref = chunkRef(this.#segment, this.#size);
    this.#buf.putBytes(this.#head.bytes);
    this.#buf.putByte(encoding);
    this.#buf.putBytes(data);
    this.#buf.putBE32(new Crc32c().update(Uint8Array.of(encoding)).update(data).digest());
    this.#size += total;
    if (this.#buf.length >= FLUSH_BYTES) await this.#flush();
    return ref;
  }

  /** Flushes, syncs and closes the open segment. */
  async close(): Promise<void> {
    await this.#finishSegment();
  }

  async #cut(): Promise<void> {
    await this.#finishSegment();
    this.#segment++;
    this.#file = await open(join(this.#dir, segmentFileName(this.#segment)), "w");
    this.#written = 0;
    this.#buf.putBE32(SEGMENT_MAGIC);
    this.#buf.putByte(1);
    this.#buf.putBytes(new Uint8Array(3));
    this.#size = SEGMENT_HEADER_BYTES;
  }

  async #flush(): Promise<void> {
    if (this.#file === undefined || this.#buf.length === 0) return;
    const bytes = this.#buf.bytes;
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.#file.write(bytes, done, bytes.length - done, this.#written + done);
      done += bytesWritten;
    }
    this.#written += bytes.length;
    this.#buf.reset();
  }

  async #finishSegment(): Promise<void> {
    if (this.#file === undefined) return;
    await this.#flush();
    await this.#file.sync();
    await this.#file.close();
    this.#file = undefined;
  }
}
