import type { SampleIterator } from "../../storage/index.js";
import { DecodeBuffer } from "../encoding/index.js";
import { TsdbWriteError } from "../errors.js";
import { BitReader } from "./bstream.js";

/** Samples one XOR chunk can hold: its count header is 16 bits. */
export const MAX_XOR_SAMPLES = 0xffff;

const HEADER_BYTES = 2;
// A new chunk's buffer; it doubles as samples need (a 120-sample chunk takes a few hundred bytes).
const INITIAL_BYTES = 32;
// Room one sample may need from the byte holding the next free bit: at most 7 bits already used
// there, then a 10-byte varint and a 77-bit value (the most any sample takes).
const MAX_SAMPLE_BYTES = 21;
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
  #stored: Uint8Array;
  // Once appending, the appender holds the bytes.
  #app: XorAppender | undefined;

  /** An empty chunk. */
  constructor() {
    this.#stored = new Uint8Array(HEADER_BYTES);
  }

  /** Wraps stored chunk bytes (copied, so the caller's buffer may be reused). */
  static fromBytes(bytes: Uint8Array): XorChunk {
    if (bytes.length < HEADER_BYTES) throw new TsdbWriteError(`xor chunk of ${bytes.length} bytes has no header`);
    const c = new XorChunk();
    c.#stored = bytes.slice();
    return c;
  }

  /** Samples in the chunk. */
  get numSamples(): number {
    const b = this.bytes();
    return ((b[0] as number) << 8) | (b[1] as number);
  }

  /** The encoded chunk (a view, valid until the next append). */
  bytes(): Uint8Array {
    return this.#app === undefined ? this.#stored : this.#app.bytes();
  }

  /** A fresh iterator over the chunk's samples. */
  iterator(): XorIterator {
    return new XorIterator(this.bytes());
  }

  /**
   * An appender continuing after the last sample. Its state is recovered by decoding the chunk,
   * and equals the state of the appender that wrote it, so appending in several sessions yields
   * the same bytes as appending in one.
   */
  appender(): XorAppender {
    const bytes = this.bytes();
    const it = new XorIterator(bytes);
    while (it.next());
    // A stored chunk may end in padding bits; continue right after the last sample's bits.
    this.#app = new XorAppender({ bytes, bitLength: it.bitPosition, state: it.state() });
    return this.#app;
  }
}

/** Where an appender continues an existing chunk: its bytes, the bits in use and the encoder state. */
export interface XorContinuation {
  readonly bytes: Uint8Array;
  readonly bitLength: number;
  readonly state: Readonly<XorState>;
}

/**
 * Appends samples to an XOR chunk it owns; times must not decrease (the format itself does not
 * check). The whole encoder is this one object and its byte buffer, and `reset` starts a new chunk
 * in the same memory, so a head holding one open chunk per series keeps few objects alive.
 */
export class XorAppender {
  #buf: Uint8Array;
  #bits: number;
  #t = 0;
  #tDelta = 0;
  #vhi = 0;
  #vlo = 0;
  #leading = NO_WINDOW;
  #trailing = 0;
  #split: Float64Bits | undefined;

  /**
   * An empty chunk, or one continuing `from` (see XorChunk.appender). `split` converts values to
   * their bits; owners of many appenders pass one to share, otherwise each makes its own.
   */
  constructor(from?: XorContinuation, split?: Float64Bits) {
    this.#split = split;
    if (from === undefined) {
      this.#buf = new Uint8Array(INITIAL_BYTES);
      this.#bits = HEADER_BYTES * 8;
      return;
    }
    const used = Math.ceil(from.bitLength / 8);
    this.#buf = new Uint8Array(Math.max(INITIAL_BYTES, used));
    this.#buf.set(from.bytes.subarray(0, used));
    this.#bits = from.bitLength;
    // Bits past the end may hold padding from a stored chunk; appends OR into them, so clear them.
    const tail = from.bitLength & 7;
    if (tail !== 0) this.#buf[used - 1] = (this.#buf[used - 1] as number) & (0xff << (8 - tail));
    const s = from.state;
    this.#t = s.t;
    this.#tDelta = s.tDelta;
    this.#vhi = s.vhi | 0;
    this.#vlo = s.vlo | 0;
    this.#leading = s.leading;
    this.#trailing = s.trailing;
  }

