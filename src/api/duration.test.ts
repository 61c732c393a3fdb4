import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DurationParamError, parseDurationParam } from "./duration.js";

describe("parseDurationParam", () => {
  const good: [string, number][] = [
    ["15", 15_000],
    ["0.5", 500],
    ["1e3", 1_000_000],
    ["1_000", 1_000_000],
    ["0.0005", 0.5],
    ["0.0000000015", 0.000001],
    ["-1", -1000],
    ["0", 0],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["250ms", 250],
    ["1y", 31_536_000_000],
    ["0x10p0", 16_000],
  ];
  for (const [input, ms] of good) {
    it(`takes ${input}`, () => assert.equal(parseDurationParam(input), ms));
  }
  it("turns NaN seconds into a negative duration, as Go's conversion does", () => {
    assert.ok(parseDurationParam("NaN") < 0);
  });
  const bad: [string, string][] = [
    ["", 'cannot parse "" to a valid duration'],
    ["x", 'cannot parse "x" to a valid duration'],
    ["5 m", 'cannot parse "5 m" to a valid duration'],
    ["1e400", 'cannot parse "1e400" to a valid duration'],
    ["1e10", 'cannot parse "1e10" to a valid duration. It overflows int64'],
    ["-Inf", 'cannot parse "-Inf" to a valid duration. It overflows int64'],
    ["+nan", 'cannot parse "+nan" to a valid duration'],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input)}`, () => assert.throws(() => parseDurationParam(input), (err) => err instanceof DurationParamError && err.message === message));
  }
});
