import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FormValues, MAX_TIME_MS, MIN_TIME_MS, TimeParseError, parseLimitParam, parseTime, parseTimeParam } from "./params.js";
import { ApiError } from "./errors.js";

describe("parseTime", () => {
  const good: [string, number][] = [
    ["0", 0],
    ["1", 1000],
    ["1.5", 1500],
    ["-1.5", -1500],
    ["1.0004", 1000],
    ["1700000000.123", 1700000000123],
    ["1e3", 1_000_000],
    ["1_000", 1_000_000],
    [".5", 500],
    ["5.", 5000],
    ["+5", 5000],
    ["0x1p4", 16000],
    ["Inf", MAX_TIME_MS],
    ["-infinity", MIN_TIME_MS],
    ["1e300", MAX_TIME_MS],
    ["2024-01-01T00:00:00Z", 1704067200000],
    ["2024-01-01T00:00:00.123456Z", 1704067200123],
    ["2024-01-01T00:00:00,5Z", 1704067200500],
    ["2024-01-01T01:00:00+01:00", 1704067200000],
    ["2024-02-29T00:00:00Z", 1709164800000],
    ["0001-01-01T00:00:00Z", -62135596800000],
    ["-292273086-05-16T16:47:06Z", MIN_TIME_MS],
    ["292277025-08-18T07:12:54.999999999Z", MAX_TIME_MS],
  ];
  for (const [input, want] of good) it(`parses ${input}`, () => assert.equal(parseTime(input), want));

  const bad = ["x", "", "NaN", "0x10", "1e400", "2024-01-01t00:00:00Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
    "2024-01-01 00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00"];
  for (const input of bad) {
    it(`rejects ${JSON.stringify(input)}`, () =>
      assert.throws(() => parseTime(input), (e: unknown) => e instanceof TimeParseError && e.message === `cannot parse ${JSON.stringify(input)} to a valid timestamp`));
  }
});

describe("form parameters", () => {
  it("prefers body values and lists body values first, as Go's Request.Form", () => {
    const form = new FormValues("a=1&m=x", "a=2&m=y&m=z");
    assert.equal(form.get("a"), "1");
    assert.deepEqual(form.getAll("m"), ["x", "y", "z"]);
    assert.equal(form.get("none"), "");
  });

  it("words time and limit errors as Prometheus", () => {
    const form = new FormValues(undefined, "start=x&limit=-1");
    assert.equal(parseTimeParam(form, "end", 7), 7);
    assert.throws(() => parseTimeParam(form, "start", 0), (e: unknown) =>
      e instanceof ApiError && e.message === `invalid parameter "start": invalid time value for 'start': cannot parse "x" to a valid timestamp`);
    assert.throws(() => parseLimitParam(form), { message: 'invalid parameter "limit": limit must be non-negative' });
    assert.throws(() => parseLimitParam(new FormValues(undefined, "limit=1.5")), { message: 'invalid parameter "limit": strconv.Atoi: parsing "1.5": invalid syntax' });
    assert.equal(parseLimitParam(new FormValues(undefined, "limit=%2B3")), 3);
  });
});
