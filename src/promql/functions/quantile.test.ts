// quantile, bucketQuantile and bucketFraction: Prometheus's quantile_test.go
// (TestBucketQuantile_ForcedMonotonicity), aggregators.test and histograms.test cases (quoted).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketFraction, bucketQuantile, quantile } from "./quantile.js";
import type { Bucket } from "./quantile.js";
import { almostEqual } from "./test-fixtures.js";

const b = (pairs: readonly (readonly [number, number])[]): Bucket[] => pairs.map(([upperBound, count]) => ({ upperBound, count }));

describe("quantile", () => {
  // aggregators.test: data{test="two samples"} 0 1, {three} 0 1 2, {uneven} 0 1 4, {NaN sample} 0 1 NaN
  const cases: readonly [number, number[], number][] = [
    [0.8, [0, 1], 0.8],
    [0.8, [0, 1, 2], 1.6],
    [0.8, [0, 1, 4], 2.8],
    [0.8, [0, 1, NaN], 0.6],
    [0.2, [0, 1], 0.2],
    [0.2, [0, 1, 2], 0.4],
    [0.2, [0, 1, 4], 0.4],
    // "A quantile between NaN and 0 is interpolated as NaN."
    [0.2, [0, 1, NaN], NaN],
    [NaN, [0, 1], NaN],
    [-0.5, [0, 1], -Infinity],
    [1.5, [0, 1], Infinity],
    [0.5, [], NaN],
    [0, [3, 1, 2], 1],
    [1, [3, 1, 2], 3],
    [0.5, [7], 7],
    // Inf × 0 weight is NaN in the interpolation, as in Go.
    [0, [1, Infinity], NaN],
    [0.5, [-Infinity, Infinity], NaN],
  ];
  for (const [q, values, expect] of cases) {
    it(`quantile(${q}, [${values.join(", ")}]) = ${expect}`, () => {
      const got = quantile(q, values);
      assert.ok(almostEqual(got, expect), `got ${got}`);
    });
  }

  it("does not sort the caller's array", () => {
    const values = [3, NaN, 1];
    quantile(0.5, values);
    assert.deepEqual(values, [3, NaN, 1]);
  });

  it("orders -0 and +0 as Go's sort leaves them", () => {
    // Go sees -0 == +0, so they keep the order pdqsort gives them; here input order.
    assert.ok(Object.is(quantile(1, [0, -0]), -0));
    assert.ok(Object.is(quantile(1, [-0, 0]), 0));
  });
});

