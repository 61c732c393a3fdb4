import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DecodeBuffer, EncodeBuffer, crc32c } from "./index.js";

describe("tsdb encoding", () => {
  it("computes CRC-32C check values", () => {
    // The standard check value of CRC-32C over "123456789".
    assert.equal(crc32c(Buffer.from("123456789")), 0xe3069283);
    assert.equal(crc32c(new Uint8Array(0)), 0);
  });

  it("round-trips uvarints, varints and strings, as Go encodes them", () => {
    const e = new EncodeBuffer(4);
    const uv = [0, 1, 127, 128, 300, 16384, 2 ** 32, 2 ** 53 - 1];
    const v = [0, -1, 1, -64, 64, -(2 ** 40), 2 ** 40, Number.MIN_SAFE_INTEGER + 1];
    for (const x of uv) e.putUvarint(x);
    for (const x of v) e.putVarint(x);
    e.putVarint64(-(2n ** 63n));
    e.putUvarint64(2n ** 64n - 1n);
    e.putUvarintString("°C and ✓");
    e.putBE32(0xdeadbeef);
    e.putBE64Float(-0);
    const d = new DecodeBuffer(e.bytes);
    for (const x of uv) assert.equal(d.uvarint(), x);
    for (const x of v) assert.equal(d.varint(), x);
    assert.equal(d.varint64(), -(2n ** 63n));
    assert.equal(d.uvarint64(), 2n ** 64n - 1n);
    assert.equal(d.uvarintString(), "°C and ✓");
    assert.equal(d.be32(), 0xdeadbeef);
    assert.ok(Object.is(d.be64Float(), -0));
    assert.equal(d.remaining, 0);
    assert.throws(() => d.byte(), { code: "tsdb_decode_error" });
  });

  it("matches Go's byte layout for known values", () => {
    const e = new EncodeBuffer();
    e.putUvarint(300);
    e.putVarint(-3);
    assert.deepEqual([...e.bytes], [0xac, 0x02, 0x05]);
  });
});
