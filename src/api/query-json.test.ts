import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../model/index.js";
import { formatFixed, formatSampleTime, formatSampleValue, resultJson, statsJson } from "./query-json.js";

// Expected texts as a real Prometheus writes them (Go's strconv.FormatFloat; checked against 2.42).
describe("query JSON numbers", () => {
  const values: [number, string][] = [
    [1, "1"],
    [0, "0"],
    [-0, "-0"],
    [NaN, "NaN"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    [0.1, "0.1"],
    [1e-6, "0.000001"],
    [1.5e-6, "0.0000015"],
    [1e-7, "1e-07"],
    [-2.5e-9, "-2.5e-09"],
    [-1e-320, "-1e-320"],
    [123456789012345680, "123456789012345680"],
    [2 ** 53, "9007199254740992"],
    [1e20, "100000000000000000000"],
    [1e21, "1e+21"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [5e-324, "5e-324"],
  ];
  for (const [v, text] of values) {
    it(`sample value ${text}`, () => assert.equal(formatSampleValue(v), text));
  }

  const fixed: [number, string][] = [
    [1e-7, "0.0000001"],
    [1e22, "10000000000000000000000"],
    [-1.25e-8, "-0.0000000125"],
    [1.5e25, "15000000000000000000000000"],
    [1.2345e21, "1234500000000000000000"],
    [NaN, "NaN"],
    [-Infinity, "-Inf"],
    [-0, "-0"],
    [42.5, "42.5"],
  ];
  for (const [v, text] of fixed) {
    it(`scalar value ${text}`, () => assert.equal(formatFixed(v), text));
  }

  const times: [number, string][] = [
    [0, "0"],
    [1500, "1.500"],
    [2000, "2"],
    [1050, "1.050"],
    [1001, "1.001"],
    [7, "0.007"],
    [-1500, "-1.500"],
    [-7, "-0.007"],
    [1795570922579, "1795570922.579"],
  ];
  for (const [ms, text] of times) {
    it(`sample time ${ms} ms`, () => assert.equal(formatSampleTime(ms), text));
  }
});

describe("query JSON results", () => {
  const labels = Labels.fromRecord({ __name__: "up", job: "a<b>", "10": "x" });
  it("writes vectors with labels in label order and Prometheus's escapes", () => {
    const json = resultJson({ type: "vector", samples: [{ labels, t: 1500, v: 1e-7 }, { labels: Labels.EMPTY, t: 2000, v: NaN }] });
    assert.equal(json, '[{"metric":{"10":"x","__name__":"up","job":"a\\u003cb\\u003e"},"value":[1.500,"1e-07"]},{"metric":{},"value":[2,"NaN"]}]');
  });
  it("writes matrices", () => {
    const json = resultJson({ type: "matrix", series: [{ labels: Labels.fromRecord({ a: "b" }), ts: [1500, 2000, 2500], vs: [1, -Infinity, 1e21] }] });
    assert.equal(json, '[{"metric":{"a":"b"},"values":[[1.500,"1"],[2,"-Inf"],[2.500,"1e+21"]]}]');
  });
  it("writes empty vectors and matrices as empty arrays", () => {
    assert.equal(resultJson({ type: "vector", samples: [] }), "[]");
    assert.equal(resultJson({ type: "matrix", series: [] }), "[]");
  });
  it("writes scalars and strings as encoding/json does", () => {
    assert.equal(resultJson({ type: "scalar", t: 1500, v: 1e-7 }), '[1.5,"0.0000001"]');
    assert.equal(resultJson({ type: "scalar", t: 1001, v: 1e22 }), '[1.001,"10000000000000000000000"]');
    assert.equal(resultJson({ type: "string", t: -1500, v: 'a"<' }), '[-1.5,"a\\"\\u003c"]');
  });
  it("writes stats in Prometheus's key order", () => {
    const stats = {
      samples: { peakSamples: 4, totalQueryableSamples: 9 },
      timings: { execTotalTime: 6, execQueueTime: 5, innerEvalTime: 4, queryPreparationTime: 3, resultSortTime: 2, evalTotalTime: 1.5e-5 },
    };
    assert.equal(
      statsJson(stats),
      '{"timings":{"evalTotalTime":0.000015,"resultSortTime":2,"queryPreparationTime":3,"innerEvalTime":4,"execQueueTime":5,"execTotalTime":6},"samples":{"totalQueryableSamples":9,"peakSamples":4}}',
    );
  });
});
