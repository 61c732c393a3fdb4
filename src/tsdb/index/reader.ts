import { Labels, compareStrings, type Label, type Matcher } from "../../model/index.js";
import { Crc32c, DecodeBuffer, DecodeError } from "../encoding/index.js";
import { TsdbCorruptionError } from "../errors.js";
import { INDEX_MAGIC, SERIES_ALIGN, TOC_BYTES, type ChunkMeta, type IndexSeries, type Toc } from "./format.js";
import { intersectPostings, mergePostings, subtractPostings, type Postings } from "./postings.js";

interface NameEntry {
  /** Values in sorted order. */
  readonly values: string[];
  /** File offset of each value's postings list. */
  readonly offsets: number[];
}

/**
 * Reads an index (format v2, also accepting v3 which is laid out the same) held in memory. The
 * symbol table and postings offset table are decoded at open; series entries and postings lists
 * are decoded on demand, each checked against its CRC. Obsolete label-index sections are ignored.
 */
export class IndexReader {
  readonly #b: Uint8Array;
  readonly #name: string;
  readonly #symbols: string[];
  readonly #names: Map<string, NameEntry>;
  readonly #allOffset: number;
  /** The version byte of the file. */
  readonly version: number;
  /** Section offsets. */
  readonly toc: Toc;

