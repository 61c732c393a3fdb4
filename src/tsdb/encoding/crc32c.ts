/**
 * CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF), the checksum
 * of every Prometheus TSDB file (index sections, chunks, tombstones, WAL records). Node has only
 * the IEEE CRC-32 (`zlib.crc32`), so this one is computed here, eight bytes per step with eight
 * tables ("slicing-by-8"), several times faster than a byte at a time on WAL-sized records.
 */
export class Crc32c {
  static readonly #tables: Uint32Array = (() => {
    const t = new Uint32Array(8 * 256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    // Table k maps a byte to its CRC followed by k zero bytes.
    for (let n = 0; n < 256; n++) {
      for (let k = 1; k < 8; k++) {
        const prev = t[(k - 1) * 256 + n] as number;
        t[k * 256 + n] = ((t[prev & 0xff] as number) ^ (prev >>> 8)) >>> 0;
      }
    }
    return t;
  })();

  #crc = 0xffffffff;

  /** Adds bytes to the running checksum. */
  update(bytes: Uint8Array): this {
    const t = Crc32c.#tables;
    let c = this.#crc;
    const n = bytes.length;
    let i = 0;
    for (; i + 8 <= n; i += 8) {
      const lo = c ^ ((bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24));
      c =
        (t[1792 + (lo & 0xff)] as number) ^
        (t[1536 + ((lo >>> 8) & 0xff)] as number) ^
        (t[1280 + ((lo >>> 16) & 0xff)] as number) ^
        (t[1024 + (lo >>> 24)] as number) ^
        (t[768 + (bytes[i + 4] as number)] as number) ^
        (t[512 + (bytes[i + 5] as number)] as number) ^
        (t[256 + (bytes[i + 6] as number)] as number) ^
        (t[bytes[i + 7] as number] as number);
    }
    for (; i < n; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
    this.#crc = c;
    return this;
  }

  /** The checksum of everything added so far, as an unsigned 32-bit number. */
  digest(): number {
    return (this.#crc ^ 0xffffffff) >>> 0;
  }
}

/** CRC-32C of one byte range. */
export function crc32c(bytes: Uint8Array): number {
  return new Crc32c().update(bytes).digest();
}