describe("bucketQuantile (quantile_test.go)", () => {
  const realMonotonic: [number, number][] = [
    [1, 6454661.3014166197],
    [5, 8339611.2001912938],
    [10, 14118319.2444762159],
    [25, 14130031.5272856522],
    [50, 46001270.3030008152],
    [64, 46008473.85855636],
    [80, 46008473.85855636],
    [100, 46008473.85855636],
    [250, 46008473.85855636],
    [1000, 46008473.85855636],
    [Infinity, 46008473.85855636],
  ];
  const realNonMonotonic: [number, number][] = [
    [1, 6454661.3014166225],
    [5, 8339611.2001912957],
    [10, 14118319.2444762159],
    [25, 14130031.5272856504],
    [50, 46001270.3030008227],
    [64, 46008473.8585563824],
    [80, 46008473.8585563898],
    [100, 46008473.8585563824],
    [250, 46008473.8585563824],
    [1000, 46008473.8585563898],
    [Infinity, 46008473.8585563824],
  ];
  const second = (tweak: boolean): [number, number][] => [
    [0.005, 9.6],
    [0.01, 9.688888889],
    [0.025, 9.755555556],
    [0.05, 9.844444444],
    [0.1, 9.888888889],
    [0.25, 9.888888889],
    [0.5, 9.888888889],
    [1, 9.888888889],
    [2.5, 9.888888889],
    [5, 9.888888889],
    [10, tweak ? 9.888888889001 : 9.888888889],
    [25, 9.888888889],
    [50, tweak ? 9.888888888999 : 9.888888889],
    [100, 9.888888889],
    [Infinity, 9.888888889],
  ];
  const cases: readonly { name: string; buckets: [number, number][]; fixed: boolean; values: [number, number][] }[] = [
    {
      name: "simple - monotonic",
      buckets: [
        [10, 10],
        [15, 15],
        [20, 15],
        [30, 15],
        [Infinity, 15],
      ],
      fixed: false,
      values: [
        [1, 15],
        [0.99, 14.85],
        [0.9, 13.5],
        [0.5, 7.5],
      ],
    },
    {
      name: "simple - non-monotonic middle",
      buckets: [
        [10, 10],
        [15, 15],
        [20, 15.00000000001],
        [30, 15],
        [Infinity, 15],
      ],
      fixed: true,
      values: [
        [1, 15],
        [0.99, 14.85],
        [0.9, 13.5],
        [0.5, 7.5],
      ],
    },
    {
      name: "real example - monotonic",
      buckets: realMonotonic,
      fixed: false,
      values: [
        [1, 64],
        [0.99, 49.64475715376406],
        [0.9, 46.39671690938454],
        [0.5, 31.96098248992002],
      ],
    },
    {
      name: "real example - non-monotonic",
      buckets: realNonMonotonic,
      fixed: true,
      values: [
        [1, 64],
        [0.99, 49.64475715376406],
        [0.9, 46.39671690938454],
        [0.5, 31.96098248992002],
      ],
    },
    {
      name: "real example 2 - monotonic",
      buckets: second(false),
      fixed: false,
      values: [
        [1, 0.1],
        [0.99, 0.03468750000281261],
        [0.9, 0.00463541666671875],
        [0.5, 0.0025752314815104174],
      ],
    },
    {
      name: "real example 2 - non-monotonic",
      buckets: second(true),
      fixed: true,
      values: [
        [1, 0.1],
        [0.99, 0.03468750000281261],
        [0.9, 0.00463541666671875],
        [0.5, 0.0025752314815104174],
      ],
    },
  ];
  for (const c of cases) {
    for (const [q, expect] of c.values) {
      it(`${c.name} q=${q}`, () => {
        const got = bucketQuantile(q, b(c.buckets));
        assert.equal(got.forcedMonotonicity, false);
        assert.equal(got.fixedPrecision, c.fixed);
        assert.ok(almostEqual(got.value, expect, 1e-12), `expected ${expect}, got ${got.value}`);
      });
    }
  }
});

