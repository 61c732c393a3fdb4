import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FRAME_HEADER_BYTES, SEGMENT_HEADER_BYTES, encodeFrame, encodeSegmentHeader, scanSegment } from "./segment-format.js";
import { SNAPSHOT_HEADER_BYTES, decodeSnapshotFile, encodeSnapshotFile } from "./snapshot-format.js";

const LIMIT = 1 << 20;
const payloads = ["a", "", '{"k":"välue"}', "x".repeat(300)].map((s) => Buffer.from(s, "utf8"));

function segment(first: number, items: Buffer[]): Buffer {
  return Buffer.concat([encodeSegmentHeader(first), ...items.map(encodeFrame)]);
}

describe("segment format", () => {
  it("round-trips frames, including an empty payload", () => {
    const scan = scanSegment(segment(7, payloads), 7, LIMIT);
    assert.equal(scan.headerProblem, undefined);
    assert.equal(scan.problem, undefined);
    assert.deepEqual(scan.payloads.map((p) => Buffer.from(p).toString("utf8")), payloads.map((p) => p.toString("utf8")));
  });

  it("stops at exactly the complete frames when cut at every byte offset", () => {
    const whole = segment(1, payloads);
    const ends = [SEGMENT_HEADER_BYTES];
    for (const p of payloads) ends.push((ends.at(-1) as number) + FRAME_HEADER_BYTES + p.length);
    for (let cut = SEGMENT_HEADER_BYTES; cut <= whole.length; cut++) {
      const scan = scanSegment(whole.subarray(0, cut), 1, LIMIT);
      const complete = ends.filter((e) => e <= cut).length - 1;
      assert.equal(scan.payloads.length, complete, `cut at ${cut}`);
      assert.equal(scan.validBytes, ends[complete]);
      assert.equal(scan.problem === undefined, cut === ends[complete], `cut at ${cut}`);
      if (scan.problem) assert.equal(scan.problem.truncated, true);
    }
  });

  it("detects a flipped bit anywhere in a frame, length field included", () => {
    const whole = segment(1, payloads.slice(0, 3));
    const lastStart = whole.length - FRAME_HEADER_BYTES - (payloads[2] as Buffer).length;
    for (let at = lastStart; at < whole.length; at++) {
      const bad = Buffer.from(whole);
      bad[at] = (bad[at] as number) ^ 0x10;
      const scan = scanSegment(bad, 1, LIMIT);
      assert.equal(scan.payloads.length, 2, `flip at ${at}`);
      assert.equal(scan.problem?.offset, lastStart);
    }
  });

  const headerCases: { name: string; bytes: Buffer; firstIndex: number; truncated: boolean }[] = [
    { name: "empty file", bytes: Buffer.alloc(0), firstIndex: 1, truncated: true },
    { name: "partial header", bytes: encodeSegmentHeader(1).subarray(0, 9), firstIndex: 1, truncated: true },
    { name: "zeroed header", bytes: Buffer.alloc(SEGMENT_HEADER_BYTES), firstIndex: 1, truncated: false },
    { name: "index mismatch", bytes: encodeSegmentHeader(5), firstIndex: 6, truncated: false },
  ];
  for (const c of headerCases) {
    it(`reports a header problem: ${c.name}`, () => {
      const scan = scanSegment(c.bytes, c.firstIndex, LIMIT);
      assert.equal(scan.headerProblem?.truncated, c.truncated);
      assert.equal(scan.validBytes, 0);
    });
  }

  it("refuses a frame longer than the limit without reading it", () => {
    const scan = scanSegment(segment(1, [Buffer.alloc(100)]), 1, 99);
    assert.equal(scan.payloads.length, 0);
    assert.match(scan.problem?.reason ?? "", /exceeds the limit/);
  });
});

describe("snapshot format", () => {
  it("round-trips and rejects any single flipped byte or a wrong index", () => {
    const file = encodeSnapshotFile(42, Buffer.from('{"a":1}'));
    const ok = decodeSnapshotFile(file, 42);
    assert.ok(ok.ok);
    assert.equal(Buffer.from(ok.payload).toString(), '{"a":1}');
    assert.equal(decodeSnapshotFile(file, 43).ok, false);
    for (let at = 0; at < file.length; at++) {
      if (at >= 5 && at < 8) continue; // reserved bytes
      if (at >= 28 && at < SNAPSHOT_HEADER_BYTES) continue;
      const bad = Buffer.from(file);
      bad[at] = (bad[at] as number) ^ 1;
      assert.equal(decodeSnapshotFile(bad, 42).ok, false, `flip at ${at}`);
    }
    assert.equal(decodeSnapshotFile(file.subarray(0, file.length - 1), 42).ok, false);
  });
});
