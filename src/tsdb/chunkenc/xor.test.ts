import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { STALE_NAN_BITS } from "../../storage/index.js";
import { XorChunk } from "./index.js";

type Sample = readonly [t: number, bits: bigint];

const view = new DataView(new ArrayBuffer(8));
const fromBits = (b: bigint): number => {
  view.setBigUint64(0, b);
  return view.getFloat64(0);
};
const toBits = (v: number): bigint => {
  view.setFloat64(0, v);
  return view.getBigUint64(0);
};

function encode(samples: readonly Sample[], sessions = 1): XorChunk {
  let chunk = new XorChunk();
  const per = Math.ceil(samples.length / sessions);
  for (let i = 0; i < samples.length; i += per) {
    // Reload from bytes each session, as a chunk read back from disk would be.
    if (i > 0) chunk = XorChunk.fromBytes(chunk.bytes().slice());
    const app = chunk.appender();
    for (const [t, b] of samples.slice(i, i + per)) app.append(t, fromBits(b));
  }
  return chunk;
}

function decode(chunk: XorChunk): Sample[] {
  const out: Sample[] = [];
  const it = chunk.iterator();
  while (it.next()) out.push([it.at(), toBits(it.value())]);
  return out;
}

const specialBits = [
  STALE_NAN_BITS,
  toBits(NaN),
  0x7ff8000000000001n,
  0xfff8000000000000n,
  toBits(Infinity),
  toBits(-Infinity),
  toBits(-0),
  0n,
  toBits(Number.MAX_VALUE),
  toBits(Number.MIN_VALUE),
  toBits(1e-300),
];

const valueBits = fc.oneof(
  fc.constantFrom(...specialBits),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  fc.double().map(toBits),
  fc.integer({ min: -1000, max: 1000 }).map((n) => toBits(n)),
);

// Time steps from the usual (15 s with ms jitter) to the extreme (more than 2^40 ms), never negative.
const step = fc.oneof(
  fc.integer({ min: 14_990, max: 15_010 }),
  fc.constantFrom(0, 1, 8191, 8192, 8193, 65_536, 524_288, 524_289, 2 ** 40),
  fc.integer({ min: 0, max: 2 ** 31 }),
);

const series = fc
  .tuple(fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), fc.array(fc.tuple(step, valueBits), { minLength: 0, maxLength: 300 }))
  .map(([start, steps]) => {
    let t = start;
    return steps.map(([d, b]): Sample => [(t += d), b]);
  });

describe("xor chunk", () => {
  it("round-trips random series bit for bit, in one or several append sessions", () => {
    fc.assert(
      fc.property(series, fc.integer({ min: 1, max: 5 }), (samples, sessions) => {
        const one = encode(samples);
        assert.equal(one.numSamples, samples.length);
        assert.deepEqual(decode(one), samples);
        const many = encode(samples, sessions);
        assert.deepEqual([...many.bytes()], [...one.bytes()], "continuing a chunk writes what one session writes");
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the stale marker's exact bits", () => {
    const c = encode([
      [1, toBits(1)],
      [2, STALE_NAN_BITS],
      [3, toBits(NaN)],
      [4, STALE_NAN_BITS],
    ]);
    assert.deepEqual(decode(c).map(([, b]) => b), [toBits(1), STALE_NAN_BITS, toBits(NaN), STALE_NAN_BITS]);
  });

  it("encodes a known chunk as Prometheus does", () => {
    // A chunk from promtool 2.42's `small` fixture: 4 samples of http_requests_total{code="200"}.
    const want = "00 04 80 a0 ab fe f9 62 3f f0 00 00 00 00 00 00 98 75 c2 6f fe 5a 85 dc 0f a4 70";
    const c = encode([
      [1700000000000, toBits(1)],
      [1700000015000, toBits(5)],
      [1700000030000, toBits(9)],
      [1700000045500, toBits(14)],
    ]);
    assert.equal(Buffer.from(c.bytes()).toString("hex").replace(/(..)(?!$)/g, "$1 "), want);
  });

  it("seeks forward only and stops after the last sample", () => {
    const c = encode([10, 20, 30].map((t): Sample => [t, toBits(t / 10)]));
    const it = c.iterator();
    assert.ok(it.seek(15));
    assert.deepEqual([it.at(), it.value()], [20, 2]);
    assert.ok(it.seek(5));
    assert.equal(it.at(), 20);
    assert.ok(it.seek(30));
    assert.equal(it.seek(31), false);
    assert.equal(it.next(), false);
    assert.equal(it.seek(0), false, "an exhausted iterator stays exhausted");
    assert.equal(new XorChunk().iterator().next(), false);
  });

  it("refuses a 65536th sample", () => {
    const c = new XorChunk();
    const app = c.appender();
    for (let i = 0; i < 0xffff; i++) app.append(i, 1);
    assert.throws(() => app.append(0x10000, 1), { code: "tsdb_invalid_write" });
    assert.equal(c.numSamples, 0xffff);
  });
});
