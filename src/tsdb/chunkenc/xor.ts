import type { SampleIterator } from "../../storage/index.js";
import { DecodeBuffer, EncodeBuffer } from "../encoding/index.js";
import { TsdbWriteError } from "../errors.js";
import { BitReader, BitWriter } from "./bstream.js";

/** Samples one XOR chunk can hold: its count header is 16 bits. */
export const MAX_XOR_SAMPLES = 0xffff;

const HEADER_BYTES = 2;
// No leading/trailing window has been chosen yet.
const NO_WINDOW = 0xff;

/** Encoder state: what the next sample is encoded against. */
interface XorState {
  t: number;
  tDelta: number;
  vhi: number;
  vlo: number;
  leading: number;
  trailing: number;
}

/**
 * A Gorilla-style float chunk, bit-exact with Prometheus's XOR encoding (encoding 1): a 16-bit
 * sample count, then timestamps as delta-of-delta and values XORed with their predecessor.
 * See docs/format.md for the layout.
 */
export class XorChunk {
  /** The chunk encoding byte stored in segment files. */
  readonly encoding = 1;
  #w: BitWriter;

  /** An empty chunk. */
  constructor() {
    this.#w = new BitWriter();
    this.#w.writeBits(0, 16);
  }

  /** Wraps stored chunk bytes (copied, so the caller's buffer may be reused). */
  static fromBytes(bytes: Uint8Array): XorChunk {
    if (bytes.length < HEADER_BYTES) throw new TsdbWriteError(`xor chunk of ${bytes.length} bytes has no header`);
    const c = new XorChunk();
    c.#w = new BitWriter(bytes);
    return c;
  }

  /** Samples in the chunk. */
  get numSamples(): number {
    const b = this.#w.raw();
    return ((b[0] as number) << 8) | (b[1] as number);
  }

  /** The encoded chunk (a view, valid until the next append). */
  bytes(): Uint8Array {
    return this.#w.bytes();
  }

