/**
 * Decodes one Snappy block (the raw format, not the framed stream): a uvarint of the decoded
 * length, then literal and back-reference elements. Prometheus 2.x compresses WAL records this way
 * by default (`--storage.tsdb.wal-compression`), so reading its WAL needs it. Throws on malformed
 * input; the caller turns that into a corruption error with the record's position.
 */
export function snappyDecode(src: Uint8Array): Uint8Array {
  let pos = 0;
  let outLen = 0;
  let mul = 1;
  for (;;) {
    if (pos >= src.length || pos >= 5) throw new Error("snappy: bad length preamble");
    const b = src[pos++] as number;
    outLen += (b & 0x7f) * mul;
    if (b < 0x80) break;
    mul *= 128;
  }
  if (outLen > 0xffffffff) throw new Error("snappy: decoded length too large");
  const out = new Uint8Array(outLen);
  let o = 0;
  while (pos < src.length) {
    const tag = src[pos++] as number;
    let length: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        length = tag >>> 2;
        if (length >= 60) {
          const n = length - 59;
          if (pos + n > src.length) throw new Error("snappy: truncated literal length");
          length = 0;
          for (let i = 0; i < n; i++) length += (src[pos + i] as number) * 2 ** (8 * i);
          pos += n;
        }
        length += 1;
        if (pos + length > src.length) throw new Error("snappy: truncated literal");
        if (o + length > outLen) throw new Error("snappy: literal overflows decoded length");
        out.set(src.subarray(pos, pos + length), o);
        pos += length;
        o += length;
        continue;
      }
      case 1:
        if (pos + 1 > src.length) throw new Error("snappy: truncated copy");
        length = 4 + ((tag >>> 2) & 7);
        offset = ((tag & 0xe0) << 3) | (src[pos] as number);
        pos += 1;
        break;
      case 2:
        if (pos + 2 > src.length) throw new Error("snappy: truncated copy");
        length = 1 + (tag >>> 2);
        offset = (src[pos] as number) | ((src[pos + 1] as number) << 8);
        pos += 2;
        break;
      default:
        if (pos + 4 > src.length) throw new Error("snappy: truncated copy");
        length = 1 + (tag >>> 2);
        offset =
          ((src[pos] as number) | ((src[pos + 1] as number) << 8) | ((src[pos + 2] as number) << 16)) +
          (src[pos + 3] as number) * 2 ** 24;
        pos += 4;
        break;
    }
    if (offset === 0 || offset > o) throw new Error(`snappy: copy offset ${offset} out of range at ${o}`);
    if (o + length > outLen) throw new Error("snappy: copy overflows decoded length");
    // Copies may overlap their own output (run-length style), so go byte by byte.
    for (let i = 0; i < length; i++, o++) out[o] = out[o - offset] as number;
  }
  if (o !== outLen) throw new Error(`snappy: decoded ${o} bytes, preamble says ${outLen}`);
  return out;
}
