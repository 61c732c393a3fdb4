import { crc32 } from "node:zlib";

// Pure encoding and scanning of segment files; no I/O here so every damage case is table-testable.

/** Size in bytes of a segment's header: magic, version, three reserved bytes, first index. */
export const SEGMENT_HEADER_BYTES = 16;
/** Size in bytes of a record frame's header: payload length and checksum. */
export const FRAME_HEADER_BYTES = 8;

const MAGIC = Buffer.from("MRJL", "latin1");
const VERSION = 1;

/** Encodes a segment header for a segment whose first record has index `firstIndex`. */
export function encodeSegmentHeader(firstIndex: number): Buffer {
  const out = Buffer.alloc(SEGMENT_HEADER_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt8(VERSION, 4);
  out.writeBigUInt64LE(BigInt(firstIndex), 8);
  return out;
}

/** Encodes one record frame: length, CRC-32 over the length bytes and payload, then the payload. */
export function encodeFrame(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  // Covering the length as well means a flipped length bit fails the check instead of
  // silently re-framing the rest of the segment.
  out.writeUInt32LE(crc32(payload, crc32(out.subarray(0, 4))), 4);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** Where and why scanning a segment stopped before the end of its bytes. */
export interface ScanProblem {
  /** Byte offset of the first byte that is not part of a valid frame (or header). */
  readonly offset: number;
  /** Human-readable reason, such as `checksum mismatch`. */
  readonly reason: string;
  /** True when the bytes simply end early (a write cut short), false when present bytes are wrong. */
  readonly truncated: boolean;
}

/** The result of scanning one segment's bytes. */
export interface SegmentScan {
  /** Payloads of the valid frames, in order; views into the scanned buffer, not copies. */
  readonly payloads: Uint8Array[];
  /** Byte offset just past the last valid frame (the header size when there are none). */
  readonly validBytes: number;
  /** Set when the header is missing or wrong; `payloads` is then empty and `validBytes` is 0. */
  readonly headerProblem: ScanProblem | undefined;
  /** Set when bytes follow the last valid frame; undefined when the segment ends cleanly. */
  readonly problem: ScanProblem | undefined;
}

/**
 * Scans a segment's bytes, stopping at the first frame that is incomplete, too large or fails its
 * checksum; `firstIndex` (from the file name) must match the header so a renamed file is caught.
 */
export function scanSegment(bytes: Uint8Array, firstIndex: number, maxRecordBytes: number): SegmentScan {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerProblem = checkHeader(buf, firstIndex);
  if (headerProblem) return { payloads: [], validBytes: 0, headerProblem, problem: undefined };

  const payloads: Uint8Array[] = [];
  let offset = SEGMENT_HEADER_BYTES;
  let problem: ScanProblem | undefined;
  while (offset < buf.length) {
    if (buf.length - offset < FRAME_HEADER_BYTES) {
      problem = { offset, reason: "frame header cut short", truncated: true };
      break;
    }
    const length = buf.readUInt32LE(offset);
    const stored = buf.readUInt32LE(offset + 4);
    if (length > maxRecordBytes) {
      problem = { offset, reason: `frame length ${length} exceeds the limit of ${maxRecordBytes}`, truncated: false };
      break;
    }
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > buf.length) {
      problem = { offset, reason: `frame payload cut short (${buf.length - offset - FRAME_HEADER_BYTES} of ${length} bytes)`, truncated: true };
      break;
    }
    const payload = buf.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(payload, crc32(buf.subarray(offset, offset + 4))) !== stored) {
      problem = { offset, reason: "frame checksum mismatch", truncated: false };
      break;
    }
    payloads.push(payload);
    offset = end;
  }
  return { payloads, validBytes: offset, headerProblem: undefined, problem };
}

function checkHeader(buf: Buffer, firstIndex: number): ScanProblem | undefined {
  if (buf.length < SEGMENT_HEADER_BYTES) {
    return { offset: 0, reason: `segment header cut short (${buf.length} of ${SEGMENT_HEADER_BYTES} bytes)`, truncated: true };
  }
  if (!buf.subarray(0, 4).equals(MAGIC)) return { offset: 0, reason: "bad segment magic", truncated: false };
  const version = buf.readUInt8(4);
  if (version !== VERSION) return { offset: 4, reason: `unsupported segment version ${version}`, truncated: false };
  const stored = buf.readBigUInt64LE(8);
  if (stored !== BigInt(firstIndex)) {
    return { offset: 8, reason: `header first index ${stored} does not match file name index ${firstIndex}`, truncated: false };
  }
  return undefined;
}
