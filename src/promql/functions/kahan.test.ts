// Prometheus's TestKahanSumInc (functions_internal_test.go) and the aggregation accumulators.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KahanMean, KahanSum, WelfordVariance, kahanSumInc } from "./kahan.js";
import { almostEqual } from "./test-fixtures.js";

describe("kahanSumInc", () => {
  const cases: readonly [string, number, number, number][] = [
    ["+Inf + anything = +Inf", Infinity, 2, Infinity],
    ["-Inf + anything = -Inf", -Infinity, 2, -Infinity],
    ["+Inf + -Inf = NaN", Infinity, -Infinity, NaN],
    ["NaN + anything = NaN", NaN, 2, NaN],
    ["NaN + Inf = NaN", NaN, Infinity, NaN],
    ["NaN + -Inf = NaN", NaN, -Infinity, NaN],
  ];
  for (const [name, a, b, expect] of cases) {
    it(name, () => {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        const [sum, c] = kahanSumInc(y, x, 0);
        const result = sum + c;
        assert.ok(Number.isNaN(expect) ? Number.isNaN(result) : result === expect, `${x} + ${y} gave ${result}`);
      }
    });
  }

  it("keeps what plain addition loses (Neumaier's swap)", () => {
    let sum = 0;
    let c = 0;
    for (const x of [1e16, 1, -1e16]) [sum, c] = kahanSumInc(x, sum, c);
    assert.equal(sum + c, 1);
    assert.equal(1e16 + 1 - 1e16, 0);
  });

  it("resets the compensation on overflow", () => {
    assert.deepEqual(kahanSumInc(1.7e308, 1.7e308, 5), [Infinity, 0]);
  });
});

describe("KahanSum", () => {
  it("sums 1, 1e100, 1, -1e100 to 2 (functions.test)", () => {
    const s = new KahanSum();
    for (const x of [1, 1e100, 1, -1e100]) s.add(x);
    assert.equal(s.value(), 2);
  });
  it("returns an infinite sum as is", () => {
    const s = new KahanSum();
    for (const x of [9.988465674311579e307, 9.988465674311579e307]) s.add(x);
    assert.equal(s.value(), Infinity);
  });
  it("starts over after reset", () => {
    const s = new KahanSum();
    s.add(3);
    s.reset();
    s.add(4);
    assert.equal(s.value(), 4);
  });
});

describe("KahanMean", () => {
  const mean = (xs: number[]): number => {
    const m = new KahanMean();
    for (const x of xs) m.add(x);
    return m.value();
  };
  const cases: readonly [number[], number][] = [
    [[1, 2, 3, 4, 5], 3],
    [[1, 1e100, 1, -1e100], 0.5],
    // Would overflow as a sum: switches to the incremental mean.
    [[9.988465674311579e307, 9.988465674311579e307], 9.988465674311579e307],
    [[-9.988465674311579e307, -9.988465674311579e307, -9.988465674311579e307], -9.988465674311579e307],
    [[-9.988465674311579e307, 9.988465674311579e307], 0],
    [[1.78264e50, 0.76342771, 1.9592258, 2.258e220, 7.69805412, 458.90154], 3.76333333333333e219],
    [[-1.78264e215, 0.76342771, 1.9592258, 2.258e220, 7.69805412, 1.78264e215, -458.90154], 3.225714285714286e219],
    [[Infinity, 0, Infinity], Infinity],
    [[1, 2, 3, Infinity, -Infinity], NaN],
    [[1, 2, NaN], NaN],
    [[], NaN],
  ];
  for (const [xs, expect] of cases) {
    it(`mean of [${xs.join(", ")}]`, () => assert.ok(almostEqual(mean(xs), expect), `got ${mean(xs)}`));
  }
  it("is exact for a repeated value (prometheus#16714)", () => {
    for (let n = 1; n <= 100; n++) assert.equal(mean(Array.from({ length: n }, () => 52)), 52);
  });
  it("counts and resets", () => {
    const m = new KahanMean();
    m.add(1);
    m.add(3);
    assert.equal(m.count, 2);
    m.reset();
    assert.equal(m.count, 0);
    m.add(5);
    assert.equal(m.value(), 5);
  });
});

describe("WelfordVariance (stddev/stdvar aggregation)", () => {
  const variance = (xs: number[]): number => {
    const v = new WelfordVariance();
    for (const x of xs) v.add(x);
    return v.variance();
  };
  it("is the population variance", () => assert.ok(almostEqual(variance([0, 8, 8, 2, 3]), 10.56)));
  it("is 0 for one finite value", () => assert.equal(variance([5]), 0));
  it("is NaN when the first value is NaN or infinite", () => {
    assert.ok(Number.isNaN(variance([Infinity])));
    assert.ok(Number.isNaN(variance([NaN, 1])));
  });
  it("is NaN with an infinite value later", () => assert.ok(Number.isNaN(variance([1, Infinity]))));
  it("is NaN when empty", () => assert.ok(Number.isNaN(variance([]))));
});
