// deriv, predict_linear and double_exponential_smoothing: cases from Prometheus's functions.test
// (quoted) and functions_test.go (TestDeriv), plus the argument checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PromQLEvalError } from "../errors.js";
import { almostEqual, load, rangeContext, windowFrom, windowOf } from "./test-fixtures.js";
import { deriv, doubleExponentialSmoothing, linearRegression, predictLinear } from "./trend.js";

const S = 1000;
const M = 60 * S;

describe("deriv and predict_linear on functions.test data", () => {
  // load 5m testcounter_reset_middle_total 0+10x4 0+10x5, http_requests_total{…} 0+80x10,
  // http_requests_inf{…} -Inf 0+80x10 Inf
  const reset = load(5 * M, "0+10x4 0+10x5");
  const linear = load(5 * M, "0+80x10");
  const inf = load(5 * M, "-Inf 0+80x10 Inf");
  const cases: readonly { name: string; got: () => number | undefined; expect: number }[] = [
    { name: "deriv equals rate for a straight counter", got: () => deriv(windowOf(linear, 50 * M, 50 * M), rangeContext(50 * M, 50 * M)), expect: 0.26666666666666666 },
    { name: "deriv across a reset", got: () => deriv(windowOf(reset, 50 * M, 100 * M), rangeContext(50 * M, 100 * M)), expect: 0.010606060606060607 },
    { name: "deriv with Inf is NaN", got: () => deriv(windowOf(inf, 100 * M, 100 * M), rangeContext(100 * M, 100 * M)), expect: NaN },
    {
      name: "predict_linear 3600s ahead",
      got: () => predictLinear(windowOf(reset, 50 * M, 50 * M), rangeContext(50 * M, 50 * M, { args: [3600] })),
      expect: 70,
    },
    {
      // predict_linear(testcounter_reset_middle_total[55m] @ 3000, 3600) at 50m: the window ends at
      // the @ time, the intercept stays at the evaluation time.
      name: "predict_linear with @ at the evaluation time",
      got: () => predictLinear(windowOf(reset, 3000 * S, 55 * M), { ...rangeContext(50 * M, 55 * M, { args: [3600], offsetMs: 0 }), rangeEnd: 3000 * S, rangeStart: 3000 * S - 55 * M }),
      expect: 76.81818181818181,
    },
    {
      name: "predict_linear with @ evaluated at 10m",
      got: () => predictLinear(windowOf(reset, 3000 * S, 55 * M), { ...rangeContext(10 * M, 55 * M, { args: [3600] }), rangeEnd: 3000 * S, rangeStart: 3000 * S - 55 * M }),
      expect: 51.36363636363637,
    },
    {
      name: "predict_linear with @ evaluated at 70m",
      got: () => predictLinear(windowOf(reset, 3000 * S, 55 * M), { ...rangeContext(70 * M, 55 * M, { args: [3600] }), rangeEnd: 3000 * S, rangeStart: 3000 * S - 55 * M }),
      expect: 89.54545454545455,
    },
    {
      name: "predict_linear with Inf is NaN",
      got: () => predictLinear(windowOf(inf, 100 * M, 100 * M), rangeContext(100 * M, 100 * M, { args: [6000] })),
      expect: NaN,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = c.got();
      assert.ok(got !== undefined && almostEqual(got, c.expect), `expected ${c.expect}, got ${got}`);
    });
  }

  it("predict_linear at a sample equal to its fit is that value plus deriv × t", () => {
    const w = windowOf(linear, 50 * M, 50 * M);
    const predicted = predictLinear(w, rangeContext(50 * M, 50 * M, { args: [3600] })) as number;
    const slope = deriv(w, rangeContext(50 * M, 50 * M)) as number;
    assert.ok(almostEqual(predicted - (800 + slope * 3600), 0));
  });
});

