// Per-sample functions: cases from Prometheus's functions.test and trig_functions.test (quoted),
// and Go's math/time behaviour at the edges.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { VALUE_FUNCTIONS } from "./index.js";
import { almostEqual } from "./test-fixtures.js";

function call(name: string, v: number, ...args: number[]): number {
  const fn = VALUE_FUNCTIONS.get(name);
  assert.ok(fn !== undefined, name);
  return fn(v, args);
}

function same(actual: number, expected: number): boolean {
  return Object.is(actual, expected) || (Number.isNaN(actual) && Number.isNaN(expected));
}

describe("abs, ceil, floor, round (functions.test)", () => {
  // data{type="positive"} 2.5, "whole" 2, "negative" -2.5, "nwhole" -2, "zero" 0, "nzero" -0, inf, ninf, nan
  const inputs = [2.5, 2, -2.5, -2, 0, -0, Infinity, -Infinity, NaN];
  const expected: Record<string, number[]> = {
    abs: [2.5, 2, 2.5, 2, 0, 0, Infinity, Infinity, NaN],
    ceil: [3, 2, -2, -2, 0, -0, Infinity, -Infinity, NaN],
    floor: [2, 2, -3, -2, 0, -0, Infinity, -Infinity, NaN],
    round: [3, 2, -2, -2, 0, 0, Infinity, -Infinity, NaN],
  };
  for (const [name, outs] of Object.entries(expected)) {
    it(name, () => {
      inputs.forEach((x, i) => assert.ok(almostEqual(call(name, x), outs[i] as number), `${name}(${x}) = ${call(name, x)}`));
    });
  }
  it("round(-0) is +0: floor(-0 + 0.5) / 1", () => assert.ok(Object.is(call("round", -0), 0)));
  it("ceil(-0.5) is -0 as Go's", () => assert.ok(Object.is(call("ceil", -0.5), -0)));
});

describe("round to_nearest", () => {
  const cases: readonly [number, number, number][] = [
    [2.5, 1, 3],
    [-2.5, 1, -2],
    [1234.5678, 0.01, 1234.57],
    [1234.5678, 10, 1230],
    [7, 5, 5],
    [7.5, 5, 10],
    [0.15, 0.1, 0.2],
    [0.05, 0.1, 0.1],
    // 1/0 = +Inf, floor(Inf) / Inf = NaN
    [3, 0, NaN],
    [3, -1, 3],
    [2.5, -1, 2],
    [3, NaN, NaN],
    [3, Infinity, NaN],
  ];
  for (const [x, n, expect] of cases) {
    it(`round(${x}, ${n}) = ${expect}`, () => assert.ok(almostEqual(call("round", x, n), expect), `got ${call("round", x, n)}`));
  }
});

describe("clamp, clamp_min, clamp_max (functions.test)", () => {
  // test_clamp{src="clamp-a"} -50, "clamp-b" 0, "clamp-c" 100
  const xs = [-50, 0, 100];
  it("clamp_max(v, 75)", () => assert.deepEqual(xs.map((x) => call("clamp_max", x, 75)), [-50, 0, 75]));
  it("clamp_min(v, -25)", () => assert.deepEqual(xs.map((x) => call("clamp_min", x, -25)), [-25, 0, 100]));
  it("clamp(v, -25, 75)", () => assert.deepEqual(xs.map((x) => call("clamp", x, -25, 75)), [-25, 0, 75]));
  it("clamp(v, 0, NaN) and clamp(v, NaN, 0) are NaN", () => {
    for (const x of xs) {
      assert.ok(Number.isNaN(call("clamp", x, 0, NaN)));
      assert.ok(Number.isNaN(call("clamp", x, NaN, 0)));
    }
  });
  it("infinities win over NaN as in Go's math.Max/Min", () => {
    assert.equal(call("clamp_min", NaN, Infinity), Infinity);
    assert.equal(call("clamp_max", NaN, -Infinity), -Infinity);
    assert.equal(call("clamp", -Infinity, 0, NaN), 0);
    assert.ok(Number.isNaN(call("clamp_min", NaN, 5)));
  });
  it("orders zeros as Go (max(-0, +0) = +0)", () => {
    assert.ok(Object.is(call("clamp_min", -0, 0), 0));
    assert.ok(Object.is(call("clamp_max", 0, -0), -0));
  });
});

describe("sgn (functions.test)", () => {
  const cases: readonly [number, number][] = [
    [-Infinity, -1],
    [Infinity, 1],
    [NaN, NaN],
    [-50, -1],
    [0, 0],
    [100, 1],
  ];
  for (const [x, expect] of cases) it(`sgn(${x})`, () => assert.ok(same(call("sgn", x), expect)));
  it("keeps -0", () => assert.ok(Object.is(call("sgn", -0), -0)));
});

