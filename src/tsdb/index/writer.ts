import { compareStrings } from "../../model/index.js";
import { Crc32c, EncodeBuffer } from "../encoding/index.js";
import { TsdbWriteError } from "../errors.js";
import { INDEX_MAGIC, INDEX_VERSION, SERIES_ALIGN, type IndexSeries } from "./format.js";

// The table of contents without its CRC: six BE64 offsets.
const TOC_BODY = 48;

/** Options of encodeIndex. */
export interface IndexWriterOptions {
  /**
   * Whether to write the obsolete label-index sections as Prometheus 2.x does (default true).
   * Readers of every version find label values through the postings offset table instead.
   */
  readonly labelIndices?: boolean;
}

/**
 * Encodes an index (format v2) for series given sorted by labels, each series' chunks already
 * written. Series IDs (file offset / 16) follow that order. The symbol table includes the empty
 * string, as indexes compacted from Prometheus's head do, so ours match theirs byte for byte.
 */
export function encodeIndex(series: readonly IndexSeries[], options: IndexWriterOptions = {}): Uint8Array {
  const withLabelIndices = options.labelIndices ?? true;
  const out = new EncodeBuffer(1 << 16);
  out.putBE32(INDEX_MAGIC);
  out.putByte(INDEX_VERSION);

  const symbolSet = new Set<string>([""]);
  for (const s of series) for (const l of s.labels) symbolSet.add(l.name).add(l.value);
  const symbols = [...symbolSet].sort(compareStrings);
  const symbolRef = new Map(symbols.map((s, i) => [s, i]));

  const tocSymbols = out.length;
  section(out, (b) => {
    b.putBE32(symbols.length);
    for (const s of symbols) b.putUvarintString(s);
  });

  const tocSeries = out.length;
  const all: number[] = [];
  const postings = new Map<string, Map<string, number[]>>();
  const entry = new EncodeBuffer(256);
  let last: IndexSeries | undefined;
  let lastRef = -1;
  for (const s of series) {
    if (last !== undefined && s.labels.compare(last.labels) <= 0) {
      throw new TsdbWriteError(`series ${s.labels.toString()} is not after ${last.labels.toString()}`);
    }
    pad(out, SERIES_ALIGN);
    const id = out.length / SERIES_ALIGN;
    all.push(id);
    entry.reset();
    entry.putUvarint(s.labels.size);
    for (const { name, value } of s.labels) {
      entry.putUvarint(symbolRef.get(name) as number);
      entry.putUvarint(symbolRef.get(value) as number);
      let values = postings.get(name);
      if (values === undefined) postings.set(name, (values = new Map()));
      const list = values.get(value);
      if (list === undefined) values.set(value, [id]);
      else list.push(id);
    }
    entry.putUvarint(s.chunks.length);
    let prevMax = 0;
    let prevRef = 0;
    s.chunks.forEach((c, i) => {
      if (c.maxTime < c.minTime) throw new TsdbWriteError(`${s.labels.toString()}: chunk maxTime ${c.maxTime} < minTime ${c.minTime}`);
      if (c.ref < lastRef) throw new TsdbWriteError(`${s.labels.toString()}: chunk ref ${c.ref} after ${lastRef}`);
      lastRef = c.ref;
      if (i === 0) {
        entry.putVarint(c.minTime);
        entry.putUvarint(c.maxTime - c.minTime);
        entry.putUvarint(c.ref);
      } else {
        if (c.minTime <= prevMax) throw new TsdbWriteError(`${s.labels.toString()}: chunk starting ${c.minTime} overlaps the previous one`);
        entry.putUvarint(c.minTime - prevMax);
        entry.putUvarint(c.maxTime - c.minTime);
        entry.putVarint(c.ref - prevRef);
      }
      prevMax = c.maxTime;
      prevRef = c.ref;
    });
    out.putUvarint(entry.length);
    out.putBytes(entry.bytes);
    out.putBE32(new Crc32c().update(entry.bytes).digest());
    last = s;
  }

  const names = [...postings.keys()].sort(compareStrings);
  const sortedValues = new Map(names.map((n) => [n, [...(postings.get(n) as Map<string, number[]>).keys()].sort(compareStrings)]));

  const tocLabelIndices = out.length;
  const labelIndexOffsets: number[] = [];
  if (withLabelIndices) {
    for (const name of names) {
      pad(out, 4);
      labelIndexOffsets.push(out.length);
      const values = sortedValues.get(name) as string[];
      section(out, (b) => {
        b.putBE32(1);
        b.putBE32(values.length);
        for (const v of values) b.putBE32(symbolRef.get(v) as number);
      });
    }
  }

  const tocPostings = out.length;
  const postingsOffsets: [string, string, number][] = [];
  const writePostings = (name: string, value: string, ids: readonly number[]) => {
    pad(out, 4);
    postingsOffsets.push([name, value, out.length]);
    section(out, (b) => {
      b.putBE32(ids.length);
      for (const id of ids) b.putBE32(id);
    });
  };
  writePostings("", "", all);
  for (const name of names) {
    const values = postings.get(name) as Map<string, number[]>;
    for (const v of sortedValues.get(name) as string[]) writePostings(name, v, values.get(v) as number[]);
  }

  let tocLabelIndicesTable: number;
  if (withLabelIndices) {
    tocLabelIndicesTable = out.length;
    section(out, (b) => {
      b.putBE32(names.length);
      names.forEach((n, i) => {
        b.putUvarint(1);
        b.putUvarintString(n);
        b.putUvarint(labelIndexOffsets[i] as number);
      });
    });
  }
  const tocPostingsTable = out.length;
  tocLabelIndicesTable ??= tocPostingsTable;
  section(out, (b) => {
    b.putBE32(postingsOffsets.length);
    for (const [n, v, off] of postingsOffsets) {
      b.putUvarint(2);
      b.putUvarintString(n);
      b.putUvarintString(v);
      b.putUvarint(off);
    }
  });

  const toc = new EncodeBuffer(TOC_BODY);
  for (const off of [tocSymbols, tocSeries, tocLabelIndices, tocLabelIndicesTable, tocPostings, tocPostingsTable]) toc.putBE64(BigInt(off));
  out.putBytes(toc.bytes);
  out.putBE32(new Crc32c().update(toc.bytes).digest());
  return out.bytes;
}

// Writes `len BE32 | body | CRC32C(body)`.
function section(out: EncodeBuffer, body: (b: EncodeBuffer) => void): void {
  const b = new EncodeBuffer(1024);
  body(b);
  if (b.length > 0xffffffff) throw new TsdbWriteError("index section exceeds 4 GiB");
  out.putBE32(b.length);
  out.putBytes(b.bytes);
  out.putBE32(new Crc32c().update(b.bytes).digest());
}

function pad(out: EncodeBuffer, align: number): void {
  const rem = out.length % align;
  if (rem !== 0) out.putBytes(new Uint8Array(align - rem));
}
