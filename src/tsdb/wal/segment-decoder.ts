import { crc32c } from "../encoding/index.js";
import { WalCompressionError, WalCorruptionError } from "./errors.js";
import {
  FRAGMENT_HEADER_SIZE,
  FRAGMENT_TYPE_MASK,
  FragmentType,
  PAGE_SIZE,
  SNAPPY_FLAG,
  ZSTD_FLAG,
} from "./layout.js";
import { snappyDecode } from "./snappy.js";

/** One record read back from a log, with where it sits. */
export interface WalRecord {
  /** The record payload, decompressed. Never reused by the reader; the caller may keep it. */
  readonly data: Uint8Array;
  /** Directory of the segment (a WAL or a checkpoint directory). */
  readonly dir: string;
  /** Segment index. */
  readonly segment: number;
  /** Byte offset in the segment of the record's first fragment header. */
  readonly offset: number;
  /** Byte offset in the segment just past the record's last fragment. */
  readonly end: number;
  /** Whether the record was stored snappy-compressed (`data` is always decompressed). */
  readonly snappy: boolean;
}

const FRAGMENT_NAMES = ["page padding", "full", "first", "middle", "last"];

/**
 * Reassembles the records of one segment from its pages. Fed the segment front to back in runs of
 * whole pages (only the run at the end of the file may stop mid-page; the missing rest reads as
 * zero padding, as in Prometheus). Synchronous and I/O-free so the reader and the repair share it.
 */
export class SegmentDecoder {
  readonly #dir: string;
  readonly #segment: number;
  #parts: Uint8Array[] = [];
  #recordStart = -1;
  #flags = 0;
  #lastGood = 0;

  constructor(dir: string, segment: number) {
    this.#dir = dir;
    this.#segment = segment;
  }

  /** Offset just past the last complete record decoded so far. */
  get lastGoodOffset(): number {
    return this.#lastGood;
  }

  /**
   * Decodes `bytes`, which start at segment offset `base` (a multiple of the page size), appending
   * complete records to `out`. Throws WalCorruptionError or WalCompressionError. `skip` starts
   * decoding that many bytes into the first page (used to resume after damage when counting losses).
   */
  decode(bytes: Uint8Array, base: number, out: WalRecord[], skip = 0): void {
    for (let pageStart = 0; pageStart < bytes.length; pageStart += PAGE_SIZE) {
      const page = bytes.subarray(pageStart, Math.min(bytes.length, pageStart + PAGE_SIZE));
      this.#decodePage(page, base + pageStart, out, pageStart === 0 ? skip : 0);
    }
  }

  /** Ends the segment at `size` bytes; throws if a record started but did not finish. */
  finish(size: number): void {
    if (this.#recordStart >= 0) {
      this.#fail(this.#recordStart, `last record is torn: it starts at ${this.#recordStart} and the segment ends at ${size}`);
    }
  }

  #decodePage(page: Uint8Array, pageBase: number, out: WalRecord[], skip: number): void {
    let p = skip;
    while (p < page.length) {
      const head = page[p] as number;
      const type = head & FRAGMENT_TYPE_MASK;
      const at = pageBase + p;
      if (type === FragmentType.PageTerm) {
        for (let i = p + 1; i < page.length; i++) {
          if (page[i] !== 0) this.#fail(pageBase + i, "unexpected non-zero byte in padded page");
        }
        return;
      }
      if (type > FragmentType.Last) this.#fail(at, `unexpected fragment type ${type}`);
      if (p + FRAGMENT_HEADER_SIZE > PAGE_SIZE) this.#fail(at, "fragment header crosses a page boundary");
      if (p + FRAGMENT_HEADER_SIZE > page.length) this.#fail(at, "segment ends inside a fragment header");
      const length = ((page[p + 1] as number) << 8) | (page[p + 2] as number);
      const crc = (((page[p + 3] as number) << 24) | ((page[p + 4] as number) << 16) | ((page[p + 5] as number) << 8) | (page[p + 6] as number)) >>> 0;
      const dataStart = p + FRAGMENT_HEADER_SIZE;
      if (dataStart + length > PAGE_SIZE) this.#fail(at, `fragment of ${length} bytes crosses a page boundary`);
      if (dataStart + length > page.length) this.#fail(at, `segment ends inside a fragment of ${length} bytes`);
      const data = page.subarray(dataStart, dataStart + length);
      const actual = crc32c(data);
      if (actual !== crc) {
        this.#fail(at, `unexpected checksum ${actual.toString(16)}, expected ${crc.toString(16)}`);
      }
      const flags = head & (SNAPPY_FLAG | ZSTD_FLAG);
      const inRecord = this.#recordStart >= 0;
      if ((type === FragmentType.Full || type === FragmentType.First) && inRecord) {
        this.#fail(at, `unexpected ${FRAGMENT_NAMES[type]} fragment: the record at ${this.#recordStart} did not finish`);
      }
      if ((type === FragmentType.Middle || type === FragmentType.Last) && !inRecord) {
        this.#fail(at, `unexpected ${FRAGMENT_NAMES[type]} fragment without a first fragment`);
      }
      if (!inRecord) {
        this.#recordStart = at;
        this.#flags = flags;
      } else if (flags !== this.#flags) {
        this.#fail(at, "compression flags differ between fragments of one record");
      }
      this.#parts.push(data);
      p = dataStart + length;
      if (type === FragmentType.Full || type === FragmentType.Last) {
        const end = pageBase + p;
        const data = this.#assemble();
        const snappy = (this.#flags & SNAPPY_FLAG) !== 0;
        out.push({ data, dir: this.#dir, segment: this.#segment, offset: this.#recordStart, end, snappy });
        this.#recordStart = -1;
        this.#parts = [];
        this.#lastGood = end;
      }
    }
  }

  #assemble(): Uint8Array {
    const raw = this.#parts.length === 1 ? (this.#parts[0] as Uint8Array) : Buffer.concat(this.#parts);
    if (this.#flags === 0 || raw.length === 0) return raw;
    if (this.#flags & ZSTD_FLAG) throw new WalCompressionError(this.#dir, this.#segment, this.#recordStart, "zstd");
    try {
      return snappyDecode(raw);
    } catch (err) {
      return this.#fail(this.#recordStart, `decode snappy record: ${(err as Error).message}`, err);
    }
  }

  #fail(offset: number, reason: string, cause?: unknown): never {
    throw new WalCorruptionError(
      this.#dir,
      this.#segment,
      offset,
      this.#lastGood,
      reason,
      cause === undefined ? undefined : { cause },
    );
  }
}
