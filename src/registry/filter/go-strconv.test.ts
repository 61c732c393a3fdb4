import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GoSyntaxError, goParseBool, goParseFloat, goParseInt, goParseUint, goUnquote } from "./go-strconv.js";

describe("goUnquote", () => {
  const ok: [string, string][] = [
    ['"abc"', "abc"],
    ['"a\\tb\\n"', "a\tb\n"],
    ['"\\x41\\101\\u00e9\\U0001F600"', "AAé😀"],
    ['"\\\\"', "\\"],
    ["`a\\nb`", "a\\nb"],
    ["`a\r\nb`", "a\nb"],
  ];
  for (const [input, want] of ok) it(JSON.stringify(input), () => assert.equal(goUnquote(input), want));
  for (const bad of ['"\\q"', '"a\nb"', '"\\\'"', '"\\400"', '"\\ud800"', '"abc', '"\\x4"']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => goUnquote(bad), GoSyntaxError));
  }
});

describe("Go number and bool parsing", () => {
  it("parses ints in base 0", () => {
    assert.deepEqual(["10", "-0x1F", "0o17", "017", "0b11", "1_000"].map(goParseInt), [10n, -31n, 15n, 15n, 3n, 1000n]);
    for (const bad of ["", "1.0", "_1", "1__0", "0x", "9223372036854775808"]) assert.throws(() => goParseInt(bad), GoSyntaxError);
  });
  it("parses uints without a sign", () => {
    assert.equal(goParseUint("18446744073709551615"), (1n << 64n) - 1n);
    assert.throws(() => goParseUint("-1"), GoSyntaxError);
  });
  it("parses floats", () => {
    assert.deepEqual(["1.5", ".5", "5.", "1e3", "0x1.8p1", "-inf"].map(goParseFloat), [1.5, 0.5, 5, 1000, 3, -Infinity]);
    assert.ok(Number.isNaN(goParseFloat("NaN")));
    for (const bad of ["1e", "x", "0x1.8", "1e999"]) assert.throws(() => goParseFloat(bad), GoSyntaxError);
  });
  it("parses bools", () => {
    assert.deepEqual(["1", "t", "TRUE", "False", "0"].map(goParseBool), [true, true, true, false, false]);
    assert.throws(() => goParseBool("yes"), GoSyntaxError);
  });
});