  private constructor(bytes: Uint8Array, name: string) {
    this.#b = bytes;
    this.#name = name;
    const head = new DecodeBuffer(bytes);
    const magic = head.be32();
    if (magic !== INDEX_MAGIC) throw this.#corrupt(`bad index magic 0x${magic.toString(16)}`);
    this.version = head.byte();
    if (this.version !== 2 && this.version !== 3) throw this.#corrupt(`unsupported index version ${this.version}`);
    this.toc = this.#readToc();
    this.#symbols = this.#readSymbols();
    this.#names = new Map();
    let all = -1;
    this.#forEachSection(this.toc.postingsTable, "postings offset table", (d) => {
      const count = d.be32();
      for (let i = 0; i < count; i++) {
        if (d.uvarint() !== 2) throw this.#corrupt("postings offset entry does not have 2 keys");
        const name = d.uvarintString();
        const value = d.uvarintString();
        const off = d.uvarint();
        if (name === "" && value === "") {
          all = off;
          continue;
        }
        let e = this.#names.get(name);
        if (e === undefined) this.#names.set(name, (e = { values: [], offsets: [] }));
        e.values.push(value);
        e.offsets.push(off);
      }
    });
    if (all < 0) throw this.#corrupt("postings offset table has no all-postings entry");
    this.#allOffset = all;
  }

  /** Opens the index in `bytes`; `name` is used in error messages. */
  static open(bytes: Uint8Array, name = "index"): IndexReader {
    try {
      return new IndexReader(bytes, name);
    } catch (err) {
      if (err instanceof DecodeError) throw new TsdbCorruptionError(name, err.message, { cause: err });
      throw err;
    }
  }

  /** Sorted label names of the block's series. */
  labelNames(): string[] {
    return [...this.#names.keys()].sort(compareStrings);
  }

  /** Sorted values of label `name` over all series. */
  labelValues(name: string): readonly string[] {
    return this.#names.get(name)?.values ?? [];
  }

  /** IDs of every series, in label order. */
  allPostings(): Postings {
    return this.#postingsAt(this.#allOffset);
  }

  /** IDs of the series with `name="value"`. */
  postings(name: string, value: string): Postings {
    const e = this.#names.get(name);
    if (e === undefined) return [];
    const i = binarySearch(e.values, value);
    return i < 0 ? [] : this.#postingsAt(e.offsets[i] as number);
  }

  /**
   * IDs of the series matching every matcher, in label order. A matcher that matches the empty
   * string also selects series without its label, so it subtracts the series whose present value
   * it rejects rather than collecting the values it accepts (as Prometheus's PostingsForMatchers).
   */
  postingsForMatchers(matchers: readonly Matcher[]): Postings {
    let result: Postings | undefined;
    const subtractive: Matcher[] = [];
    for (const m of matchers) {
      if (m.matches("")) {
        subtractive.push(m);
        continue;
      }
      const p = this.#postingsWhere(m, true);
      result = result === undefined ? p : intersectPostings(result, p);
      if (result.length === 0) return result;
    }
    result ??= this.allPostings();
    for (const m of subtractive) {
      result = subtractPostings(result, this.#postingsWhere(m, false));
      if (result.length === 0) break;
    }
    return result;
  }

  /** The labels and chunk metas of series `id`. */
  series(id: number): IndexSeries {
    try {
      const d = new DecodeBuffer(this.#b.subarray(id * SERIES_ALIGN));
      const len = d.uvarint();
      const body = d.bytes(len);
      if (new Crc32c().update(body).digest() !== d.be32()) throw this.#corrupt(`series ${id}: checksum mismatch`);
      const s = new DecodeBuffer(body);
      const n = s.uvarint();
      const pairs: Label[] = [];
      for (let i = 0; i < n; i++) pairs.push({ name: this.#symbol(s.uvarint()), value: this.#symbol(s.uvarint()) });
      const count = s.uvarint();
      const chunks: ChunkMeta[] = [];
      let maxTime = 0;
      let ref = 0;
      for (let i = 0; i < count; i++) {
        let minTime: number;
        if (i === 0) {
          minTime = s.varint();
          maxTime = minTime + s.uvarint();
          ref = s.uvarint();
        } else {
          minTime = maxTime + s.uvarint();
          maxTime = minTime + s.uvarint();
          ref += s.varint();
        }
        chunks.push({ ref, minTime, maxTime });
      }
      return { labels: Labels.fromSortedUnchecked(pairs), chunks };
    } catch (err) {
      if (err instanceof DecodeError) throw new TsdbCorruptionError(this.#name, `series ${id}: ${err.message}`, { cause: err });
      throw err;
    }
  }

  #postingsWhere(m: Matcher, accept: boolean): Postings {
    const e = this.#names.get(m.name);
    if (e === undefined) return [];
    if (accept && m.type === "=") return this.postings(m.name, m.value);
    const set = accept && m.type === "=~" ? m.setMatches() : undefined;
    if (set !== undefined) return mergePostings(set.map((v) => this.postings(m.name, v)));
    const lists: Postings[] = [];
    e.values.forEach((v, i) => {
      if (m.matches(v) === accept) lists.push(this.#postingsAt(e.offsets[i] as number));
    });
    return mergePostings(lists);
  }

  #postingsAt(offset: number): Postings {
    const out: number[] = [];
    this.#forEachSection(offset, "postings list", (d) => {
      const n = d.be32();
      for (let i = 0; i < n; i++) out.push(d.be32());
    });
    return out;
  }

  #symbol(i: number): string {
    const s = this.#symbols[i];
    if (s === undefined) throw this.#corrupt(`symbol reference ${i} out of range`);
    return s;
  }

  #readToc(): Toc {
    if (this.#b.length < TOC_BYTES + 5) throw this.#corrupt("index too short for a table of contents");
    const body = this.#b.subarray(this.#b.length - TOC_BYTES, this.#b.length - 4);
    const want = new DecodeBuffer(this.#b.subarray(this.#b.length - 4)).be32();
    if (new Crc32c().update(body).digest() !== want) throw this.#corrupt("table of contents: checksum mismatch");
    const d = new DecodeBuffer(body);
    const next = () => Number(d.be64());
    return { symbols: next(), series: next(), labelIndices: next(), labelIndicesTable: next(), postings: next(), postingsTable: next() };
  }

  #readSymbols(): string[] {
    const out: string[] = [];
    this.#forEachSection(this.toc.symbols, "symbol table", (d) => {
      const n = d.be32();
      for (let i = 0; i < n; i++) out.push(d.uvarintString());
    });
    return out;
  }

  // A `len BE32 | body | CRC32C(body)` section at `offset`; `read` decodes the body.
  #forEachSection(offset: number, what: string, read: (d: DecodeBuffer) => void): void {
    if (offset <= 0 || offset >= this.#b.length) throw this.#corrupt(`${what}: offset ${offset} out of range`);
    const d = new DecodeBuffer(this.#b.subarray(offset));
    const len = d.be32();
    const body = d.bytes(len);
    if (new Crc32c().update(body).digest() !== d.be32()) throw this.#corrupt(`${what} at ${offset}: checksum mismatch`);
    read(new DecodeBuffer(body));
  }

  #corrupt(message: string): TsdbCorruptionError {
    return new TsdbCorruptionError(this.#name, message);
  }
}

function binarySearch(sorted: readonly string[], v: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareStrings(sorted[mid] as string, v);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