describe("linearRegression", () => {
  it("gives slope 0 with jittered timestamps of a constant (functions_test.go TestDeriv)", () => {
    const start = 1493712816939;
    const ts: number[] = [];
    const vs: number[] = [];
    for (let i = 0; i < 15; i++) {
      ts.push(start + 30_000 * i + ((12 * i) % 2));
      vs.push(1);
    }
    // deriv(foo[30m]) at 1493712846939 sees the samples up to that time.
    const w = windowOf({ ts, vs }, 1493712846939, 30 * M);
    assert.equal(deriv(w, rangeContext(1493712846939, 30 * M)), 0);
  });

  it("returns the constant as intercept and NaN for an infinite constant", () => {
    assert.deepEqual(linearRegression(windowFrom([0, 1000], [4, 4]), 0), { slope: 0, intercept: 4 });
    const inf = linearRegression(windowFrom([0, 1000], [Infinity, Infinity]), 0);
    assert.ok(Number.isNaN(inf.slope) && Number.isNaN(inf.intercept));
  });

  it("measures x in seconds from the intercept time", () => {
    const r = linearRegression(windowFrom([10_000, 20_000, 30_000], [1, 2, 3]), 40_000);
    assert.ok(almostEqual(r.slope, 0.1));
    assert.ok(almostEqual(r.intercept, 4));
  });

  it("keeps precision far from the epoch with compensated sums", () => {
    const t0 = 1.7e12;
    const w = windowFrom([t0, t0 + 15_000, t0 + 30_000, t0 + 45_000], [1e9, 1e9 + 1.5, 1e9 + 3, 1e9 + 4.5]);
    assert.equal(deriv(w, rangeContext(t0 + 45_000, M)), 0.1);
  });
});

describe("double_exponential_smoothing", () => {
  // load 10s http_requests{…} 0+10x1000 100+30x1000 …; eval instant at 8000s
  // double_exponential_smoothing(http_requests[1m], 0.01, 0.1)
  const cases: readonly [string, number][] = [
    ["0+10x1000 100+30x1000", 8000],
    ["0+20x1000 200+30x1000", 16000],
    ["0+30x1000 300+80x1000", 24000],
    ["0+40x2000", 32000],
    // negative trends
    ["8000-10x1000", 0],
    ["0-20x1000", -16000],
    ["0-40x1000 0+40x1000", -32000],
  ];
  for (const [series, expect] of cases) {
    it(`${series} → ${expect}`, () => {
      const ctx = rangeContext(8000 * S, M, { args: [0.01, 0.1] });
      const got = doubleExponentialSmoothing(windowOf(load(10 * S, series), 8000 * S, M), ctx);
      assert.ok(got !== undefined && almostEqual(got, expect), `expected ${expect}, got ${got}`);
    });
  }

  it("smooths with the documented recurrence", () => {
    // s1 = 1; b = 1; i=1: s = 0.5·2 + 0.5·(1+1) = 2; i=2: b = 0.5·(2-1) + 0.5·1 = 1, s = 0.5·4 + 0.5·3 = 3.5
    const got = doubleExponentialSmoothing(windowFrom([0, 1, 2], [1, 2, 4]), rangeContext(2, M, { args: [0.5, 0.5] }));
    assert.equal(got, 3.5);
  });

  const errors: readonly [number, number, string][] = [
    [0, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 0.000000"],
    [1, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000"],
    [-0.25, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: -0.250000"],
    [0.5, 0, "invalid trend factor. Expected: 0 < tf < 1, got: 0.000000"],
    [0.5, 1e21, "invalid trend factor. Expected: 0 < tf < 1, got: 1000000000000000000000.000000"],
    [0.5, -3.0000005, "invalid trend factor. Expected: 0 < tf < 1, got: -3.000001"],
    // An exact tie rounds to even as Go's %f does.
    [1.0078125, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.007812"],
    [Infinity, 0.5, "invalid smoothing factor. Expected: 0 < sf < 1, got: +Inf"],
  ];
  for (const [sf, tf, message] of errors) {
    it(`rejects sf=${sf} tf=${tf}`, () => {
      assert.throws(
        () => doubleExponentialSmoothing(windowFrom([0], [1]), rangeContext(0, M, { args: [sf, tf] })),
        (err: Error) => err instanceof PromQLEvalError && err.message === message,
      );
    });
  }

  it("checks the factors only when there are samples, and lets NaN through as Prometheus", () => {
    assert.equal(doubleExponentialSmoothing(windowFrom([], []), rangeContext(0, M, { args: [5, 5] })), undefined);
    const got = doubleExponentialSmoothing(windowFrom([0, 1], [1, 2]), rangeContext(1, M, { args: [NaN, 0.5] }));
    assert.ok(got !== undefined && Number.isNaN(got));
  });
});
