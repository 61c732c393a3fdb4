import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { STALE, type SequenceValue } from "./script.js";
import { SeriesDescriptionError, parseLabels, parsePromNumber, parseSeriesDescription, parseValueSequence } from "./series-description.js";

const h = (text: string): SequenceValue => ({ histogram: text });

describe("parseValueSequence", () => {
  const cases: [string, SequenceValue[]][] = [
    ["", []],
    ["1 2 3", [1, 2, 3]],
    ["0+10x3", [0, 10, 20, 30]],
    ["-2+4x3", [-2, 2, 6, 10]],
    ["10-3x2", [10, 7, 4]],
    ["5x2", [5, 5, 5]],
    // `0x3` is "0 repeated", never hexadecimal, in a series description.
    ["0x3", [0, 0, 0, 0]],
    ["_", [undefined]],
    ["1 _x3 2", [1, undefined, undefined, undefined, 2]],
    ["Inf -Inf +Inf -inf", [Infinity, -Infinity, Infinity, -Infinity]],
    ["1e3 .5 -2.5e-1 9.988465674311579e+307", [1000, 0.5, -0.25, 9.988465674311579e307]],
    ["1+1x10000", Array.from({ length: 10001 }, (_, i) => 1 + i)],
    // Accumulated like upstream (v += delta), so the third value carries the rounding of two additions.
    ["0.1+0.1x2", [0.1, 0.2, 0.1 + 0.1 + 0.1]],
    ["\t1\t 2  ", [1, 2]],
    ["{{schema:0 sum:1 count:1}}x2", [h("{{schema:0 sum:1 count:1}}"), h("{{schema:0 sum:1 count:1}}"), h("{{schema:0 sum:1 count:1}}")]],
    ["1 {{count:1 buckets:[1 2]}}+{{count:1}}x1 _", [1, h("{{count:1 buckets:[1 2]}}"), h("{{count:1 buckets:[1 2]}}"), undefined]],
  ];
  for (const [input, want] of cases) {
    it(`expands ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`, () => {
      assert.deepEqual(parseValueSequence(input), want);
    });
  }

  it("reads NaN and the staleness marker apart", () => {
    const [nan, stale, more] = parseValueSequence("NaN stale stale+1x1");
    assert.ok(Number.isNaN(nan));
    assert.equal(stale, STALE);
    assert.equal(more, STALE);
  });

  for (const bad of ["1+2", "1x", "x3", "stalex3", "foo", "0x1F", "1 2,", "_+1x2", "{{count:1}}+1x2", "{{count:1"]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseValueSequence(bad), SeriesDescriptionError);
    });
  }
});

describe("parseLabels", () => {
  const cases: [string, Record<string, string>][] = [
    ["metric", { __name__: "metric" }],
    ["{}", {}],
    ["expect{}", { __name__: "expect" }],
    ['metric{a="b", c="d",}', { __name__: "metric", a: "b", c: "d" }],
    ['{__name__="x", job="j"}', { __name__: "x", job: "j" }],
    ['{"my.metric", "a.b"="c"}', { __name__: "my.metric", "a.b": "c" }],
    ["m{a='single', b=`raw\\n`}", { __name__: "m", a: "single", b: "raw\\n" }],
    ['m{a="\\u00e9\\x41\\n\\""}', { __name__: "m", a: 'éA\n"' }],
    ['m{a="\\xc3\\xa9"}', { __name__: "m", a: "é" }],
    ['ns:metric:rate5m{le="+Inf"}', { __name__: "ns:metric:rate5m", le: "+Inf" }],
  ];
  for (const [input, want] of cases) {
    it(`reads ${input}`, () => {
      assert.ok(parseLabels(input).equals(Labels.fromRecord(want)), parseLabels(input).toString());
    });
  }

  for (const bad of ['m{a=~"b"}', 'm{a!="b"}', 'm{a="b"', "m{a=b}", '{a="b" c="d"}', "", '"m"']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseLabels(bad), SeriesDescriptionError);
    });
  }
});

describe("parseSeriesDescription", () => {
  it("splits labels from values", () => {
    const d = parseSeriesDescription('http_requests{job="api", path="/a b"}\t0+10x2 stale');
    assert.ok(d.labels.equals(Labels.fromRecord({ __name__: "http_requests", job: "api", path: "/a b" })));
    assert.deepEqual(d.values, [0, 10, 20, STALE]);
  });

  it("needs a space between labels and values", () => {
    assert.throws(() => parseSeriesDescription('m{a="b"}1'), SeriesDescriptionError);
  });
});

describe("parsePromNumber", () => {
  const cases: [string, number | undefined][] = [
    ["42", 42],
    ["-7", -7],
    ["0x1F", 31],
    ["017", 15],
    ["0o17", 15],
    ["0b101", 5],
    ["1_000", 1000],
    ["3.5", 3.5],
    ["1e3", 1000],
    [".5", 0.5],
    ["5.", 5],
    ["Inf", Infinity],
    ["+Inf", Infinity],
    ["-inf", -Infinity],
    ["infinity", Infinity],
    ["1e400", undefined],
    ["+NaN", undefined],
    ["abc", undefined],
    ["1 2", undefined],
    ['{a="b"} 1', undefined],
  ];
  for (const [input, want] of cases) {
    it(`reads ${JSON.stringify(input)}`, () => {
      assert.equal(parsePromNumber(input), want);
    });
  }

  it("reads NaN in any case", () => {
    assert.ok(Number.isNaN(parsePromNumber("NaN")));
    assert.ok(Number.isNaN(parsePromNumber("nan")));
  });
});
