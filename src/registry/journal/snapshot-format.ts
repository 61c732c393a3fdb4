import { crc32 } from "node:zlib";

// Pure encoding and checking of snapshot files; the I/O that makes them atomic lives in files.ts.

const MAGIC = Buffer.from("MRSN", "latin1");
const VERSION = 1;
/** Size in bytes of a snapshot file's header. */
export const SNAPSHOT_HEADER_BYTES = 32;
const CHECKED_HEADER_BYTES = 24;

/** Encodes a snapshot file holding `payload`, the state after applying records up to `index`. */
export function encodeSnapshotFile(index: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(SNAPSHOT_HEADER_BYTES + payload.length);
  MAGIC.copy(out, 0);
  out.writeUInt8(VERSION, 4);
  out.writeBigUInt64LE(BigInt(index), 8);
  out.writeBigUInt64LE(BigInt(payload.length), 16);
  out.set(payload, SNAPSHOT_HEADER_BYTES);
  out.writeUInt32LE(crc32(payload, crc32(out.subarray(0, CHECKED_HEADER_BYTES))), CHECKED_HEADER_BYTES);
  return out;
}

/** The outcome of checking a snapshot file: its payload, or why it cannot be trusted. */
export type SnapshotCheck = { readonly ok: true; readonly payload: Uint8Array } | { readonly ok: false; readonly reason: string };

/** Checks a snapshot file's bytes against its name's `index`, its length field and its checksum. */
export function decodeSnapshotFile(bytes: Uint8Array, index: number): SnapshotCheck {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < SNAPSHOT_HEADER_BYTES) return { ok: false, reason: `file too short (${buf.length} bytes)` };
  if (!buf.subarray(0, 4).equals(MAGIC)) return { ok: false, reason: "bad snapshot magic" };
  const version = buf.readUInt8(4);
  if (version !== VERSION) return { ok: false, reason: `unsupported snapshot version ${version}` };
  const stored = buf.readBigUInt64LE(8);
  if (stored !== BigInt(index)) return { ok: false, reason: `header index ${stored} does not match file name index ${index}` };
  const length = buf.readBigUInt64LE(16);
  if (length !== BigInt(buf.length - SNAPSHOT_HEADER_BYTES)) {
    return { ok: false, reason: `length field ${length} does not match ${buf.length - SNAPSHOT_HEADER_BYTES} payload bytes` };
  }
  const payload = buf.subarray(SNAPSHOT_HEADER_BYTES);
  if (crc32(payload, crc32(buf.subarray(0, CHECKED_HEADER_BYTES))) !== buf.readUInt32LE(CHECKED_HEADER_BYTES)) {
    return { ok: false, reason: "snapshot checksum mismatch" };
  }
  return { ok: true, payload };
}