  /** Samples in the chunk. */
  get numSamples(): number {
    return ((this.#buf[0] as number) << 8) | (this.#buf[1] as number);
  }

  /** The encoded chunk (a view, valid until the next append or reset). */
  bytes(): Uint8Array {
    return this.#buf.subarray(0, (this.#bits + 7) >>> 3);
  }

  /** The value of the newest sample, bit for bit; NaN when the chunk is empty. */
  lastValue(): number {
    if (this.numSamples === 0) return NaN;
    return (this.#split ??= new Float64Bits()).join(this.#vhi, this.#vlo);
  }

  /** Empties the chunk, keeping its memory for the next one. */
  reset(): void {
    this.#buf.fill(0, 0, (this.#bits + 7) >>> 3);
    this.#bits = HEADER_BYTES * 8;
    this.#t = 0;
    this.#tDelta = 0;
    this.#vhi = 0;
    this.#vlo = 0;
    this.#leading = NO_WINDOW;
    this.#trailing = 0;
  }

  /** Adds one sample; the value's bits (NaN payloads, the sign of zero) are kept exactly. */
  append(t: number, v: number): void {
    const split = (this.#split ??= new Float64Bits());
    split.set(v);
    this.appendBits(t, split.hi, split.lo);
  }

  /** Adds one sample given the high and low 32 bits of its float64 value. */
  appendBits(t: number, vhi: number, vlo: number): void {
    const num = this.numSamples;
    if (num >= MAX_XOR_SAMPLES) throw new TsdbWriteError(`xor chunk is full (${MAX_XOR_SAMPLES} samples)`);
    if (this.#buf.length - (this.#bits >>> 3) < MAX_SAMPLE_BYTES) this.#grow();
    let tDelta = 0;
    if (num === 0) {
      if (Number.isSafeInteger(t) && Math.abs(t) < 2 ** 52) this.#uvarint(t >= 0 ? t * 2 : -t * 2 - 1);
      else {
        const x = BigInt.asIntN(64, BigInt(t));
        this.#uvarint64(BigInt.asUintN(64, (x << 1n) ^ (x >> 63n)));
      }
      this.#write(vhi, 32);
      this.#write(vlo, 32);
    } else if (num === 1) {
      tDelta = t - this.#t;
      if (tDelta >= 0 && Number.isSafeInteger(tDelta)) this.#uvarint(tDelta);
      else this.#uvarint64(BigInt.asUintN(64, BigInt(tDelta)));
      this.#writeValue(vhi, vlo);
    } else {
      tDelta = t - this.#t;
      this.#writeDod(tDelta - this.#tDelta);
      this.#writeValue(vhi, vlo);
    }
    this.#t = t;
    this.#tDelta = tDelta;
    // Kept as int32s: V8 holds those inline, where values past 2^31 would each need a heap box.
    this.#vhi = vhi | 0;
    this.#vlo = vlo | 0;
    this.#buf[0] = (num + 1) >>> 8;
    this.#buf[1] = (num + 1) & 0xff;
  }

  #grow(): void {
    const next = new Uint8Array(this.#buf.length * 2);
    next.set(this.#buf);
    this.#buf = next;
  }

  // Writes the low `n` bits of `v` (0 <= n <= 32), most significant first, into zeroed bits.
  #write(v: number, n: number): void {
    const buf = this.#buf;
    let bits = this.#bits;
    this.#bits = bits + n;
    while (n > 0) {
      const free = 8 - (bits & 7);
      const i = bits >>> 3;
      if (n >= free) {
        n -= free;
        buf[i] = (buf[i] as number) | ((v >>> n) & ((1 << free) - 1));
        bits += free;
      } else {
        buf[i] = (buf[i] as number) | ((v & ((1 << n) - 1)) << (free - n));
        return;
      }
    }
  }

  // Go's binary.PutUvarint of a non-negative safe integer, one byte at a time.
  #uvarint(v: number): void {
    while (v >= 0x80) {
      this.#write((v % 128) | 0x80, 8);
      v = Math.floor(v / 128);
    }
    this.#write(v, 8);
  }

  #uvarint64(v: bigint): void {
    while (v >= 0x80n) {
      this.#write(Number(v & 0x7fn) | 0x80, 8);
      v >>= 7n;
    }
    this.#write(Number(v), 8);
  }

  // Prometheus's buckets: 0, then 14, 17 and 20 bit two's-complement fields, then 64 bits.
  #writeDod(dod: number): void {
    if (dod === 0) this.#write(0, 1);
    else if (dod >= -8191 && dod <= 8192) {
      this.#write(0b10, 2);
      this.#write(dod & 0x3fff, 14);
    } else if (dod >= -65535 && dod <= 65536) {
      this.#write(0b110, 3);
      this.#write(dod & 0x1ffff, 17);
    } else if (dod >= -524287 && dod <= 524288) {
      this.#write(0b1110, 4);
      this.#write(dod & 0xfffff, 20);
    } else {
      this.#write(0b1111, 4);
      const u = BigInt.asUintN(64, BigInt(dod));
      this.#write(Number(u >> 32n), 32);
      this.#write(Number(u & 0xffffffffn), 32);
    }
  }

  #writeValue(vhi: number, vlo: number): void {
    const dhi = (vhi ^ this.#vhi) >>> 0;
    const dlo = (vlo ^ this.#vlo) >>> 0;
    if (dhi === 0 && dlo === 0) {
      this.#write(0, 1);
      return;
    }
    // The 5-bit field cannot hold 32 or more leading zeros.
    const leading = Math.min(31, dhi !== 0 ? Math.clz32(dhi) : 32 + Math.clz32(dlo));
    const trailing = dlo !== 0 ? ctz32(dlo) : 32 + ctz32(dhi);
    if (this.#leading !== NO_WINDOW && leading >= this.#leading && trailing >= this.#trailing) {
      this.#write(0b10, 2);
      this.#writeShiftedRight(dhi, dlo, this.#trailing, 64 - this.#leading - this.#trailing);
      return;
    }
    this.#leading = leading;
    this.#trailing = trailing;
    const sig = 64 - leading - trailing;
    // 64 significant bits do not fit in 6 bits; 0 stands for 64 since 0 bits never occur.
    this.#write((0b11 << 11) | (leading << 6) | (sig & 63), 13);
    this.#writeShiftedRight(dhi, dlo, trailing, sig);
  }

  // Writes the low `n` bits (0 < n <= 64) of the 64-bit value hi:lo shifted right by `shift`.
  #writeShiftedRight(hi: number, lo: number, shift: number, n: number): void {
    if (shift !== 0) {
      if (shift < 32) {
        lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
        hi = hi >>> shift;
      } else {
        lo = hi >>> (shift - 32);
        hi = 0;
      }
    }
    if (n > 32) {
      this.#write(hi, n - 32);
      this.#write(lo, 32);
    } else this.#write(lo, n);
  }
}

/**
 * Splits float64 values into their high and low 32-bit words through a scratch buffer, keeping
 * NaN payloads. One per owner: a value is read right after `set`, never kept.
 */
export class Float64Bits {
  readonly #f = new Float64Array(1);
  readonly #u = new Uint32Array(this.#f.buffer);
  readonly #hiIndex = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  /** High 32 bits of the last value set. */
  hi = 0;
  /** Low 32 bits of the last value set. */
  lo = 0;

  /** Splits `v` into `hi` and `lo`. */
  set(v: number): void {
    this.#f[0] = v;
    this.hi = this.#u[this.#hiIndex] as number;
    this.lo = this.#u[1 - this.#hiIndex] as number;
  }

  /** The float64 whose high and low words are `hi` and `lo` (as unsigned or signed 32-bit numbers). */
  join(hi: number, lo: number): number {
    this.#u[this.#hiIndex] = hi;
    this.#u[1 - this.#hiIndex] = lo;
    return this.#f[0] as number;
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
  // The current value as a float, decoded when its bits change (most samples repeat the XOR
  // window, many repeat the value), so value() is a field read.
  #v = 0;

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
      this.#setValue();
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
    return this.#v;
  }

  #setValue(): void {
    this.#view.setUint32(0, this.#s.vhi);
    this.#view.setUint32(4, this.#s.vlo);
    this.#v = this.#view.getFloat64(0);
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
    this.#setValue();
  }
}

function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}
