import { endianness } from "node:os";
import { MeridianError } from "../../model/index.js";

/** A read past the end of a buffer or a malformed number: the data is corrupt. */
export class DecodeError extends MeridianError {
  constructor(message: string) {
    super("tsdb_decode_error", message);
  }
}

const HOST_LITTLE_ENDIAN = endianness() === "LE";

/**
 * Appends Go `encoding/binary` uvarints and zigzag varints and big-endian fixed-width integers to
 * a growable buffer. Numbers beyond 2^53 go through the BigInt variants.
 */
export class EncodeBuffer {
  #buf: Uint8Array;
  #view: DataView;
  #len = 0;

  constructor(capacity = 256) {
    this.#buf = new Uint8Array(capacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far (a view; copy it to keep it past later writes). */
  get bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  get length(): number {
    return this.#len;
  }

  /** Bytes the buffer holds before it must grow. */
  get capacity(): number {
    return this.#buf.length;
  }

  /** Forgets the content, keeping the memory. */
  reset(): void {
    this.#len = 0;
  }

  putByte(b: number): void {
    this.#grow(1);
    this.#buf[this.#len++] = b;
  }

  putBytes(b: Uint8Array): void {
    this.#grow(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  putBE16(v: number): void {
    this.#grow(2);
    this.#view.setUint16(this.#len, v);
    this.#len += 2;
  }

  putBE32(v: number): void {
    this.#grow(4);
    this.#view.setUint32(this.#len, v >>> 0);
    this.#len += 4;
  }

  putBE64(v: bigint): void {
    this.#grow(8);
    this.#view.setBigUint64(this.#len, BigInt.asUintN(64, v));
    this.#len += 8;
  }

  putBE64Float(v: number): void {
    this.#grow(8);
    this.#view.setFloat64(this.#len, v);
    this.#len += 8;
  }

  /** A non-negative safe integer as a uvarint. */
  putUvarint(v: number): void {
    if (v < 0 || !Number.isSafeInteger(v)) {
      this.putUvarint64(BigInt(v));
      return;
    }
    this.#grow(10);
    const buf = this.#buf;
    let o = this.#len;
    while (v > 0x7fffffff) {
      buf[o++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    // Below 2^31 the rest runs on 32-bit integer operations.
    while (v >= 0x80) {
      buf[o++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[o++] = v;
    this.#len = o;
  }

  /** An unsigned 64-bit value as a uvarint. */
  putUvarint64(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    this.#grow(10);
    while (x >= 0x80n) {
      this.#buf[this.#len++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.#buf[this.#len++] = Number(x);
  }

  /** A signed safe integer as a zigzag varint. */
  putVarint(v: number): void {
    if (Number.isSafeInteger(v) && Math.abs(v) < 2 ** 52) this.putUvarint(v >= 0 ? v * 2 : -v * 2 - 1);
    else this.putVarint64(BigInt(v));
  }

  /** A signed 64-bit value as a zigzag varint. */
  putVarint64(v: bigint): void {
    const x = BigInt.asIntN(64, v);
    this.putUvarint64(BigInt.asUintN(64, (x << 1n) ^ (x >> 63n)));
  }

  /** A uvarint length followed by the UTF-8 bytes. */
  putUvarintString(s: string): void {
    // Label names and values are nearly always ASCII: copied char by char, with no Buffer made.
    const n = s.length;
    let ascii = n < 0x80;
    for (let i = 0; ascii && i < n; i++) ascii = s.charCodeAt(i) < 0x80;
    if (!ascii) {
      const b = Buffer.from(s, "utf8");
      this.putUvarint(b.length);
      this.putBytes(b);
      return;
    }
    this.#grow(n + 1);
    const buf = this.#buf;
    let o = this.#len;
    buf[o++] = n;
    for (let i = 0; i < n; i++) buf[o++] = s.charCodeAt(i);
    this.#len = o;
  }

  /**
   * A float64 stored in host byte order at `raw[offset]`, written big-endian byte by byte: bytes
   * are copied rather than the number read, because reading a NaN may not keep its payload (the
   * stale marker is one).
   */
  putFloat64Bytes(raw: Uint8Array, offset: number): void {
    this.#grow(8);
    const buf = this.#buf;
    const o = this.#len;
    if (HOST_LITTLE_ENDIAN) for (let b = 0; b < 8; b++) buf[o + b] = raw[offset + 7 - b] as number;
    else for (let b = 0; b < 8; b++) buf[o + b] = raw[offset + b] as number;
    this.#len = o + 8;
  }

  /** A non-negative safe integer as a big-endian 64-bit value, without going through BigInt. */
  putBE64Number(v: number): void {
    if (!(v >= 0 && Number.isSafeInteger(v))) {
      this.putBE64(BigInt(v));
      return;
    }
    this.#grow(8);
    this.#view.setUint32(this.#len, Math.floor(v / 2 ** 32));
    this.#view.setUint32(this.#len + 4, v >>> 0);
    this.#len += 8;
  }

  #grow(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
}

/**
 * Reads what EncodeBuffer writes, from a byte range, throwing DecodeError (never reading out of
 * range) when the data ends early or a varint overflows.
 */
export class DecodeBuffer {
  readonly #buf: Uint8Array;
  readonly #view: DataView;
  #off = 0;

  constructor(buf: Uint8Array) {
    this.#buf = buf;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Bytes not yet read. */
  get remaining(): number {
    return this.#buf.length - this.#off;
  }

  get offset(): number {
    return this.#off;
  }

  skip(n: number): void {
    this.#need(n);
    this.#off += n;
  }

  byte(): number {
    this.#need(1);
    return this.#buf[this.#off++] as number;
  }

  bytes(n: number): Uint8Array {
    this.#need(n);
    const out = this.#buf.subarray(this.#off, this.#off + n);
    this.#off += n;
    return out;
  }

  be16(): number {
    this.#need(2);
    const v = this.#view.getUint16(this.#off);
    this.#off += 2;
    return v;
  }

  be32(): number {
    this.#need(4);
    const v = this.#view.getUint32(this.#off);
    this.#off += 4;
    return v;
  }

  be64(): bigint {
    this.#need(8);
    const v = this.#view.getBigUint64(this.#off);
    this.#off += 8;
    return v;
  }

  be64Float(): number {
    this.#need(8);
    const v = this.#view.getFloat64(this.#off);
    this.#off += 8;
    return v;
  }

  /** A uvarint that must fit a safe integer. */
  uvarint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (!Number.isSafeInteger(result)) throw new DecodeError("uvarint exceeds 2^53");
        return result;
      }
      mul *= 128;
    }
    throw new DecodeError("uvarint overflows 64 bits");
  }

  /** A full 64-bit uvarint. */
  uvarint64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new DecodeError("uvarint overflows 64 bits");
  }

  /**
   * A zigzag varint as a number (exact within ±2^53). Plain arithmetic on the common path: this
   * runs for every chunk and WAL sample, and V8 has crashed optimizing the BigInt route
   * ("RepresentationChangerError ... UnsignedBigInt64") on this hot path.
   */
  varint(): number {
    const start = this.#off;
    let u = 0;
    let mul = 1;
    // Seven bytes carry 49 bits, always exact in a double; longer ones take the BigInt route.
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      u += (b & 0x7f) * mul;
      if (b < 0x80) return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
      mul *= 128;
    }
    this.#off = start;
    return Number(this.varint64());
  }

  /** A zigzag varint as a signed 64-bit BigInt. */
  varint64(): bigint {
    const u = this.uvarint64();
    return BigInt.asIntN(64, (u >> 1n) ^ -(u & 1n));
  }

  /** A uvarint length and that many UTF-8 bytes. */
  uvarintString(): string {
    const n = this.uvarint();
    return Buffer.from(this.bytes(n)).toString("utf8");
  }

  #need(n: number): void {
    if (this.#off + n > this.#buf.length) throw new DecodeError(`unexpected end of data: need ${n} bytes at offset ${this.#off} of ${this.#buf.length}`);
  }
}
