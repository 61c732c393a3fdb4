import { test } from "node:test";
import assert from "node:assert/strict";
import {
  parseDuration,
  parseDurationAllowNegative,
  parseDurationOrFloatSeconds,
  formatDuration,
  MAX_DURATION_MS,
} from "./duration.js";
import { DurationParseError } from "./errors.js";

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const W = 7 * D;
const Y = 365 * D;

// From prometheus/common model/time_test.go TestParseDuration: [input, ms, canonical string or
// "" when the input is already canonical].
const UPSTREAM: readonly (readonly [string, number, string])[] = [
  ["0", 0, "0s"],
  ["0w", 0, "0s"],
  ["0s", 0, ""],
  ["324ms", 324, ""],
  ["3s", 3 * S, ""],
  ["5m", 5 * M, ""],
  ["1h", H, ""],
  ["4d", 4 * D, ""],
  ["4d1h", 4 * D + H, ""],
  ["14d", 14 * D, "2w"],
  ["3w", 3 * W, ""],
  ["3w2d1h", 3 * W + 2 * D + H, "23d1h"],
  ["10y", 10 * Y, ""],
];

const NEGATIVE: readonly (readonly [string, number, string])[] = [
  ["-3s", -3 * S, ""],
  ["-5m", -5 * M, ""],
  ["-1h", -H, ""],
  ["-2d", -2 * D, ""],
  ["-1w", -W, ""],
  ["-3w2d1h", -(3 * W + 2 * D + H), "-23d1h"],
  ["-10y", -10 * Y, ""],
];

const MORE: readonly (readonly [string, number, string])[] = [
  ["1h30m", H + 30 * M, ""],
  ["1d12h", D + 12 * H, ""],
  ["250ms", 250, ""],
  ["1y2w", Y + 2 * W, "379d"],
  ["1m30s500ms", M + 30 * S + 500, ""],
  ["90d", 90 * D, ""],
  ["1y", Y, ""],
  ["2w", 2 * W, ""],
  ["60s", M, "1m"],
  ["1000ms", S, "1s"],
  ["292y", 292 * Y, ""],
];

test("parses and formats upstream's table", () => {
  for (const [input, ms, canonical] of [...UPSTREAM, ...MORE]) {
    assert.equal(parseDuration(input), ms, input);
    assert.equal(parseDurationAllowNegative(input), ms, input);
    assert.equal(formatDuration(ms), canonical === "" ? input : canonical, input);
  }
  for (const [input, ms, canonical] of NEGATIVE) {
    assert.equal(parseDurationAllowNegative(input), ms, input);
    assert.equal(formatDuration(ms), canonical === "" ? input : canonical, input);
    assert.throws(() => parseDuration(input), DurationParseError, input);
  }
});

test("rejects upstream's bad durations and more, naming the input", () => {
  // The first nine are prometheus/common's TestParseBadDuration.
  const bad = [
    "1", "1y1m1d", "1.5d", "d", "294y", "200y10400w", "107675d", "2584200h", "",
    "-1s", "1h1h", "1m1h", "1s1ms1s", "5x", "1H", "1 h", " 1h", "1h ", "1µs", "1ns", "+1h",
    "99999999999999999999999s", "0x10s", "1e3s",
  ];
  for (const input of bad) {
    assert.throws(
      () => parseDuration(input),
      (err: unknown) => err instanceof DurationParseError && err.input === input && err.code === "invalid_duration",
      JSON.stringify(input),
    );
  }
});

test("the range ends where a Go time.Duration ends", () => {
  assert.equal(MAX_DURATION_MS, 9_223_372_036_854);
  assert.equal(parseDuration("9223372036854ms"), MAX_DURATION_MS);
  assert.throws(() => parseDuration("9223372036855ms"), DurationParseError);
  assert.equal(parseDuration("106751d23h47m16s854ms"), MAX_DURATION_MS);
  assert.throws(() => parseDuration("106751d23h47m16s855ms"), DurationParseError);
});

test("formatDuration uses the largest units and drops sub-millisecond parts", () => {
  assert.equal(formatDuration(0), "0s");
  assert.equal(formatDuration(-0), "0s");
  assert.equal(formatDuration(0.4), "0s");
  assert.equal(formatDuration(1.9), "1ms");
  assert.equal(formatDuration(8 * D), "8d");
  assert.equal(formatDuration(Y + D), "366d");
  assert.equal(formatDuration(MAX_DURATION_MS), "106751d23h47m16s854ms");
});

test("parseDurationOrFloatSeconds accepts what the HTTP API accepts", () => {
  const cases: readonly (readonly [string, number])[] = [
    ["300", 300 * S],
    ["1.5", 1500],
    ["0", 0],
    [".5", 500],
    ["5.", 5 * S],
    ["1e3", 1000 * S],
    ["+2", 2 * S],
    ["-1", -S],
    ["0.0005", 0],
    ["0x1p4", 16 * S],
    ["5m", 5 * M],
    ["1h30m", H + 30 * M],
    ["9223372036", 9_223_372_036 * S],
  ];
  for (const [input, ms] of cases) assert.equal(parseDurationOrFloatSeconds(input), ms, input);
  for (const input of ["", "abc", "5 m", "NaN", "Inf", "-inf", "1e20", "9223372037", "1_000", "0x10", "-5m"]) {
    assert.throws(() => parseDurationOrFloatSeconds(input), DurationParseError, JSON.stringify(input));
  }
});