  /** A fresh iterator over the chunk's samples. */
  iterator(): XorIterator {
    return new XorIterator(this.#w.bytes());
  }

  /**
   * An appender continuing after the last sample. Its state is recovered by decoding the chunk,
   * and equals the state of the appender that wrote it, so appending in several sessions yields
   * the same bytes as appending in one.
   */
  appender(): XorAppender {
    const it = this.iterator();
    while (it.next());
    const state = it.state();
    // A stored chunk may end in padding bits; continue right after the last sample's bits.
    this.#w = new BitWriter(this.#w.bytes(), it.bitPosition);
    return new XorAppender(this.#w, state);
  }
}

/** Appends samples to an XorChunk; times must not decrease (the format itself does not check). */
export class XorAppender {
  readonly #w: BitWriter;
  readonly #s: XorState;
  readonly #scratch = new EncodeBuffer(10);
  readonly #view = new DataView(new ArrayBuffer(8));

  /** Use XorChunk.appender(). */
  constructor(w: BitWriter, state: XorState) {
    this.#w = w;
    this.#s = state;
  }

  /** Adds one sample; the value's bits (NaN payloads, the sign of zero) are kept exactly. */
  append(t: number, v: number): void {
    const raw = this.#w.raw();
    const num = ((raw[0] as number) << 8) | (raw[1] as number);
    if (num >= MAX_XOR_SAMPLES) throw new TsdbWriteError(`xor chunk is full (${MAX_XOR_SAMPLES} samples)`);
    this.#view.setFloat64(0, v);
    const vhi = this.#view.getUint32(0);
    const vlo = this.#view.getUint32(4);
    const s = this.#s;
    let tDelta = 0;
    if (num === 0) {
      this.#putBytes((e) => e.putVarint(t));
      this.#w.writeBits(vhi, 32);
      this.#w.writeBits(vlo, 32);
    } else if (num === 1) {
      tDelta = t - s.t;
      this.#putBytes((e) => e.putUvarint(tDelta));
      this.#writeValue(vhi, vlo);
    } else {
      tDelta = t - s.t;
      this.#writeDod(tDelta - s.tDelta);
      this.#writeValue(vhi, vlo);
    }
    s.t = t;
    s.tDelta = tDelta;
    s.vhi = vhi;
    s.vlo = vlo;
    // The writer may have grown into a new buffer.
    const out = this.#w.raw();
    out[0] = (num + 1) >>> 8;
    out[1] = (num + 1) & 0xff;
  }

  #putBytes(write: (e: EncodeBuffer) => void): void {
    this.#scratch.reset();
    write(this.#scratch);
    for (const b of this.#scratch.bytes) this.#w.writeBits(b, 8);
  }

  // Prometheus's buckets: 0, then 14, 17 and 20 bit two's-complement fields, then 64 bits.
  #writeDod(dod: number): void {
    const w = this.#w;
    if (dod === 0) w.writeBits(0, 1);
    else if (fits(dod, 14)) {
      w.writeBits(0b10, 2);
      w.writeBits(dod & 0x3fff, 14);
    } else if (fits(dod, 17)) {
      w.writeBits(0b110, 3);
      w.writeBits(dod & 0x1ffff, 17);
    } else if (fits(dod, 20)) {
      w.writeBits(0b1110, 4);
      w.writeBits(dod & 0xfffff, 20);
    } else {
      w.writeBits(0b1111, 4);
      const u = BigInt.asUintN(64, BigInt(dod));
      w.writeBits(Number(u >> 32n), 32);
      w.writeBits(Number(u & 0xffffffffn), 32);
    }
  }

  #writeValue(vhi: number, vlo: number): void {
    const w = this.#w;
    const s = this.#s;
    const dhi = (vhi ^ s.vhi) >>> 0;
    const dlo = (vlo ^ s.vlo) >>> 0;
    if (dhi === 0 && dlo === 0) {
      w.writeBits(0, 1);
      return;
    }
    w.writeBits(1, 1);
    // The 5-bit field cannot hold 32 or more leading zeros.
    const leading = Math.min(31, dhi !== 0 ? Math.clz32(dhi) : 32 + Math.clz32(dlo));
    const trailing = dlo !== 0 ? ctz32(dlo) : 32 + ctz32(dhi);
    if (s.leading !== NO_WINDOW && leading >= s.leading && trailing >= s.trailing) {
      w.writeBits(0, 1);
      writeShiftedRight(w, dhi, dlo, s.trailing, 64 - s.leading - s.trailing);
      return;
    }
    s.leading = leading;
    s.trailing = trailing;
    const sig = 64 - leading - trailing;
    w.writeBits(1, 1);
    w.writeBits(leading, 5);
    // 64 significant bits do not fit in 6 bits; 0 stands for 64 since 0 bits never occur.
    w.writeBits(sig & 63, 6);
    writeShiftedRight(w, dhi, dlo, trailing, sig);
  }
}

/** Iterates an XOR chunk's samples; stops after the count in the header, ignoring padding. */
export class XorIterator implements SampleIterator {
  readonly #r: BitReader;
  readonly #count: number;
  readonly #view = new DataView(new ArrayBuffer(8));
  readonly #s: XorState = { t: 0, tDelta: 0, vhi: 0, vlo: 0, leading: NO_WINDOW, trailing: 0 };
  #read = 0;
  #done = false;

  /** Iterates the chunk in `bytes` (header included). */
  constructor(bytes: Uint8Array) {
    this.#r = new BitReader(bytes, HEADER_BYTES * 8);
    this.#count = bytes.length < HEADER_BYTES ? 0 : ((bytes[0] as number) << 8) | (bytes[1] as number);
  }

  /** Bit offset just past the last sample read. */
  get bitPosition(): number {
    return this.#r.position;
  }

