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
    if (this.#pos + n > this.#buf.length * 8) throw new DecodeError("bit stream ended early");
    let v = 0;
    while (n > 0) {
      const off = this.#pos & 7;
      const avail = 8 - off;
      const take = Math.min(avail, n);
      const chunk = ((this.#buf[this.#pos >>> 3] as number) >>> (avail - take)) & ((1 << take) - 1);
      v = v * (1 << take) + chunk;
      this.#pos += take;
      n -= take;
    }
    return v;
  }
}
