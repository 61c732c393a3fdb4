// Cases from Prometheus's promql/promqltest/testdata/functions.test (`load` line and `eval` quoted),
// plus empty windows, single samples and NaN/Inf handling.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { invalidQuantileWarning } from "./annotations.js";
import { RANGE_FUNCTIONS } from "./index.js";
import { almostEqual, load, rangeContext, windowFrom, windowOf } from "./test-fixtures.js";

const S = 1000;
const M = 60 * S;

function call(name: string, interval: number, series: string, at: number, range: number, args: number[] = []): number | undefined {
  const fn = RANGE_FUNCTIONS.get(name);
  assert.ok(fn !== undefined, name);
  return fn(windowOf(load(interval, series), at, range), rangeContext(at, range, { args }));
}

interface Case {
  readonly fn: string;
  readonly interval: number;
  readonly series: string;
  readonly at: number;
  readonly range: number;
  readonly args?: number[];
  readonly expect: number | undefined;
}

const FOO = "1 2 3 0 1 0 0 1 2 0";
const BAR = "1 2 3 4 5 1 2 3 4 5";
const BIZ = "0 0 0 0 0 1 1 1 1 1";

const TESTDATA: Record<string, readonly Case[]> = {
  // load 5m http_requests{path="/foo"} 1 2 3 0 1 0 0 1 2 0 …; eval instant at 50m resets(...)
  resets: [
    { fn: "resets", interval: 5 * M, series: FOO, at: 50 * M, range: 5 * M, expect: undefined },
    { fn: "resets", interval: 5 * M, series: FOO, at: 50 * M, range: 10 * M, expect: 0 },
    { fn: "resets", interval: 5 * M, series: FOO, at: 50 * M, range: 20 * M, expect: 1 },
    { fn: "resets", interval: 5 * M, series: FOO, at: 50 * M, range: 32 * M, expect: 2 },
    { fn: "resets", interval: 5 * M, series: BAR, at: 50 * M, range: 32 * M, expect: 1 },
    { fn: "resets", interval: 5 * M, series: FOO, at: 50 * M, range: 50 * M, expect: 3 },
    { fn: "resets", interval: 5 * M, series: BIZ, at: 50 * M, range: 50 * M, expect: 0 },
  ],
  changes: [
    { fn: "changes", interval: 5 * M, series: FOO, at: 50 * M, range: 5 * M, expect: undefined },
    { fn: "changes", interval: 5 * M, series: FOO, at: 50 * M, range: 6 * M, expect: 0 },
    { fn: "changes", interval: 5 * M, series: FOO, at: 50 * M, range: 20 * M, expect: 2 },
    { fn: "changes", interval: 5 * M, series: BAR, at: 50 * M, range: 30 * M, expect: 4 },
    { fn: "changes", interval: 5 * M, series: FOO, at: 50 * M, range: 50 * M, expect: 7 },
    { fn: "changes", interval: 5 * M, series: BAR, at: 50 * M, range: 50 * M, expect: 8 },
    { fn: "changes", interval: 5 * M, series: BIZ, at: 50 * M, range: 50 * M, expect: 1 },
    // load 5m x{a="b"} NaN NaN NaN, x{a="c"} 0 NaN 0; eval instant at 15m changes(x[20m])
    { fn: "changes", interval: 5 * M, series: "NaN NaN NaN", at: 15 * M, range: 20 * M, expect: 0 },
    { fn: "changes", interval: 5 * M, series: "0 NaN 0", at: 15 * M, range: 20 * M, expect: 2 },
  ],
  // load 10s metric 1 2 3 4 5, metric2 1 2 3 4 Inf, …; eval instant at 55s avg_over_time(...)
  avg_over_time: [
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 4 5", at: 55 * S, range: 10 * S, expect: undefined },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 4 5", at: 55 * S, range: 20 * S, expect: 5 },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 4 5", at: 55 * S, range: M, expect: 3 },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 4 Inf", at: 55 * S, range: M, expect: Infinity },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 4 -Inf", at: 55 * S, range: M, expect: -Infinity },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 Inf -Inf", at: 55 * S, range: M, expect: NaN },
    { fn: "avg_over_time", interval: 10 * S, series: "Inf 0 Inf", at: 55 * S, range: M, expect: Infinity },
    { fn: "avg_over_time", interval: 10 * S, series: "Inf Inf Inf -Inf", at: 55 * S, range: M, expect: NaN },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 -Inf -Inf", at: 55 * S, range: M, expect: -Infinity },
    { fn: "avg_over_time", interval: 10 * S, series: "-Inf 0 -Inf", at: 55 * S, range: M, expect: -Infinity },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 -Inf -Inf Inf", at: 55 * S, range: M, expect: NaN },
    { fn: "avg_over_time", interval: 10 * S, series: "9.988465674311579e+307 9.988465674311579e+307", at: 55 * S, range: M, expect: 9.988465674311579e307 },
    {
      fn: "avg_over_time",
      interval: 10 * S,
      series: "-9.988465674311579e+307 -9.988465674311579e+307 -9.988465674311579e+307",
      at: 55 * S,
      range: M,
      expect: -9.988465674311579e307,
    },
    { fn: "avg_over_time", interval: 10 * S, series: "-9.988465674311579e+307 9.988465674311579e+307", at: 55 * S, range: M, expect: 0 },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 NaN NaN", at: 20 * S, range: M, expect: 2 },
    { fn: "avg_over_time", interval: 10 * S, series: "1 2 3 NaN NaN", at: 30 * S, range: M, expect: NaN },
    // load 10s metric 1 1e100 1 -1e100; eval instant at 1m avg_over_time(metric[2m])
    { fn: "avg_over_time", interval: 10 * S, series: "1 1e100 1 -1e100", at: M, range: 2 * M, expect: 0.5 },
    // load 5s metric1 1e10 1e-6 1e-6 1e-6 1e-6 1e-6 …
    { fn: "avg_over_time", interval: 5 * S, series: "1e10 1e-6 1e-6 1e-6 1e-6 1e-6", at: 55 * S, range: M, expect: 1.6666666666666675e9 },
    {
      fn: "avg_over_time",
      interval: 5 * S,
      series: "5.30921651659898 0.961118537914768 1.62091361305318 0.865089463758091 0.323055185914577 0.951811357687154",
      at: 55 * S,
      range: M,
      expect: 1.67186744582113,
    },
    { fn: "avg_over_time", interval: 5 * S, series: "1.78264e50 0.76342771 1.9592258 7.69805412 458.90154", at: 55 * S, range: M, expect: 3.56528e49 },
    {
      fn: "avg_over_time",
      interval: 5 * S,
      series: "1.78264E+50 0.76342771 1.9592258 2.258E+220 7.69805412 458.90154",
      at: 55 * S,
      range: M,
      expect: 3.76333333333333e219,
    },
    {
      fn: "avg_over_time",
      interval: 5 * S,
      series: "-1.78264E+215 0.76342771 1.9592258 2.258E+220 7.69805412 1.78264E+215 -458.90154",
      at: 55 * S,
      range: M,
      expect: 3.225714285714286e219,
    },
    {
      fn: "avg_over_time",
      interval: 5 * S,
      series: "-1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154",
      at: 55 * S,
      range: M,
      expect: 2.5088888888888888e219,
    },
    {
      fn: "avg_over_time",
      interval: 5 * S,
      series:
        "-2.258E+220 -1.78264E+219 0.76342771 1.9592258 2.3757689E+217 -2.3757689E+217 2.258E+220 7.69805412 1.78264E+219 -458.90154",
      at: 55 * S,
      range: M,
      expect: 0,
    },
    // load 10s foo 52+0x100; avg_over_time(foo[100s]) == 52 holds exactly.
    { fn: "avg_over_time", interval: 10 * S, series: "52+0x100", at: 10 * M, range: 130 * S, expect: 52 },
  ],
  sum_over_time: [
    { fn: "sum_over_time", interval: 10 * S, series: "1 1e100 1 -1e100", at: M, range: 2 * M, expect: 2 },
    { fn: "sum_over_time", interval: 10 * S, series: "9.988465674311579e+307 9.988465674311579e+307", at: 55 * S, range: M, expect: Infinity },
    // load 1ms metric 1+0x4000; eval instant at 4s sum_over_time(metric[1001ms])
    { fn: "sum_over_time", interval: 1, series: "1+0x4000", at: 4 * S, range: 1001, expect: 1001 },
    { fn: "sum_over_time", interval: 1, series: "1+0x4000", at: 4 * S, range: 3003, expect: 3003 },
  ],
  // load 10s metric 0 8 8 2 3; eval instant at 1m stdvar_over_time(metric[2m])
  stdvar_over_time: [
    { fn: "stdvar_over_time", interval: 10 * S, series: "0 8 8 2 3", at: M, range: 2 * M, expect: 10.56 },
    { fn: "stdvar_over_time", interval: 10 * S, series: "1.5990505637277868 1.5990505637277868 1.5990505637277868", at: 55 * S, range: M, expect: 0 },
    { fn: "stdvar_over_time", interval: 10 * S, series: "7", at: 0, range: M, expect: 0 },
  ],
  stddev_over_time: [
    { fn: "stddev_over_time", interval: 10 * S, series: "0 8 8 2 3", at: M, range: 2 * M, expect: 3.249615 },
    { fn: "stddev_over_time", interval: 10 * S, series: "1.5990505637277868 1.5990505637277868 1.5990505637277868", at: 55 * S, range: M, expect: 0 },
    { fn: "stddev_over_time", interval: 10 * S, series: "Inf", at: 0, range: M, expect: NaN },
  ],
  // load 10s metric 4 6 2 1 999 1 2, metric_odd 1 2 3 4 5, …
  mad_over_time: [
    { fn: "mad_over_time", interval: 10 * S, series: "4 6 2 1 999 1 2", at: 70 * S, range: 70 * S, expect: 1 },
    { fn: "mad_over_time", interval: 10 * S, series: "1 2 3 4 5", at: 40 * S, range: 50 * S, expect: 1 },
    { fn: "mad_over_time", interval: 10 * S, series: "7 7 7 7 7", at: 40 * S, range: 50 * S, expect: 0 },
    { fn: "mad_over_time", interval: 10 * S, series: "5", at: 0, range: 10 * S, expect: 0 },
    { fn: "mad_over_time", interval: 10 * S, series: "1 2 NaN 4", at: 30 * S, range: 40 * S, expect: NaN },
  ],
  // load 10s53ms metric 1 2 3 0 5 6 2 1 4
  ts_of_min_over_time: [{ fn: "ts_of_min_over_time", interval: 10_053, series: "1 2 3 0 5 6 2 1 4", at: 90 * S, range: 90 * S, expect: 30.159 }],
  ts_of_max_over_time: [{ fn: "ts_of_max_over_time", interval: 10_053, series: "1 2 3 0 5 6 2 1 4", at: 90 * S, range: 90 * S, expect: 50.265 }],
  ts_of_last_over_time: [
    { fn: "ts_of_last_over_time", interval: 10_053, series: "1 2 3 _ _", at: 90 * S, range: 90 * S, expect: 20.106 },
    { fn: "ts_of_last_over_time", interval: 10_053, series: "1 2 3 _ _", at: 95 * S, range: 90 * S, expect: 20.106 },
  ],
  ts_of_first_over_time: [
    { fn: "ts_of_first_over_time", interval: 10_053, series: "_ _ 1 2 3 _ _", at: 90 * S, range: 90 * S, expect: 20.106 },
    { fn: "ts_of_first_over_time", interval: 10_053, series: "_ _ 1 2 3 _ _", at: 15 * S, range: 90 * S, expect: undefined },
  ],
  // load 10s data{type="numbers"} 2 0 3, {type="some_nan"} 2 0 NaN, …; eval instant at 1m …(data[2m])
  min_over_time: [
    { fn: "min_over_time", interval: 10 * S, series: "2 0 3", at: M, range: 2 * M, expect: 0 },
    { fn: "min_over_time", interval: 10 * S, series: "2 0 NaN", at: M, range: 2 * M, expect: 0 },
    { fn: "min_over_time", interval: 10 * S, series: "2 NaN 1", at: M, range: 2 * M, expect: 1 },
    { fn: "min_over_time", interval: 10 * S, series: "NaN 0 1", at: M, range: 2 * M, expect: 0 },
    { fn: "min_over_time", interval: 10 * S, series: "NaN NaN NaN", at: M, range: 2 * M, expect: NaN },
    { fn: "min_over_time", interval: 10 * S, series: "_ 5 2 _ 4 _", at: M, range: 2 * M, expect: 2 },
  ],
  max_over_time: [
    { fn: "max_over_time", interval: 10 * S, series: "2 0 3", at: M, range: 2 * M, expect: 3 },
    { fn: "max_over_time", interval: 10 * S, series: "2 0 NaN", at: M, range: 2 * M, expect: 2 },
    { fn: "max_over_time", interval: 10 * S, series: "2 NaN 1", at: M, range: 2 * M, expect: 2 },
    { fn: "max_over_time", interval: 10 * S, series: "NaN 0 1", at: M, range: 2 * M, expect: 1 },
    { fn: "max_over_time", interval: 10 * S, series: "NaN NaN NaN", at: M, range: 2 * M, expect: NaN },
    { fn: "max_over_time", interval: 10 * S, series: "_ 5 2 _ 4 _", at: M, range: 2 * M, expect: 5 },
  ],
  last_over_time: [
    { fn: "last_over_time", interval: 10 * S, series: "2 0 3", at: M, range: 2 * M, expect: 3 },
    { fn: "last_over_time", interval: 10 * S, series: "2 0 NaN", at: M, range: 2 * M, expect: NaN },
    { fn: "last_over_time", interval: 10 * S, series: "_ 5 2 _ 4 _", at: M, range: 2 * M, expect: 4 },
  ],
  first_over_time: [
    { fn: "first_over_time", interval: 10 * S, series: "2 0 3", at: M, range: 2 * M, expect: 2 },
    { fn: "first_over_time", interval: 10 * S, series: "NaN 0 1", at: M, range: 2 * M, expect: NaN },
    { fn: "first_over_time", interval: 10 * S, series: "_ 5 2 _ 4 _", at: M, range: 2 * M, expect: 5 },
  ],
  count_over_time: [
    { fn: "count_over_time", interval: 10 * S, series: "NaN NaN NaN", at: M, range: 2 * M, expect: 3 },
    { fn: "count_over_time", interval: 10 * S, series: "_ 5 2 _ 4 _", at: M, range: 2 * M, expect: 3 },
  ],
  // load 1m httpd_log_lines_total 1; present_over_time(...[30s]) at 0m and 1m
  present_over_time: [
    { fn: "present_over_time", interval: M, series: "1", at: 0, range: 30 * S, expect: 1 },
    { fn: "present_over_time", interval: M, series: "1", at: M, range: 30 * S, expect: undefined },
    { fn: "present_over_time", interval: M, series: "NaN NaN NaN NaN NaN", at: 5 * M, range: 4 * M, expect: 1 },
  ],
  // load 10s data{test="two samples"} 0 1, {test="three samples"} 0 1 2, {test="uneven samples"} 0 1 4
  quantile_over_time: [
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1", at: M, range: 2 * M, args: [0], expect: 0 },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1", at: M, range: 2 * M, args: [0.5], expect: 0.5 },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1 2", at: M, range: 2 * M, args: [0.75], expect: 1.5 },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1 4", at: M, range: 2 * M, args: [0.75], expect: 2.5 },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1 4", at: M, range: 2 * M, args: [0.8], expect: 2.8 },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1 2", at: M, range: 2 * M, args: [0.8], expect: 1.6 },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1 4", at: M, range: 2 * M, args: [1], expect: 4 },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1 4", at: M, range: 2 * M, args: [-1], expect: -Infinity },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1 4", at: M, range: 2 * M, args: [2], expect: Infinity },
    { fn: "quantile_over_time", interval: 10 * S, series: "0 1 4", at: M, range: 2 * M, args: [NaN], expect: NaN },
    { fn: "quantile_over_time", interval: 10 * S, series: "4 NaN 1", at: M, range: 2 * M, args: [0], expect: NaN },
    { fn: "quantile_over_time", interval: 10 * S, series: "4 NaN 1", at: M, range: 2 * M, args: [0.5], expect: 1 },
  ],
};

