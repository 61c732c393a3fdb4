// Cases from Prometheus's promql/promqltest/testdata/functions.test (the `load` lines and `eval`
// times are quoted in each case), plus edge cases of the extrapolation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { possibleNonCounterInfo } from "./annotations.js";
import { delta, idelta, increase, irate, rate } from "./rate.js";
import { almostEqual, load, rangeContext, windowFrom, windowOf } from "./test-fixtures.js";
import type { RangeFunction } from "./types.js";

const M = 60_000;

interface Case {
  readonly name: string;
  readonly fn: RangeFunction;
  readonly interval: number;
  readonly series: string;
  readonly at: number;
  readonly range: number;
  readonly offset?: number;
  readonly expect: number | undefined;
}

const TESTDATA: readonly Case[] = [
  // load 5m http_requests_total{path="/foo"} 0+10x10 etc.; eval instant at 50m increase(...[50m])
  { name: "increase foo [50m]", fn: increase, interval: 5 * M, series: "0+10x10", at: 50 * M, range: 50 * M, expect: 100 },
  { name: "increase bar with reset [50m]", fn: increase, interval: 5 * M, series: "0+18x5 0+18x5", at: 50 * M, range: 50 * M, expect: 160 },
  { name: "increase dings [50m]", fn: increase, interval: 5 * M, series: "10+10x10", at: 50 * M, range: 50 * M, expect: 100 },
  { name: "increase bumms [50m]", fn: increase, interval: 5 * M, series: "1+10x10", at: 50 * M, range: 50 * M, expect: 100 },
  { name: "increase foo [100m]", fn: increase, interval: 5 * M, series: "0+10x10", at: 50 * M, range: 100 * M, expect: 100 },
  { name: "increase bar [100m]", fn: increase, interval: 5 * M, series: "0+18x5 0+18x5", at: 50 * M, range: 100 * M, expect: 162 },
  { name: "increase dings [100m]: half-interval cutoff", fn: increase, interval: 5 * M, series: "10+10x10", at: 50 * M, range: 100 * M, expect: 105 },
  { name: "increase bumms [100m]: zero-point cutoff", fn: increase, interval: 5 * M, series: "1+10x10", at: 50 * M, range: 100 * M, expect: 101 },
  // load 5m http_requests_total 0 1 2 3 2 3 4; eval instant at 30m increase(...[30m])
  { name: "increase across a reset", fn: increase, interval: 5 * M, series: "0 1 2 3 2 3 4", at: 30 * M, range: 30 * M, expect: 7 },
  // load 5m testcounter_reset_middle_total 0+27x4 0+27x5
  { name: "rate reset in the middle", fn: rate, interval: 5 * M, series: "0+27x4 0+27x5", at: 50 * M, range: 50 * M, expect: 0.08 },
  // load 5m testcounter_reset_end_total 0+10x9 0 10
  { name: "rate single sample after reset", fn: rate, interval: 5 * M, series: "0+10x9 0 10", at: 50 * M, range: 5 * M, expect: undefined },
  { name: "rate reset at the end", fn: rate, interval: 5 * M, series: "0+10x9 0 10", at: 50 * M, range: 6 * M, expect: 0 },
  // load 5m calculate_rate_window_total 0+80x10
  { name: "rate window", fn: rate, interval: 5 * M, series: "0+80x10", at: 50 * M, range: 50 * M, expect: 0.26666666666666666 },
  // calculate_rate_offset_total{x="a"} 0+10x10 / {x="b"} 0+20x10; rate(...[10m] offset 5m)
  { name: "rate with offset a", fn: rate, interval: 5 * M, series: "0+10x10", at: 50 * M, range: 10 * M, offset: 5 * M, expect: 0.03333333333333333 },
  { name: "rate with offset b", fn: rate, interval: 5 * M, series: "0+20x10", at: 50 * M, range: 10 * M, offset: 5 * M, expect: 0.06666666666666667 },
  // load 4m testcounter_zero_cutoff_total{start="0m"} 0+240x10 …; eval instant at 10m rate(...[20m])
  { name: "zero cutoff start=0m", fn: rate, interval: 4 * M, series: "0+240x10", at: 10 * M, range: 20 * M, expect: 0.5 },
  { name: "zero cutoff start=1m", fn: rate, interval: 4 * M, series: "60+240x10", at: 10 * M, range: 20 * M, expect: 0.55 },
  { name: "zero cutoff start=2m", fn: rate, interval: 4 * M, series: "120+240x10", at: 10 * M, range: 20 * M, expect: 0.6 },
  { name: "zero cutoff start=5m", fn: rate, interval: 4 * M, series: "300+240x10", at: 10 * M, range: 20 * M, expect: 0.6 },
  { name: "half interval cutoff at 50m", fn: rate, interval: 4 * M, series: "0+240x10", at: 50 * M, range: 20 * M, expect: 0.6 },
  // load 5m http_requests_total{path="/foo"} 0+10x10, {path="/bar"} 0+10x5 0+10x5
  { name: "irate foo", fn: irate, interval: 5 * M, series: "0+10x10", at: 50 * M, range: 50 * M, expect: 0.03333333333333333 },
  { name: "irate bar at 50m", fn: irate, interval: 5 * M, series: "0+10x5 0+10x5", at: 50 * M, range: 50 * M, expect: 0.03333333333333333 },
  { name: "irate bar after reset", fn: irate, interval: 5 * M, series: "0+10x5 0+10x5", at: 30 * M, range: 50 * M, expect: 0 },
  // http_requests_nan 1 NaN NaN 5 11; eval range from 0 to 20m step 5m irate(...[15m1s]) → _ NaN NaN NaN 0.02
  { name: "irate first step", fn: irate, interval: 5 * M, series: "1 NaN NaN 5 11", at: 0, range: 15 * M + 1000, expect: undefined },
  { name: "irate NaN then", fn: irate, interval: 5 * M, series: "1 NaN NaN 5 11", at: 5 * M, range: 15 * M + 1000, expect: NaN },
  { name: "irate value after NaN", fn: irate, interval: 5 * M, series: "1 NaN NaN 5 11", at: 15 * M, range: 15 * M + 1000, expect: NaN },
  { name: "irate after NaNs", fn: irate, interval: 5 * M, series: "1 NaN NaN 5 11", at: 20 * M, range: 15 * M + 1000, expect: 0.02 },
  // load 5m http_requests{path="/foo"} 0 50 100 150 200, {path="/bar"} 200 150 100 50 0
  { name: "delta foo", fn: delta, interval: 5 * M, series: "0 50 100 150 200", at: 20 * M, range: 20 * M, expect: 200 },
  { name: "delta bar", fn: delta, interval: 5 * M, series: "200 150 100 50 0", at: 20 * M, range: 20 * M, expect: -200 },
  // load 5m http_requests{path="/foo"} 0 50 100 150, {path="/bar"} 0 50 100 50; idelta(...[20m]) at 20m
  { name: "idelta foo", fn: idelta, interval: 5 * M, series: "0 50 100 150", at: 20 * M, range: 20 * M, expect: 50 },
  { name: "idelta bar", fn: idelta, interval: 5 * M, series: "0 50 100 50", at: 20 * M, range: 20 * M, expect: -50 },
  { name: "idelta NaN", fn: idelta, interval: 5 * M, series: "1 NaN NaN 5 11", at: 10 * M, range: 15 * M + 1000, expect: NaN },
  { name: "idelta after NaNs", fn: idelta, interval: 5 * M, series: "1 NaN NaN 5 11", at: 20 * M, range: 15 * M + 1000, expect: 6 },
];

