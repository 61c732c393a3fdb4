import { DecodeError } from "../encoding/index.js";

/**
 * A bit stream written most significant bit first, as Prometheus's `bstream`: each field's top
 * bit lands in the highest free bit of the current byte, and the last byte is zero-padded.
 */
export class BitWriter {
  #buf: Uint8Array;
  #bits = 0;

  constructor(initial?: Uint8Array, bitLength = (initial?.length ?? 0) * 8) {
    this.#buf = new Uint8Array(Math.max(16, initial?.length ?? 0));
    if (initial !== undefined) this.#buf.set(initial.subarray(0, Math.ceil(bitLength / 8)));
    this.#bits = bitLength;
    // Bits past the end may hold padding from a stored chunk; appends OR into them, so clear them.
    const tail = bitLength & 7;
    if (tail !== 0) this.#buf[bitLength >>> 3] = (this.#buf[bitLength >>> 3] as number) & (0xff << (8 - tail));
  }

  /** Number of bits written. */
  get bitLength(): number {
    return this.#bits;
  }

  /** The written bytes, the last one zero-padded (a view; later writes may change it). */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, Math.ceil(this.#bits / 8));
  }

  /** The whole buffer, for in-place header rewrites. */
  raw(): Uint8Array {
    return this.#buf;
  }

  writeBit(bit: boolean): void {
    this.writeBits(bit ? 1 : 0, 1);
  }

  /** Writes the low `n` bits of `v` (0 ≤ n ≤ 32), most significant first. */
  writeBits(v: number, n: number): void {
    this.#grow(n);
    while (n > 0) {
      const free = 8 - (this.#bits & 7);
      const take = Math.min(free, n);
      const chunk = (v >>> (n - take)) & ((1 << take) - 1);
      const i = this.#bits >>> 3;
      this.#buf[i] = (this.#buf[i] as number) | (chunk << (free - take));
      this.#bits += take;
      n -= take;
    }
  }

  /** Writes the low `n` bits (0 ≤ n ≤ 64) of the 64-bit value `hi:lo`. */
  writeBits64(hi: number, lo: number, n: number): void {
    if (n > 32) {
      this.writeBits(hi, n - 32);
      this.writeBits(lo, 32);
    } else {
      this.writeBits(lo, n);
    }
  }

  #grow(n: number): void {
    const need = Math.ceil((this.#bits + n) / 8);
    if (need <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(need, this.#buf.length * 2));
    next.set(this.#buf);
    this.#buf = next;
  }
}

/** Reads what BitWriter writes; a read past the end throws DecodeError. */
export class BitReader {
  readonly #buf: Uint8Array;
  #pos: number;

  constructor(buf: Uint8Array, bitOffset = 0) {
    this.#buf = buf;
    this.#pos = bitOffset;
  }

  /** Bits consumed so far (from the start of the buffer). */
  get position(): number {
    return this.#pos;
  }

  /** The buffer, for byte-aligned decoding by other readers. */
  get buffer(): Uint8Array {
    return this.#buf;
  }

  /** Moves to an absolute bit position. */
  set position(p: number) {
    this.#pos = p;
  }

  readBit(): boolean {
    const i = this.#pos >>> 3;
    if (i >= this.#buf.length) throw new DecodeError("bit stream ended early");
    const bit = ((this.#buf[i] as number) >>> (7 - (this.#pos & 7))) & 1;
    this.#pos++;
    return bit === 1;
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned number. */
  readBits(n: number): number {
    const pos = this.#pos;
    const buf = this.#buf;
    const len = buf.length;
    if (pos + n > len * 8) throw new DecodeError("bit stream ended early");
    if (n === 0) return 0;
    // The bits lie within 5 bytes from byte `i`: take 4 of them as one big-endian word, and the
    // 5th when the field crosses it. Bytes past the end count as 0 and are never read (a read
    // past a typed array's end would make V8 handle `undefined` here: much slower).
    const i = pos >>> 3;
    const off = pos & 7;
    const word =
      i + 3 < len
        ? (((buf[i] as number) << 24) | ((buf[i + 1] as number) << 16) | ((buf[i + 2] as number) << 8) | (buf[i + 3] as number)) >>> 0
        : this.#tailWord(i);
    this.#pos = pos + n;
    if (off + n <= 32) return ((word << off) >>> 0) >>> (32 - n);
    const high = 32 - off;
    const low = n - high;
    const fifth = i + 4 < len ? (buf[i + 4] as number) : 0;
    // `* (1 << low)`, not `* 2 ** low`: V8 compiles a variable exponent to a slow generic call.
    return (((word << off) >>> 0) >>> off) * (1 << low) + (fifth >>> (8 - low));
  }

  // The big-endian word at byte `i` with the bytes past the end as 0.
  #tailWord(i: number): number {
    const buf = this.#buf;
    let w = 0;
    for (let k = 0; k < 4; k++) w = w * 256 + (i + k < buf.length ? (buf[i + k] as number) : 0);
    return w;
  }


  /**
   * The next 4 bits, zero-padded past the end, without consuming them (delta-of-delta prefixes).
   */
  peek4(): number {
    const pos = this.#pos;
    const i = pos >>> 3;
    const off = pos & 7;
    const buf = this.#buf;
    const first = i < buf.length ? (buf[i] as number) : 0;
    const second = i + 1 < buf.length ? (buf[i + 1] as number) : 0;
    const two = (first << 8) | second;
    return (two >>> (12 - off)) & 0xf;
  }

  /** Consumes `n` bits already looked at; throws DecodeError past the end. */
  skip(n: number): void {
    if (this.#pos + n > this.#buf.length * 8) throw new DecodeError("bit stream ended early");
    this.#pos += n;
  }

}