describe("bucketQuantile (histograms.test)", () => {
  // load_with_nhcb 5m testhistogram3_bucket{le="0", start="positive"} 0+0x10, {le="0.1"} 0+5x10, …
  // at 50m every count is ten times its increment.
  const positive = b([
    [0, 0],
    [0.1, 50],
    [0.2, 70],
    [1, 110],
    [Infinity, 110],
  ]);
  const negative = b([
    [-0.25, 0],
    [-0.2, 10],
    [-0.1, 20],
    [0.3, 20],
    [Infinity, 20],
  ]);
  const cases: readonly [number, Bucket[], number][] = [
    [0, positive, 0],
    [0, negative, -0.25],
    [0.25, positive, 0.055],
    [0.25, negative, -0.225],
    [0.5, positive, 0.125],
    [0.5, negative, -0.2],
    [0.75, positive, 0.45],
    [0.75, negative, -0.15],
    [1, positive, 1],
    [1, negative, -0.1],
    [-0.1, positive, -Infinity],
    [1.01, positive, Infinity],
    [NaN, positive, NaN],
  ];
  for (const [q, buckets, expect] of cases) {
    it(`testhistogram3 q=${q} → ${expect}`, () => {
      const got = bucketQuantile(q, buckets);
      assert.ok(almostEqual(got.value, expect), `got ${got.value}`);
      assert.equal(got.forcedMonotonicity, false);
    });
  }

  // testhistogram_bucket{le="0.1", start="positive"} 0+5x10, {le=".2"} 0+7x10, {le="1e0"} 0+11x10, {le="+Inf"} 0+12x10;
  // {le="-.2", start="negative"} 0+1x10, {le="-0.1"} 0+2x10, {le="0.3"} 0+2x10, {le="+Inf"} 0+3x10
  const testhistogram = {
    positive: b([
      [0.1, 50],
      [0.2, 70],
      [1, 110],
      [Infinity, 120],
    ]),
    negative: b([
      [-0.2, 10],
      [-0.1, 20],
      [0.3, 20],
      [Infinity, 30],
    ]),
  };
  for (const [q, pos, neg] of [
    [0, 0, -0.2],
    [1, 1, 0.3],
    [0.2, 0.048, -0.2],
    [0.5, 0.15, -0.15],
    [0.8, 0.72, 0.3],
  ] as const) {
    it(`testhistogram q=${q}`, () => {
      assert.ok(almostEqual(bucketQuantile(q, testhistogram.positive).value, pos));
      assert.ok(almostEqual(bucketQuantile(q, testhistogram.negative).value, neg));
    });
  }

  it("puts q(1/6), q(1/2), q(5/6) mid-bucket (testhistogram2 at 7m)", () => {
    const buckets = b([
      [0, 0],
      [2, 1],
      [4, 2],
      [6, 3],
      [Infinity, 3],
    ]);
    assert.ok(almostEqual(bucketQuantile(1 / 6, buckets).value, 1));
    assert.ok(almostEqual(bucketQuantile(0.5, buckets).value, 3));
    assert.ok(almostEqual(bucketQuantile(5 / 6, buckets).value, 5));
  });

  it("forces monotonicity and reports where (nonmonotonic_bucket at 50m)", () => {
    // nonmonotonic_bucket{le="0.1"} 0+2x10, {le="1"} 0+1x10, {le="10"} 0+5x10, {le="100"} 0+4x10,
    // {le="1000"} 0+9x10, {le="+Inf"} 0+8x10
    const buckets = b([
      [0.1, 20],
      [1, 10],
      [10, 50],
      [100, 40],
      [1000, 90],
      [Infinity, 80],
    ]);
    for (const [q, expect] of [
      [0.01, 0.0045],
      [0.5, 8.5],
      [0.99, 979.75],
    ] as const) {
      const got = bucketQuantile(q, buckets);
      assert.ok(almostEqual(got.value, expect), `q=${q}: got ${got.value}`);
      assert.equal(got.forcedMonotonicity, true);
      assert.equal(got.fixedPrecision, false);
      assert.equal(got.minBucket, 1);
      assert.equal(got.maxBucket, Infinity);
      assert.equal(got.maxDiff, 10);
    }
  });

  it("merges equal bounds written differently (mixed_bucket)", () => {
    // le="0.2", "2e-1", "2.0e-1" are one bound after parsing; rate over 10m gives 1/300 each.
    const r = 1 / 300;
    const buckets = b([
      [0.1, r],
      [0.2, r],
      [0.2, r],
      [0.2, r],
      [Infinity, 4 * r],
    ]);
    assert.ok(almostEqual(bucketQuantile(0.5, buckets).value, 0.15));
    assert.ok(almostEqual(bucketQuantile(0.75, buckets).value, 0.2));
    assert.ok(almostEqual(bucketQuantile(1, buckets).value, 0.2));
  });

  it("is NaN without observations, with one bound, or without +Inf", () => {
    assert.ok(Number.isNaN(bucketQuantile(0.2, b([[0.1, 0], [0.2, 0], [Infinity, 0]])).value));
    assert.ok(Number.isNaN(bucketQuantile(0.5, b([[Infinity, 0], [Infinity, 0]])).value));
    assert.ok(Number.isNaN(bucketQuantile(0.5, b([[1, 1], [2, 2]])).value));
    assert.ok(Number.isNaN(bucketQuantile(0.5, []).value));
  });

  it("raises a +Inf count below an earlier bucket", () => {
    const got = bucketQuantile(0.5, b([[1, 5], [Infinity, 0]]));
    assert.equal(got.value, 0.5);
    assert.equal(got.forcedMonotonicity, true);
    assert.equal(got.maxDiff, 5);
  });

  it("reports no buckets examined for an out-of-range φ", () => {
    assert.deepEqual(bucketQuantile(2, b([[1, 5], [Infinity, 0]])), {
      value: Infinity,
      forcedMonotonicity: false,
      fixedPrecision: false,
      minBucket: 0,
      maxBucket: 0,
      maxDiff: 0,
    });
  });

  it("accepts buckets in any order and does not modify them", () => {
    const buckets = b([
      [Infinity, 120],
      [1, 110],
      [0.1, 50],
      [0.2, 70],
    ]);
    const copy = structuredClone(buckets);
    assert.ok(almostEqual(bucketQuantile(0.5, buckets).value, 0.15));
    assert.deepEqual(buckets, copy);
  });
});

