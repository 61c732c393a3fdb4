import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyzeQuery, normalizeForGrammar, withAtModifier } from "./query-analysis.js";

describe("analyzeQuery", () => {
  it("reads every selector's matchers, inside functions and subqueries too", () => {
    const a = analyzeQuery('sum(rate(http{job="a", code=~"5.."}[5m])) / max_over_time({"my.metric", x!="y"}[1h:1m] offset 5m)');
    assert.equal(a.approximate, false);
    assert.deepEqual(
      a.selectors.map((ms) => ms?.map(String)),
      [['__name__="http"', 'job="a"', 'code=~"5.."'], ['__name__="my.metric"', 'x!="y"']],
    );
    assert.deepEqual([...a.functions].sort(), ["max_over_time", "rate"]);
    assert.deepEqual([...a.features], []);
  });

  const features: [string, string[]][] = [
    ["rate(x[5m] offset -1m)", []],
    ["changes(x[1800])", []],
    ["x offset 100 + 2", []],
    ["x offset -2 ^ 2", []],
    ["changes(x[26m+4m])", ["duration-expression"]],
    ["sum_over_time(x[30s:5s+5s])", ["duration-expression"]],
    ["x offset (100 + 2)", ["duration-expression"]],
    ["x offset -step()", ["duration-expression"]],
    ["count_over_time(x[1+(STep()-5)*2])", ["duration-expression"]],
    ["increase(x[5m] anchored)", ["extended-range-selector"]],
    ["x smoothed", ["extended-range-selector"]],
    ["a + fill(0) b", ["fill-modifier"]],
    ["a * on(i) group_left fill_right(1) b", ["fill-modifier"]],
  ];
  for (const [query, want] of features) {
    it(`finds ${want.length === 0 ? "no optional feature" : want.join(", ")} in ${query}`, () => {
      assert.deepEqual([...analyzeQuery(query).features], want);
    });
  }

  it("names the functions called, in lower case for upper-case spellings", () => {
    assert.deepEqual([...analyzeQuery('info(x, {a="b"})').functions], ["info"]);
    assert.deepEqual([...analyzeQuery("histogram_count(rate(h[5m]))").functions].sort(), ["histogram_count", "rate"]);
  });

  it("falls back to the text, selecting anything, for what the grammar refuses", () => {
    const a = analyzeQuery("min_of(3, foo)");
    assert.equal(a.approximate, true);
    assert.deepEqual(a.selectors, [undefined]);
    assert.ok(a.functions.has("min_of"));
  });
});

describe("normalizeForGrammar", () => {
  it("drops trailing dots of numbers and lower-cases function names without moving text", () => {
    assert.equal(normalizeForGrammar('histogram_quantile(1./6., X{a="1."}) + STep()'), 'histogram_quantile(1 /6 , X{a="1."}) + step()');
  });
});

describe("withAtModifier", () => {
  const cases: [string, string | undefined][] = [
    ["foo", "foo @ 10.000"],
    ['rate(foo{a="b"}[5m])', 'rate(foo{a="b"}[5m] @ 10.000)'],
    ["foo offset 5m", "foo @ 10.000 offset 5m"],
    ["foo @ 5", "foo @ 5"],
    ["foo offset 1m @ 5", "foo offset 1m @ 5"],
    // PromQL binds `@` to the selector before it, whatever the editor grammar nests.
    ["a + b @ 5", "a @ 10.000 + b @ 5"],
    ["a + b @ 5 offset -1m", "a @ 10.000 + b @ 5 offset -1m"],
    ["sum by (job) (a) / on(job) b", "sum by (job) (a @ 10.000) / on(job) b @ 10.000"],
    // A subquery is pinned as a whole; what is inside it stays as written.
    ["max_over_time(rate(x[1m])[5m:1m])", "max_over_time(rate(x[1m])[5m:1m] @ 10.000)"],
    ["sum_over_time(x[5m:1m] @ 3)", "sum_over_time(x[5m:1m] @ 3)"],
    ["sum_over_time(timestamp(x)[5m:1m])", "sum_over_time(timestamp(x)[5m:1m] @ 10.000)"],
    ["1 + 2", "1 + 2"],
    ["histogram_quantile(1./6., x)", "histogram_quantile(1./6., x @ 10.000)"],
    // Functions that read the evaluation time make pinning change the answer.
    ["time() - foo", undefined],
    ["timestamp(foo)", undefined],
    ["hour(foo)", undefined],
    ["min_of(1, 2)", undefined],
  ];
  for (const [query, want] of cases) {
    it(`rewrites ${query}`, () => {
      assert.equal(withAtModifier(query, 10_000), want);
    });
  }

  it("prints negative and fractional times in seconds", () => {
    assert.equal(withAtModifier("foo", -1000), "foo @ -1.000");
    assert.equal(withAtModifier("foo", 1234), "foo @ 1.234");
  });
});
