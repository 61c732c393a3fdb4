import { test } from "node:test";
import assert from "node:assert/strict";
import { formatGoFloat, parseGoFloat } from "./float.js";

const enc = new TextEncoder();
const pf = (s: string) => {
  const b = enc.encode(s);
  return parseGoFloat(b, 0, b.length);
};

test("parseGoFloat accepts what Go's ParseFloat accepts (minus hex and underscores)", () => {
  const cases: [string, number][] = [
    ["1", 1], ["-1.5", -1.5], ["+.5", 0.5], ["5.", 5], ["1e3", 1000], ["1E-3", 0.001], ["1.e2", 100],
    ["0.1", 0.1], ["123456789012345678901234567890", 1.2345678901234568e29], ["1e-400", 0],
    ["Inf", Infinity], ["+inf", Infinity], ["-Infinity", -Infinity], ["iNfInItY", Infinity], ["NaN", NaN], ["nan", NaN],
    ["0.30000000000000004", 0.30000000000000004], ["9007199254740993", 9007199254740992], ["1.7976931348623157e308", 1.7976931348623157e308],
  ];
  for (const [s, v] of cases) assert.ok(Object.is(pf(s), v), `${s} -> ${pf(s)}`);
  assert.ok(Object.is(pf("-0"), -0));
});

test("parseGoFloat rejects what Go rejects", () => {
  for (const s of ["", "+", "-", ".", "e5", "1e", "1e+", "0x10", "0x1p3", "1_000", "+nan", "-NaN", "infinit", "Infx", "1.2.3", "1e400", "-1e400", " 1", "1 "]) {
    assert.equal(pf(s), undefined, s);
  }
});

test("formatGoFloat matches strconv.FormatFloat(v, 'g', -1, 64)", () => {
  const cases: [number, string][] = [
    [0, "0"], [-0, "-0"], [1, "1"], [-2.5, "-2.5"], [1e6, "1e+06"], [123456, "123456"], [1234567, "1.234567e+06"],
    [0.0001, "0.0001"], [0.00001, "1e-05"], [1e21, "1e+21"], [1e100, "1e+100"], [0.1, "0.1"], [NaN, "NaN"],
    [Infinity, "+Inf"], [-Infinity, "-Inf"], [5e-324, "5e-324"], [1.7976931348623157e308, "1.7976931348623157e+308"], [100.5, "100.5"],
  ];
  for (const [v, s] of cases) assert.equal(formatGoFloat(v), s, String(v));
});
