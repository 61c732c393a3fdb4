import { Crc32c, DecodeBuffer, DecodeError, EncodeBuffer } from "../encoding/index.js";
import { TsdbCorruptionError } from "../errors.js";

/** Magic number opening a tombstones file. */
export const TOMBSTONES_MAGIC = 0x0130ba30;

/** A deleted time range, in ms, inclusive at both ends. */
export interface Interval {
  readonly mint: number;
  readonly maxt: number;
}

/** Deleted ranges by series ID (the index's offset/16), each list sorted and non-overlapping. */
export type Tombstones = ReadonlyMap<number, readonly Interval[]>;

/** Adds `iv` to a sorted, non-overlapping list, merging ranges that overlap or touch. */
export function addInterval(list: readonly Interval[], iv: Interval): Interval[] {
  const out: Interval[] = [];
  let cur = iv;
  let placed = false;
  for (const x of list) {
    if (x.maxt + 1 < cur.mint) out.push(x);
    else if (cur.maxt + 1 < x.mint) {
      if (!placed) out.push(cur);
      placed = true;
      out.push(x);
    } else cur = { mint: Math.min(x.mint, cur.mint), maxt: Math.max(x.maxt, cur.maxt) };
  }
  if (!placed) out.push(cur);
  return out;
}

/** Whether `t` falls in one of the intervals. */
export function isDeleted(list: readonly Interval[], t: number): boolean {
  for (const iv of list) if (t >= iv.mint && t <= iv.maxt) return true;
  return false;
}

/**
 * Encodes a tombstones file: magic, version 1, one `ref uvarint | mint varint | maxt varint`
 * entry per interval (series in increasing ID order), then a CRC32C of the entries alone.
 */
export function encodeTombstones(tombstones: Tombstones): Uint8Array {
  const out = new EncodeBuffer(64);
  out.putBE32(TOMBSTONES_MAGIC);
  out.putByte(1);
  const start = out.length;
  for (const ref of [...tombstones.keys()].sort((a, b) => a - b)) {
    for (const iv of tombstones.get(ref) ?? []) {
      out.putUvarint(ref);
      out.putVarint(iv.mint);
      out.putVarint(iv.maxt);
    }
  }
  const crc = new Crc32c().update(out.bytes.subarray(start)).digest();
  out.putBE32(crc);
  return out.bytes.slice();
}

/** Decodes a tombstones file, merging a series' intervals. */
export function decodeTombstones(bytes: Uint8Array, name = "tombstones"): Map<number, Interval[]> {
  try {
    const d = new DecodeBuffer(bytes);
    const magic = d.be32();
    if (magic !== TOMBSTONES_MAGIC) throw new TsdbCorruptionError(name, `bad tombstones magic 0x${magic.toString(16)}`);
    const version = d.byte();
    if (version !== 1) throw new TsdbCorruptionError(name, `unsupported tombstones version ${version}`);
    if (bytes.length < 9) throw new TsdbCorruptionError(name, "tombstones file has no checksum");
    const body = bytes.subarray(5, bytes.length - 4);
    const want = new DecodeBuffer(bytes.subarray(bytes.length - 4)).be32();
    if (new Crc32c().update(body).digest() !== want) throw new TsdbCorruptionError(name, "tombstones checksum mismatch");
    const out = new Map<number, Interval[]>();
    const e = new DecodeBuffer(body);
    while (e.remaining > 0) {
      const ref = e.uvarint();
      const iv = { mint: e.varint(), maxt: e.varint() };
      out.set(ref, addInterval(out.get(ref) ?? [], iv));
    }
    return out;
  } catch (err) {
    if (err instanceof DecodeError) throw new TsdbCorruptionError(name, err.message, { cause: err });
    throw err;
  }
}