  /** A copy of the decoder state, for continuing the chunk. */
  state(): XorState {
    return { ...this.#s };
  }

  next(): boolean {
    if (this.#done || this.#read >= this.#count) {
      this.#done = true;
      return false;
    }
    const r = this.#r;
    const s = this.#s;
    if (this.#read === 0) {
      s.t = this.#alignedNumber((d) => d.varint());
      s.vhi = r.readBits(32);
      s.vlo = r.readBits(32);
    } else if (this.#read === 1) {
      s.tDelta = this.#alignedNumber((d) => Number(BigInt.asIntN(64, d.uvarint64())));
      s.t += s.tDelta;
      this.#readValue();
    } else {
      s.tDelta += this.#readDod();
      s.t += s.tDelta;
      this.#readValue();
    }
    this.#read++;
    return true;
  }

  seek(t: number): boolean {
    if (this.#done) return false;
    while (this.#read === 0 || this.#s.t < t) {
      if (!this.next()) return false;
    }
    return true;
  }

  at(): number {
    return this.#s.t;
  }

  value(): number {
    this.#view.setUint32(0, this.#s.vhi);
    this.#view.setUint32(4, this.#s.vlo);
    return this.#view.getFloat64(0);
  }

  // The first two timestamps are whole bytes at a byte boundary (see docs/format.md).
  #alignedNumber(read: (d: DecodeBuffer) => number): number {
    const start = this.#r.position >>> 3;
    const d = new DecodeBuffer(this.#r.buffer.subarray(start));
    const n = read(d);
    this.#r.position = (start + d.offset) * 8;
    return n;
  }

  #readDod(): number {
    const r = this.#r;
    // The prefix is 0, 10, 110, 1110 or 1111: look at 4 bits at once, consume what it used.
    const p = r.peek4();
    // An n-bit field holds [-(2^(n-1) - 1), 2^(n-1)]: values above 2^(n-1) are negative.
    if ((p & 0b1000) === 0) {
      r.skip(1);
      return 0;
    }
    if ((p & 0b0100) === 0) {
      r.skip(2);
      const b = r.readBits(14);
      return b > 8192 ? b - 16384 : b;
    }
    if ((p & 0b0010) === 0) {
      r.skip(3);
      const b = r.readBits(17);
      return b > 65536 ? b - 131072 : b;
    }
    r.skip(4);
    if ((p & 0b0001) === 0) {
      const b = r.readBits(20);
      return b > 524288 ? b - 1048576 : b;
    }
    const hi = r.readBits(32);
    const lo = r.readBits(32);
    return (hi | 0) * 4294967296 + lo;
  }

  #readValue(): void {
    const r = this.#r;
    const s = this.#s;
    if (!r.readBit()) return;
    let sig: number;
    if (!r.readBit()) {
      sig = 64 - s.leading - s.trailing;
    } else {
      s.leading = r.readBits(5);
      sig = r.readBits(6) || 64;
      s.trailing = 64 - s.leading - sig;
    }
    const hi = sig > 32 ? r.readBits(sig - 32) : 0;
    const lo = r.readBits(Math.min(sig, 32));
    const t = s.trailing;
    if (t === 0) {
      s.vhi = (s.vhi ^ hi) >>> 0;
      s.vlo = (s.vlo ^ lo) >>> 0;
    } else if (t < 32) {
      s.vhi = (s.vhi ^ ((hi << t) | (lo >>> (32 - t)))) >>> 0;
      s.vlo = (s.vlo ^ (lo << t)) >>> 0;
    } else {
      s.vhi = (s.vhi ^ (lo << (t - 32))) >>> 0;
    }
  }
}

// Whether dod fits Prometheus's n-bit bucket: [-(2^(n-1) - 1), 2^(n-1)].
function fits(dod: number, n: 14 | 17 | 20): boolean {
  // Constants, not 2 ** (n - 1): V8 compiles a variable exponent to a slow generic call.
  const half = n === 14 ? 8192 : n === 17 ? 65536 : 524288;
  return dod >= -(half - 1) && dod <= half;
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

function writeShiftedRight(w: BitWriter, hi: number, lo: number, shift: number, n: number): void {
  if (shift === 0) w.writeBits64(hi, lo, n);
  else if (shift < 32) w.writeBits64(hi >>> shift, ((lo >>> shift) | (hi << (32 - shift))) >>> 0, n);
  else w.writeBits64(0, hi >>> (shift - 32), n);
}