describe("rate family on functions.test data", () => {
  for (const c of TESTDATA) {
    it(c.name, () => {
      const ctx = rangeContext(c.at, c.range, { offsetMs: c.offset ?? 0, metricName: "x_total" });
      const got = c.fn(windowOf(load(c.interval, c.series), ctx.rangeEnd, c.range), ctx);
      if (c.expect === undefined) assert.equal(got, undefined);
      else assert.ok(got !== undefined && almostEqual(got, c.expect), `expected ${c.expect}, got ${got}`);
    });
  }
});

describe("rate, increase, delta extrapolation", () => {
  const cases: readonly {
    name: string;
    fn: RangeFunction;
    ts: number[];
    vs: number[];
    start: number;
    end: number;
    expect: number | undefined;
  }[] = [
    { name: "no samples", fn: rate, ts: [], vs: [], start: 0, end: 60_000, expect: undefined },
    { name: "one sample", fn: increase, ts: [30_000], vs: [5], start: 0, end: 60_000, expect: undefined },
    // Both samples within 110% of the 10s spacing from the bounds: extrapolated all the way.
    // Both ends within 110% of the 10s spacing from the bounds: extrapolated all the way (5s, 8s).
    { name: "extrapolates to both bounds", fn: delta, ts: [5_000, 15_000, 25_000], vs: [1, 2, 3], start: 0, end: 33_000, expect: 3.3 },
    // 20s from the end is beyond 11s: only half a spacing (5s) on that side.
    { name: "half spacing past a gap", fn: delta, ts: [5_000, 15_000, 25_000], vs: [1, 2, 3], start: 0, end: 45_000, expect: 3 },
    { name: "beyond 110% of the spacing", fn: delta, ts: [12_000, 22_000], vs: [0, 10], start: 0, end: 22_000, expect: 15 },
    { name: "within 110% of the spacing", fn: delta, ts: [10_999, 20_999], vs: [0, 10], start: 0, end: 20_999, expect: 20.999 },
    // A counter starting at 4 with slope 1/s would have been 0 four seconds earlier.
    { name: "counter zero point", fn: increase, ts: [10_000, 20_000], vs: [4, 14], start: 0, end: 20_000, expect: 14 },
    // A negative first value disables the zero-point cutoff.
    { name: "negative counter start", fn: increase, ts: [10_000, 20_000], vs: [-4, 6], start: 0, end: 20_000, expect: 20 },
    // Gauges extrapolate below zero.
    { name: "delta ignores the zero point", fn: delta, ts: [10_000, 20_000], vs: [4, 14], start: 0, end: 20_000, expect: 20 },
    { name: "resets add the value before the drop", fn: increase, ts: [0, 10_000, 20_000, 30_000], vs: [5, 10, 2, 4], start: -1, end: 30_000, expect: 9.0003 },
    { name: "negative timestamps", fn: rate, ts: [-30_000, -20_000, -10_000], vs: [0, 10, 20], start: -30_001, end: -10_000, expect: 20 / 20.001 },
    { name: "NaN in the middle is no reset", fn: rate, ts: [0, 10_000, 20_000], vs: [0, NaN, 20], start: -1, end: 20_000, expect: 20 / 20.001 },
    { name: "NaN at the end poisons", fn: rate, ts: [0, 10_000, 20_000], vs: [0, 10, NaN], start: -1, end: 20_000, expect: NaN },
    { name: "Inf", fn: delta, ts: [0, 10_000], vs: [0, Infinity], start: -1, end: 10_000, expect: Infinity },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ctx = rangeContext(c.end, c.end - c.start);
      const got = c.fn(windowFrom(c.ts, c.vs), ctx);
      if (c.expect === undefined) assert.equal(got, undefined);
      else assert.ok(got !== undefined && almostEqual(got, c.expect), `expected ${c.expect}, got ${got}`);
    });
  }

  it("divides by the range, not the sampled interval", () => {
    // 3 per 10s over a 1.5s-aligned 30s range: increase 9, rate 9/30.
    const w = windowFrom([10_000, 20_000, 30_000], [3, 6, 9]);
    const ctx = rangeContext(30_000, 30_000);
    assert.equal(increase(w, ctx), 9);
    assert.ok(almostEqual(rate(w, ctx) as number, 0.3));
  });

  it("uses Go's Duration.Seconds() for the range", () => {
    // 1118ms is 1 + 0.118 = 1.1179999999999999 s in Go, not 1118/1000 = 1.118.
    const w = windowFrom([0, 1118], [0, 1118]);
    const ctx = rangeContext(1118, 1118);
    assert.equal(rate(w, ctx), 1118 * (1 / 1.1179999999999999));
    assert.notEqual(rate(w, ctx), 1118 * (1 / 1.118));
  });
});

