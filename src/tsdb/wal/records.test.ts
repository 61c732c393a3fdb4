import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Labels } from "../../model/index.js";
import { RecordDecodeError } from "./errors.js";
import {
  RecordType,
  decodeRecord,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
  encodeSamples,
  encodeSeries,
  encodeTombstones,
} from "./records.js";

function f64FromBits(bits: bigint): Float64Array {
  const out = new Float64Array(1);
  new DataView(out.buffer).setBigUint64(0, bits, true);
  return out;
}

function bitsAt(values: Float64Array, i: number): bigint {
  return new DataView(values.buffer, values.byteOffset).getBigUint64(i * 8, true);
}

describe("wal records", () => {
  it("encodes series as Prometheus does: BE64 ref, uvarint label count, uvarint strings", () => {
    const rec = encodeSeries([{ ref: 258, labels: Labels.fromRecord({ __name__: "up", job: "a" }) }]);
    assert.deepEqual(
      [...rec],
      [1, 0, 0, 0, 0, 0, 0, 1, 2, 2, 8, ...Buffer.from("__name__"), 2, ...Buffer.from("up"), 3, ...Buffer.from("job"), 1, ...Buffer.from("a")],
    );
    const [s] = decodeSeries(rec);
    assert.equal(s?.ref, 258);
    assert.equal(s?.labels.toString(), '{__name__="up", job="a"}');
  });

  it("encodes samples with a BE64 base and signed varint deltas", () => {
    const rec = encodeSamples({ refs: [5, 3], timestamps: [1000, 999], values: Float64Array.of(1, -2) });
    assert.deepEqual(
      [...rec],
      [
        2,
        ...[0, 0, 0, 0, 0, 0, 0, 5],
        ...[0, 0, 0, 0, 0, 0, 0x03, 0xe8],
        0, 0, ...[0x3f, 0xf0, 0, 0, 0, 0, 0, 0],
        3, 1, ...[0xc0, 0, 0, 0, 0, 0, 0, 0],
      ],
    );
    const d = decodeSamples(rec);
    assert.deepEqual([...d.refs], [5, 3]);
    assert.deepEqual([...d.timestamps], [1000, 999]);
    assert.deepEqual([...d.values], [1, -2]);
  });

  it("keeps NaN payloads, -0 and infinities bit for bit", () => {
    const patterns = [0x7ff0000000000002n, 0x7ff8000000000001n, 0xfff0000000000001n, 0x8000000000000000n, 0x7ff0000000000000n];
    const values = new Float64Array(patterns.length);
    patterns.forEach((p, i) => values.set(f64FromBits(p), i));
    const d = decodeSamples(encodeSamples({ refs: patterns.map(() => 1), timestamps: patterns.map((_, i) => -i), values }));
    patterns.forEach((p, i) => assert.equal(bitsAt(d.values, i), p, `sample ${i}`));
    assert.deepEqual([...d.timestamps], [0, -1, -2, -3, -4]);
  });

  it("encodes an empty samples record as the type byte alone", () => {
    const rec = encodeSamples({ refs: [], timestamps: [], values: new Float64Array(0) });
    assert.deepEqual([...rec], [RecordType.Samples]);
    assert.equal(decodeSamples(rec).values.length, 0);
  });

  it("round-trips tombstones, one entry per interval", () => {
    const stones = [
      { ref: 1, mint: -5, maxt: 10 },
      { ref: 1, mint: 20, maxt: 30 },
      { ref: 2 ** 40, mint: 0, maxt: 2 ** 50 },
    ];
    assert.deepEqual(decodeTombstones(encodeTombstones(stones)), stones);
  });

  it("reports record types it does not decode as other, and rejects damaged known ones", () => {
    assert.deepEqual(decodeRecord(Uint8Array.of(RecordType.Exemplars, 1, 2)), { type: "other", code: 4, name: "exemplars" });
    assert.deepEqual(decodeRecord(Uint8Array.of(200)), { type: "other", code: 200, name: "unknown" });
    assert.deepEqual(decodeRecord(new Uint8Array(0)), { type: "other", code: -1, name: "empty" });
    const rec = encodeSamples({ refs: [1], timestamps: [1], values: Float64Array.of(1) });
    assert.throws(() => decodeRecord(rec.subarray(0, rec.length - 1)), RecordDecodeError);
    assert.throws(() => decodeSeries(rec), RecordDecodeError);
  });

  it("round-trips random records (property)", () => {
    const ref = fc.nat({ max: 2 ** 40 });
    const time = fc.integer({ min: -(2 ** 45), max: 2 ** 45 });
    const label = fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ minLength: 1, maxLength: 8 }));
    fc.assert(
      fc.property(
        fc.array(fc.record({ ref, t: time, bits: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }), { maxLength: 40 }),
        fc.array(fc.record({ ref, labels: fc.array(label, { maxLength: 5 }) }), { maxLength: 10 }),
        (samples, series) => {
          const values = new Float64Array(samples.length);
          samples.forEach((s, i) => values.set(f64FromBits(s.bits), i));
          const d = decodeSamples(encodeSamples({ refs: samples.map((s) => s.ref), timestamps: samples.map((s) => s.t), values }));
          assert.deepEqual([...d.refs], samples.map((s) => s.ref));
          assert.deepEqual([...d.timestamps], samples.map((s) => s.t));
          samples.forEach((s, i) => assert.equal(bitsAt(d.values, i), s.bits));
          const input = series.map((s) => ({ ref: s.ref, labels: Labels.fromPairs(s.labels) }));
          const back = decodeSeries(encodeSeries(input));
          assert.equal(back.length, input.length);
          back.forEach((s, i) => {
            assert.equal(s.ref, input[i]?.ref);
            assert.ok(s.labels.equals(input[i]?.labels as Labels));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
