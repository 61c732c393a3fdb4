/**
 * CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF), the checksum
 * of every Prometheus TSDB file (index sections, chunks, tombstones, WAL records). Node has only
 * the IEEE CRC-32 (`zlib.crc32`), so this one is table-driven by hand.
 */
export class Crc32c {
  static readonly #table: Uint32Array = (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  })();

  #crc = 0xffffffff;

  /** Adds bytes to the running checksum. */
  update(bytes: Uint8Array): this {
    const t = Crc32c.#table;
    let c = this.#crc;
    for (let i = 0; i < bytes.length; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
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