describe("irate and idelta", () => {
  it("need two samples", () => {
    assert.equal(irate(windowFrom([1], [1]), rangeContext(1, 10)), undefined);
    assert.equal(idelta(windowFrom([], []), rangeContext(1, 10)), undefined);
  });
  it("use only the last two samples", () => {
    const w = windowFrom([0, 1000, 3000], [100, 1, 5]);
    assert.equal(irate(w, rangeContext(3000, 5000)), 2);
    assert.equal(idelta(w, rangeContext(3000, 5000)), 4);
  });
  it("irate over a reset takes the last value over the gap", () => {
    assert.equal(irate(windowFrom([0, 2000], [10, 4]), rangeContext(2000, 5000)), 2);
  });
  it("idelta goes negative", () => {
    assert.equal(idelta(windowFrom([0, 2000], [10, 4]), rangeContext(2000, 5000)), -6);
  });
});

describe("possible non-counter info", () => {
  const w = windowFrom([0, 10_000], [1, 2]);
  for (const [name, fn] of [
    ["rate", rate],
    ["increase", increase],
  ] as const) {
    it(`${name} reports names without a counter suffix`, () => {
      const ctx = rangeContext(10_000, 20_000, { metricName: "http_requests" });
      fn(w, ctx);
      assert.deepEqual(ctx.infos, [possibleNonCounterInfo("http_requests")]);
      assert.equal(
        ctx.infos[0],
        'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "http_requests"',
      );
    });
    for (const ok of ["x_total", "x_sum", "x_count", "x_bucket", ""]) {
      it(`${name} stays silent for ${JSON.stringify(ok)}`, () => {
        const ctx = rangeContext(10_000, 20_000, { metricName: ok });
        fn(w, ctx);
        assert.deepEqual(ctx.infos, []);
      });
    }
    it(`${name} stays silent without a result`, () => {
      const ctx = rangeContext(10_000, 20_000, { metricName: "http_requests" });
      fn(windowFrom([0], [1]), ctx);
      assert.deepEqual(ctx.infos, []);
    });
  }
  it("delta, irate and idelta never report it", () => {
    for (const fn of [delta, irate, idelta]) {
      const ctx = rangeContext(10_000, 20_000, { metricName: "http_requests" });
      fn(w, ctx);
      assert.deepEqual(ctx.infos, []);
    }
  });
});