describe("bucketFraction (histograms.test)", () => {
  const std = b([
    [1, 1],
    [2, 3],
    [3, 6],
    [Infinity, 100],
  ]);
  const neg = b([
    [-3, 10],
    [-2, 12],
    [-1, 15],
    [Infinity, 100],
  ]);
  const cases: readonly [string, number, number, Bucket[], number][] = [
    ["testhistogram2 (0, 4)", 0, 4, b([[0, 0], [2, 10], [4, 20], [6, 30], [Infinity, 30]]), 0.6666666666666666],
    ["testhistogram2 (0, 6)", 0, 6, b([[0, 0], [2, 10], [4, 20], [6, 30], [Infinity, 30]]), 1],
    ["testhistogram2 (0, 3.5)", 0, 3.5, b([[0, 0], [2, 10], [4, 20], [6, 30], [Infinity, 30]]), 0.5833333333333334],
    ["lower falls in the first bucket", 0, 1.5, std, 0.02],
    ["negative, lower falls in the first bucket", -4, -2, neg, 0.02],
    ["lower is -Inf", -Infinity, -1.5, neg, 0.135],
    ["-Inf to +Inf, positive", -Infinity, Infinity, std, 1],
    ["-Inf to +Inf, negative", -Infinity, Infinity, neg, 1],
    ["both in the last bucket, positive", 4, 5, std, 0],
    ["both in the last bucket, negative", 0, 1, neg, 0],
    ["upper in the last bucket", 2, 5, std, 0.03],
    ["upper is +Inf", 400, Infinity, std, 0.94],
    ["lower equals upper", 2, 2, std, 0],
    ["lower above upper", 3, 2, std, 0],
    ["single bucket", 0, 1, b([[Infinity, 100]]), 0],
    ["all zero counts", 0, 5, b([[1, 0], [2, 0], [3, 0], [Infinity, 0]]), NaN],
    ["lower on a boundary", 2, 3.5, std, 0.03],
    ["upper on a boundary", 0.5, 2, std, 0.025],
    ["both on boundaries", 1, 3, std, 0.05],
    ["fractional bounds", 0.1, 0.75, b([[0.5, 2.5], [1, 7.5], [Infinity, 100]]), 0.045],
    ["crosses zero", -1, 1, b([[-2, 5], [-1, 10], [0, 15], [1, 20], [Infinity, 100]]), 0.1],
    ["lower is NaN", NaN, 1, b([[1, 1], [Infinity, 100]]), NaN],
    ["upper is NaN", 0, NaN, b([[1, 1], [Infinity, 100]]), NaN],
    ["below all buckets", -10, -5, b([[1, 1], [2, 3], [Infinity, 10]]), 0],
    ["above all buckets", 5, 10, b([[1, 1], [2, 3], [Infinity, 10]]), 0],
    ["no +Inf bucket", 0, 1, b([[1, 1], [2, 3]]), NaN],
  ];
  for (const [name, lower, upper, buckets, expect] of cases) {
    it(name, () => {
      const got = bucketFraction(lower, upper, buckets);
      assert.ok(almostEqual(got, expect), `expected ${expect}, got ${got}`);
    });
  }
});
