import { endianness } from "node:os";
import { Labels, compareStrings, type Label } from "../../model/index.js";
import { DecodeBuffer, DecodeError, EncodeBuffer } from "../encoding/index.js";
import { RecordDecodeError, RecordEncodeError } from "./errors.js";

/** Record type codes, the first byte of every record payload (Prometheus `tsdb/record`). */
export const RecordType = {
  Series: 1,
  Samples: 2,
  Tombstones: 3,
  Exemplars: 4,
  MmapMarkers: 5,
  Metadata: 6,
  HistogramSamples: 7,
  FloatHistogramSamples: 8,
  CustomBucketsHistogramSamples: 9,
  CustomBucketsFloatHistogramSamples: 10,
  SamplesV2: 11,
  HistogramSamplesV2: 12,
  FloatHistogramSamplesV2: 13,
  MinValidTime: 14,
} as const;

const TYPE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(RecordType).map(([name, code]) => [code, name.charAt(0).toLowerCase() + name.slice(1)]),
);

/** A series announced to the log: its head reference and labels. */
export interface RefSeries {
  /** Head series reference, a non-negative safe integer. */
  readonly ref: number;
  readonly labels: Labels;
}

/**
 * Float samples in columns; entry i of each array is one sample. Values are a Float64Array because
 * only typed arrays keep NaN payloads (the stale marker 0x7ff0000000000002) bit for bit: V8 quiets
 * signalling NaNs stored in plain number arrays.
 */
export interface SampleBatch {
  /** Head series references. */
  readonly refs: ArrayLike<number>;
  /** Timestamps, milliseconds since the epoch. */
  readonly timestamps: ArrayLike<number>;
  readonly values: Float64Array;
}

/** A deleted interval of one series, both ends inclusive, in milliseconds. */
export interface TombstoneEntry {
  readonly ref: number;
  readonly mint: number;
  readonly maxt: number;
}

/** A decoded record payload. Types Meridian does not decode come back as `other`, never as an error. */
export type DecodedRecord =
  | { readonly type: "series"; readonly series: RefSeries[] }
  | { readonly type: "samples"; readonly samples: SampleBatch & { readonly refs: Float64Array; readonly timestamps: Float64Array } }
  | { readonly type: "tombstones"; readonly tombstones: TombstoneEntry[] }
  | { readonly type: "other"; readonly code: number; readonly name: string };

// Sample values travel as raw bytes so NaN payloads survive; the host order decides the byte swap.
const HOST_LITTLE_ENDIAN = endianness() === "LE";

/** The record type code of a payload, or undefined for an empty payload. */
export function recordTypeOf(rec: Uint8Array): number | undefined {
  return rec.length === 0 ? undefined : rec[0];
}

/** The Prometheus name of a record type code (`series`, `histogramSamples`, …), or `unknown`. */
export function recordTypeName(code: number): string {
  return TYPE_NAMES.get(code) ?? "unknown";
}

/**
 * Encodes a series record: per series, BE64 ref, then the label count and pairs as uvarint strings.
 * With `into`, the record is written there (after a reset) and returned as a view of it, valid
 * until `into` is written again; a caller encoding record after record reuses one buffer so.
 */
export function encodeSeries(series: readonly RefSeries[], into?: EncodeBuffer): Uint8Array {
  const e = into ?? new EncodeBuffer(64 * series.length + 16);
  e.reset();
  e.putByte(RecordType.Series);
  for (const s of series) {
    e.putBE64Number(checkRef(s.ref));
    e.putUvarint(s.labels.size);
    for (let i = 0; i < s.labels.size; i++) {
      e.putUvarintString(s.labels.nameAt(i));
      e.putUvarintString(s.labels.valueAt(i));
    }
  }
  return into === undefined ? e.bytes.slice() : e.bytes;
}

/**
 * Encodes a samples record: BE64 base ref and base time (the first sample's), then per sample
 * the signed varint deltas of ref and time from the base and the 8 value bytes. An empty batch is
 * the type byte alone. `into` works as for encodeSeries.
 */
export function encodeSamples(batch: SampleBatch, into?: EncodeBuffer): Uint8Array {
  const n = batch.values.length;
  if (batch.refs.length !== n || batch.timestamps.length !== n) {
    throw new RecordEncodeError(`sample columns differ in length: ${batch.refs.length} refs, ${batch.timestamps.length} timestamps, ${n} values`);
  }
  const e = into ?? new EncodeBuffer(17 + n * 14);
  e.reset();
  e.putByte(RecordType.Samples);
  if (n === 0) return into === undefined ? e.bytes.slice() : e.bytes;
  const baseRef = checkRef(batch.refs[0] as number);
  const baseT = checkTime(batch.timestamps[0] as number);
  e.putBE64Number(baseRef);
  e.putBE64(BigInt(baseT));
  const raw = new Uint8Array(batch.values.buffer, batch.values.byteOffset, batch.values.byteLength);
  for (let i = 0; i < n; i++) {
    e.putVarint(checkRef(batch.refs[i] as number) - baseRef);
    e.putVarint(checkTime(batch.timestamps[i] as number) - baseT);
    e.putFloat64Bytes(raw, i * 8);
  }
  // A view, not a copy: the record is as large as the samples, and nothing else uses the buffer.
  return e.bytes;
}