describe("exp, ln, sqrt, log2, log10 (functions.test)", () => {
  // exp_root_log{l="x"} 10, {l="y"} 20
  const cases: readonly [string, number, number][] = [
    ["exp", 10, 22026.465794806718],
    ["exp", 20, 485165195.4097903],
    ["exp", 0, 1],
    ["exp", -10, 4.5399929762484854e-5],
    ["ln", 10, 2.302585092994046],
    ["ln", 20, 2.995732273553991],
    ["ln", 0, -Infinity],
    ["ln", -10, NaN],
    ["sqrt", 10, 3.1622776601683795],
    ["sqrt", 20, 4.47213595499958],
    ["log2", 10, 3.3219280948873626],
    ["log2", 20, 4.321928094887363],
    ["log2", 0, -Infinity],
    ["log2", -10, NaN],
    ["log10", 10, 1],
    ["log10", 20, 1.301029995663981],
    ["log10", 0, -Infinity],
    ["log10", -10, NaN],
  ];
  for (const [fn, x, expect] of cases) {
    it(`${fn}(${x})`, () => assert.ok(almostEqual(call(fn, x), expect), `got ${call(fn, x)}`));
  }
  it("log2 is exact for powers of two, including the extremes", () => {
    assert.equal(call("log2", 1024), 10);
    assert.equal(call("log2", 0.5), -1);
    assert.equal(call("log2", 2 ** -1074), -1074);
    assert.equal(call("log2", 1.7976931348623157e308), 1024);
  });
  it("log10 is exact for 1000 as Go's ln × log10(e)", () => assert.equal(call("log10", 1000), 3));
  it("ln of a subnormal is what Go's amd64 assembly yields", () => {
    assert.equal(call("ln", 5e-324), -709.0895657128241);
    assert.equal(call("log10", 5e-324), -307.9536855642528);
  });
});

describe("trigonometry (trig_functions.test)", () => {
  const cases: readonly [string, number, number][] = [
    ["sin", 0, 0],
    ["sin", Math.PI / 2, 1],
    ["cos", 0, 1],
    ["tan", 0, 0],
    ["asin", 1, Math.PI / 2],
    ["acos", 1, 0],
    ["atan", 1, Math.PI / 4],
    ["sinh", 0, 0],
    ["cosh", 0, 1],
    ["tanh", 0, 0],
    ["asinh", 0, 0],
    ["acosh", 1, 0],
    ["atanh", 0, 0],
    ["atanh", 1, Infinity],
    ["acos", 2, NaN],
    ["sin", Infinity, NaN],
    ["deg", Math.PI, 180],
    ["rad", 180, Math.PI],
    ["deg", 1, 57.29577951308232],
    ["rad", 1, 0.017453292519943295],
  ];
  for (const [fn, x, expect] of cases) {
    it(`${fn}(${x})`, () => assert.ok(almostEqual(call(fn, x), expect), `got ${call(fn, x)}`));
  }
});

describe("date functions (functions.test)", () => {
  const cases: readonly [string, number, number][] = [
    ["year", 0, 1970],
    ["year", 1136239445, 2006],
    ["month", 0, 1],
    ["month", 1136239445, 1],
    ["day_of_month", 0, 1],
    ["day_of_month", 1136239445, 2],
    ["day_of_year", 0, 1],
    ["day_of_year", 1136239445, 2],
    // Thursday.
    ["day_of_week", 0, 4],
    ["day_of_week", 1136239445, 1],
    ["hour", 0, 0],
    ["hour", 1136239445, 22],
    ["minute", 0, 0],
    ["minute", 1136239445, 4],
    // 2008-12-31 23:59:59 just before leap second, 2009-01-01 00:00:00 just after.
    ["year", 1230767999, 2008],
    ["year", 1230768000, 2009],
    // 2016-02-29 23:59:59 and 2016-03-01 00:00:00 in a leap year.
    ["month", 1456790399, 2],
    ["day_of_month", 1456790399, 29],
    ["month", 1456790400, 3],
    ["day_of_month", 1456790400, 1],
    // 2016-12-31 13:37:00 is the 366th day, 2022-12-31 13:37:00 the 365th.
    ["day_of_year", 1483191420, 366],
    ["day_of_year", 1672493820, 365],
    // February 2016 and 2017.
    ["days_in_month", 1454284800, 29],
    ["days_in_month", 1485907200, 28],
  ];
  for (const [fn, x, expect] of cases) it(`${fn}(${x}) = ${expect}`, () => assert.equal(call(fn, x), expect));
});

describe("date functions at the edges (Go's time.Unix(int64(v), 0).UTC())", () => {
  const cases: readonly [string, number, number][] = [
    // Truncation toward zero: -0.5 s is 1970-01-01, -1 s is 1969-12-31 23:59:59.
    ["year", -0.5, 1970],
    ["year", -1, 1969],
    ["hour", -1, 23],
    ["minute", -1, 59],
    ["day_of_week", -1, 3],
    ["day_of_year", -1, 365],
    // 0001-01-01 and the second before it (year 0, a leap year in the proleptic calendar).
    ["year", -62135596800, 1],
    ["year", -62135596801, 0],
    ["day_of_year", -62135596801, 366],
    ["days_in_month", -62135596801, 31],
    ["year", 253402300800, 10000],
    ["days_in_month", 951782400, 29],
    ["days_in_month", 4107542400, 31],
    ["days_in_month", 4107542399, 28],
    ["year", 1e15, 31690708],
    ["year", -1e15, -31686769],
    // NaN, ±Inf and values beyond int64 become -2^63 seconds, which Go's clock wraps around.
    ["year", NaN, 292277026596],
    ["month", NaN, 12],
    ["day_of_month", NaN, 4],
    ["hour", NaN, 15],
    ["minute", NaN, 30],
    ["day_of_year", NaN, 339],
    ["day_of_week", NaN, 0],
    ["days_in_month", NaN, 31],
    ["year", Infinity, 292277026596],
    ["year", -Infinity, 292277026596],
    ["year", 1e19, 292277026596],
  ];
  for (const [fn, x, expect] of cases) it(`${fn}(${x}) = ${expect}`, () => assert.equal(call(fn, x), expect));
  it("never returns -0", () => {
    for (const [name, fn] of VALUE_FUNCTIONS) {
      if (!["year", "month", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute"].includes(name)) continue;
      for (const x of [-0, -86400, -1e15, -62135596801]) assert.ok(!Object.is(fn(x, []), -0), `${name}(${x})`);
    }
  });
});
