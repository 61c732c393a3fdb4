import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseScript } from "./parse-script.js";
import { analyzeQuery } from "./query-analysis.js";
import type { SkipReason } from "./skips.js";
import { LoadedFeatures, isUnsupportedFeatureMessage, skipReasons } from "./skips.js";

// Skip reasons of every eval of a script, tracking loads and clears as the runner does.
function reasons(text: string): SkipReason[][] {
  let loaded = new LoadedFeatures();
  const out: SkipReason[][] = [];
  for (const cmd of parseScript(text).commands) {
    if (cmd.kind === "clear") loaded = new LoadedFeatures();
    else if (cmd.kind === "load") loaded.add(cmd);
    else out.push(skipReasons(cmd, analyzeQuery(cmd.query), loaded));
  }
  return out;
}

describe("skipReasons", () => {
  it("skips evals whose selectors could read a native histogram loaded since the last clear", () => {
    const got = reasons(`
load 1m
  floats{job="a"} 1 2
  hist{job="b"} {{schema:0 sum:1 count:1}}x1

eval instant at 1m floats

eval instant at 1m hist

eval instant at 1m {job=~"a|b"}

eval instant at 1m {job="a"}

eval instant at 1m {__name__=~"h.*"} or floats

eval instant at 1m floats{job="b"}

clear
load 1m
  hist 1

eval instant at 1m hist
`);
    assert.deepEqual(got, [[], ["native-histogram-data"], ["native-histogram-data"], [], ["native-histogram-data"], [], []]);
  });

  it("skips evals on the base names load_with_nhcb derives, not on the classic series", () => {
    const got = reasons(`
load_with_nhcb 1m
  req_bucket{le="0.1", job="a"} 1
  req_bucket{le="+Inf", job="a"} 2
  req_count{job="a"} 2
  req_sum{job="a"} 0.5

eval instant at 1m histogram_quantile(0.5, req_bucket)

eval instant at 1m histogram_quantile(0.5, req)

eval instant at 1m req_count

eval instant at 1m {job="a"}
`);
    assert.deepEqual(got, [[], ["nhcb-data"], [], ["nhcb-data"]]);
  });

  it("skips evals on series with start timestamps or type and unit labels", () => {
    const got = reasons(`
load 1m
  plain 1 2
  st@st -1m -1m
  st 1 2
  typed{__type__="counter"} 1 2

eval instant at 1m plain

eval instant at 1m rate(st[5m])

eval instant at 1m sum(typed)

eval instant at 1m plain{__unit__="seconds"}
`);
    assert.deepEqual(got, [[], ["start-timestamps"], ["type-and-unit"], ["type-and-unit"]]);
  });

  it("skips native-histogram results, native-only functions and experimental syntax", () => {
    const got = reasons(`
eval instant at 0 x
  x {{schema:0 sum:1 count:1}}

eval instant at 0 histogram_count(x)

eval instant at 0 histogram_quantile(0.5, x)

eval instant at 0 x offset (1m + 1m)

eval instant at 0 rate(x[5m] anchored)

eval instant at 0 a + fill(0) b

eval instant at 0 info(x)

eval instant at 0 start_timestamp(x)

eval instant at 0 limitk(1, x)
`);
    assert.deepEqual(got, [
      ["native-histogram-result"],
      ["native-histogram-function"],
      [],
      ["duration-expression"],
      ["extended-range-selector"],
      ["fill-modifier"],
      ["info-function"],
      ["start-timestamps"],
      [],
    ]);
  });

  it("lists every reason an eval has, in report order", () => {
    const got = reasons(`
load 1m
  h {{schema:0 sum:1 count:1}}

eval instant at 0 histogram_sum(h[5m] smoothed)
  {} {{schema:0 sum:1 count:1}}
`);
    assert.deepEqual(got, [["native-histogram-data", "native-histogram-result", "native-histogram-function", "extended-range-selector"]]);
  });
});

describe("isUnsupportedFeatureMessage", () => {
  for (const [message, want] of [
    ["1:5: parse error: experimental duration expressions are not enabled", true],
    ["parse error: function \"info\" is not enabled", true],
    ["1:1: parse error: unexpected end of input", false],
    ["vector cannot contain metrics with the same labelset", false],
  ] as const) {
    it(`${want ? "accepts" : "refuses"} ${JSON.stringify(message)}`, () => {
      assert.equal(isUnsupportedFeatureMessage(message), want);
    });
  }
});
