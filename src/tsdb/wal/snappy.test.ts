import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { snappyDecode } from "./snappy.js";

describe("snappy block decoding", () => {
  const cases: { name: string; input: number[]; output: string }[] = [
    { name: "empty", input: [0], output: "" },
    { name: "one literal", input: [5, 4 << 2, ...Buffer.from("hello")], output: "hello" },
    // "abcd" then copy1 (length 4 + 4, offset 4) repeats it twice, overlapping its own output.
    { name: "overlapping copy1", input: [12, 3 << 2, ...Buffer.from("abcd"), 0x01 | (4 << 2), 4], output: "abcdabcdabcd" },
    // copy2: length 3, offset 2.
    { name: "copy2", input: [5, 1 << 2, ...Buffer.from("xy"), 0x02 | (2 << 2), 2, 0], output: "xyxyx" },
    // copy4: length 2, offset 1.
    { name: "copy4", input: [3, 0, ...Buffer.from("z"), 0x03 | (1 << 2), 1, 0, 0, 0], output: "zzz" },
    // A literal whose length (61) needs one extra length byte (tag 60).
    { name: "long literal", input: [61, 60 << 2, 60, ...Buffer.from("q".repeat(61))], output: "q".repeat(61) },
  ];
  for (const c of cases) {
    it(`decodes ${c.name}`, () => {
      assert.equal(Buffer.from(snappyDecode(Uint8Array.from(c.input))).toString(), c.output);
    });
  }

  it("rejects malformed blocks", () => {
    assert.throws(() => snappyDecode(Uint8Array.of(4, 0x01 | (0 << 2), 1)), /offset/);
    assert.throws(() => snappyDecode(Uint8Array.of(9, 4 << 2, 1, 2)), /truncated literal/);
    assert.throws(() => snappyDecode(Uint8Array.of(2, 0, 65)), /decoded 1 bytes/);
  });
});