/** Encodes a tombstones record: per interval, BE64 ref, then varint mint and maxt. */
export function encodeTombstones(tombstones: readonly TombstoneEntry[]): Uint8Array {
  const e = new EncodeBuffer(16 + 24 * tombstones.length);
  e.putByte(RecordType.Tombstones);
  for (const t of tombstones) {
    e.putBE64Number(checkRef(t.ref));
    e.putVarint(checkTime(t.mint));
    e.putVarint(checkTime(t.maxt));
  }
  return e.bytes.slice();
}

/** Decodes any record; types other than series, samples (v1) and tombstones are reported as `other`. */
export function decodeRecord(rec: Uint8Array): DecodedRecord {
  const code = recordTypeOf(rec);
  switch (code) {
    case RecordType.Series:
      return { type: "series", series: decodeSeries(rec) };
    case RecordType.Samples:
      return { type: "samples", samples: decodeSamples(rec) };
    case RecordType.Tombstones:
      return { type: "tombstones", tombstones: decodeTombstones(rec) };
    default:
      return { type: "other", code: code ?? -1, name: code === undefined ? "empty" : recordTypeName(code) };
  }
}

/** Decodes a series record. */
export function decodeSeries(rec: Uint8Array): RefSeries[] {
  return decodeWith(rec, RecordType.Series, (d) => {
    const out: RefSeries[] = [];
    while (d.remaining > 0) {
      const ref = readRef(d);
      const n = d.uvarint();
      const pairs: Label[] = [];
      let sorted = true;
      for (let i = 0; i < n; i++) {
        const pair = { name: d.uvarintString(), value: d.uvarintString() };
        const prev = pairs[i - 1];
        if (pair.value === "" || (prev !== undefined && compareStrings(prev.name, pair.name) >= 0)) sorted = false;
        pairs.push(pair);
      }
      // Writers log label sets sorted and unique; trusting that skips a sort per series on replay,
      // and anything else still goes through the normalizing constructor.
      out.push({ ref, labels: sorted ? Labels.fromSortedUnchecked(pairs) : Labels.fromPairs(pairs) });
    }
    return out;
  });
}

/** Decodes a samples (v1) record into columns; values keep their exact bits. */
export function decodeSamples(rec: Uint8Array): SampleBatch & { readonly refs: Float64Array; readonly timestamps: Float64Array } {
  return decodeWith(rec, RecordType.Samples, (d) => {
    if (d.remaining === 0) return { refs: new Float64Array(0), timestamps: new Float64Array(0), values: new Float64Array(0) };
    const baseRef = readRef(d);
    const baseT = Number(BigInt.asIntN(64, d.be64()));
    // Every sample takes at least 10 bytes, which bounds the column size before the count is known.
    const cap = Math.floor(d.remaining / 10);
    const refs = new Float64Array(cap);
    const timestamps = new Float64Array(cap);
    const values = new Float64Array(cap);
    const raw = new Uint8Array(values.buffer);
    let n = 0;
    while (d.remaining > 0) {
      refs[n] = baseRef + d.varint();
      timestamps[n] = baseT + d.varint();
      const word = d.bytes(8);
      for (let b = 0; b < 8; b++) raw[n * 8 + (HOST_LITTLE_ENDIAN ? 7 - b : b)] = word[b] as number;
      n++;
    }
    return { refs: refs.subarray(0, n), timestamps: timestamps.subarray(0, n), values: values.subarray(0, n) };
  });
}

/** Decodes a tombstones record, one entry per interval. */
export function decodeTombstones(rec: Uint8Array): TombstoneEntry[] {
  return decodeWith(rec, RecordType.Tombstones, (d) => {
    const out: TombstoneEntry[] = [];
    while (d.remaining > 0) out.push({ ref: readRef(d), mint: d.varint(), maxt: d.varint() });
    return out;
  });
}

function decodeWith<T>(rec: Uint8Array, type: number, body: (d: DecodeBuffer) => T): T {
  if (rec[0] !== type) {
    throw new RecordDecodeError(`expected a ${recordTypeName(type)} record, got type ${rec.length === 0 ? "none (empty)" : rec[0]}`);
  }
  const d = new DecodeBuffer(rec.subarray(1));
  try {
    return body(d);
  } catch (err) {
    if (err instanceof DecodeError) {
      throw new RecordDecodeError(`decode ${recordTypeName(type)} record at byte ${d.offset + 1}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

function readRef(d: DecodeBuffer): number {
  const ref = d.be64();
  if (ref > BigInt(Number.MAX_SAFE_INTEGER)) throw new RecordDecodeError(`series ref ${ref} exceeds 2^53`);
  return Number(ref);
}

function checkRef(ref: number): number {
  if (!Number.isSafeInteger(ref) || ref < 0) throw new RecordEncodeError(`invalid series ref ${ref}`);
  return ref;
}

function checkTime(t: number): number {
  if (!Number.isSafeInteger(t)) throw new RecordEncodeError(`invalid timestamp ${t}`);
  return t;
}