for (const [name, cases] of Object.entries(TESTDATA)) {
  describe(`${name} on functions.test data`, () => {
    for (const c of cases) {
      it(`${c.series} at ${c.at}ms over ${c.range}ms ${c.args?.join(",") ?? ""}`, () => {
        const got = call(c.fn, c.interval, c.series, c.at, c.range, c.args);
        if (c.expect === undefined) assert.equal(got, undefined);
        else assert.ok(got !== undefined && almostEqual(got, c.expect), `expected ${c.expect}, got ${got}`);
      });
    }
  });
}

describe("over-time edge cases", () => {
  it("every function yields nothing for an empty window", () => {
    for (const [name, fn] of RANGE_FUNCTIONS) {
      const args = name === "double_exponential_smoothing" ? [0.5, 0.5] : [0.5];
      assert.equal(fn(windowFrom([], []), rangeContext(0, M, { args })), undefined, name);
    }
  });

  it("functions needing two samples yield nothing for one", () => {
    for (const name of ["rate", "increase", "delta", "irate", "idelta", "deriv", "predict_linear", "double_exponential_smoothing"]) {
      const fn = RANGE_FUNCTIONS.get(name);
      assert.ok(fn !== undefined);
      assert.equal(fn(windowFrom([0], [1]), rangeContext(0, M, { args: [0.5, 0.5] })), undefined, name);
    }
  });

  it("single-sample windows", () => {
    const w = windowFrom([5000], [-3]);
    const ctx = rangeContext(5000, M, { args: [0.3] });
    const expect: Record<string, number> = {
      changes: 0,
      resets: 0,
      avg_over_time: -3,
      min_over_time: -3,
      max_over_time: -3,
      sum_over_time: -3,
      count_over_time: 1,
      stddev_over_time: 0,
      stdvar_over_time: 0,
      last_over_time: -3,
      first_over_time: -3,
      present_over_time: 1,
      quantile_over_time: -3,
      mad_over_time: 0,
      ts_of_min_over_time: 5,
      ts_of_max_over_time: 5,
      ts_of_first_over_time: 5,
      ts_of_last_over_time: 5,
    };
    for (const [name, value] of Object.entries(expect)) assert.equal(RANGE_FUNCTIONS.get(name)?.(w, ctx), value, name);
  });

  it("ts_of_max/min_over_time report the last of equal extremes, max/min the value", () => {
    const w = windowFrom([1000, 2000, 3000, 4000], [5, 1, 5, 1]);
    const ctx = rangeContext(4000, M);
    assert.equal(RANGE_FUNCTIONS.get("ts_of_max_over_time")?.(w, ctx), 3);
    assert.equal(RANGE_FUNCTIONS.get("ts_of_min_over_time")?.(w, ctx), 4);
  });

  it("ts_of_*_over_time skip a leading NaN", () => {
    const w = windowFrom([1000, 2000, 3000], [NaN, 7, 2]);
    const ctx = rangeContext(3000, M);
    assert.equal(RANGE_FUNCTIONS.get("ts_of_max_over_time")?.(w, ctx), 2);
    assert.equal(RANGE_FUNCTIONS.get("ts_of_min_over_time")?.(w, ctx), 3);
  });

  it("ts_of_last_over_time clamps negative timestamps to 0 as Prometheus does", () => {
    const ctx = rangeContext(-1000, M);
    assert.equal(RANGE_FUNCTIONS.get("ts_of_last_over_time")?.(windowFrom([-5000, -2500], [1, 2]), ctx), 0);
    assert.equal(RANGE_FUNCTIONS.get("ts_of_first_over_time")?.(windowFrom([-5000, -2500], [1, 2]), ctx), -5);
  });

  it("quantile_over_time warns once per call for a bad φ, never for a good one", () => {
    const fn = RANGE_FUNCTIONS.get("quantile_over_time");
    assert.ok(fn !== undefined);
    const w = windowFrom([0, 1000], [1, 2]);
    for (const [q, warned] of [
      [-0.5, true],
      [1.5, true],
      [NaN, true],
      [0, false],
      [1, false],
    ] as const) {
      const ctx = rangeContext(1000, M, { args: [q] });
      fn(w, ctx);
      assert.deepEqual(ctx.warnings, warned ? [invalidQuantileWarning(q)] : []);
    }
    const empty = rangeContext(1000, M, { args: [2] });
    assert.equal(fn(windowFrom([], []), empty), undefined);
    assert.deepEqual(empty.warnings, []);
  });

  it("does not reorder or write to the window", () => {
    const ts = [0, 1000, 2000, 3000];
    const vs = [3, NaN, 1, 2];
    for (const [name, fn] of RANGE_FUNCTIONS) {
      fn(windowFrom(ts, vs), rangeContext(3000, M, { args: name === "double_exponential_smoothing" ? [0.5, 0.5] : [0.5] }));
      assert.deepEqual(vs, [3, NaN, 1, 2], name);
    }
  });

  it("reads only the first `length` entries of reused buffers", () => {
    const ts = new Float64Array([0, 1000, 2000, 99_000]);
    const vs = new Float64Array([1, 2, 3, 1e9]);
    const w = { ts, vs, length: 3 };
    const ctx = rangeContext(2000, M);
    assert.equal(RANGE_FUNCTIONS.get("max_over_time")?.(w, ctx), 3);
    assert.equal(RANGE_FUNCTIONS.get("sum_over_time")?.(w, ctx), 6);
    assert.equal(RANGE_FUNCTIONS.get("last_over_time")?.(w, ctx), 3);
    assert.equal(RANGE_FUNCTIONS.get("quantile_over_time")?.(w, rangeContext(2000, M, { args: [1] })), 3);
  });
});
