import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { ScriptParseError, parseScript } from "./parse-script.js";
import type { Command, EvalCommand, LoadCommand } from "./script.js";

function evals(commands: readonly Command[]): EvalCommand[] {
  return commands.filter((c): c is EvalCommand => c.kind === "eval");
}

function only(text: string): EvalCommand {
  const [ev] = evals(parseScript(text).commands);
  assert.ok(ev !== undefined);
  return ev;
}

describe("parseScript", () => {
  it("reads load, clear and eval blocks; comments and blank lines end blocks", () => {
    const script = parseScript(`
# a comment
load 5m
  http_requests{job="api"} 0+10x2
    other 1 _ 3
  # a comment line ends the block

eval instant at 10m http_requests
  http_requests{job="api"} 20

clear
load_with_nhcb 1m
  h_bucket{le="1"} 1
`);
    assert.deepEqual(script.commands.map((c) => `${c.kind}@${c.line}`), ["load@3", "eval@8", "clear@11", "load@12"]);
    const load = script.commands[0] as LoadCommand;
    assert.equal(load.intervalMs, 300_000);
    assert.equal(load.withNHCB, false);
    assert.deepEqual(load.series.map((s) => [s.line, s.labels.toString(), s.values]), [
      [4, '{__name__="http_requests", job="api"}', [0, 10, 20]],
      [5, '{__name__="other"}', [1, undefined, 3]],
    ]);
    assert.equal((script.commands[3] as LoadCommand).withNHCB, true);
  });

  it("keeps the last line of a load block for the same series", () => {
    const load = parseScript("load 1m\n  m{a=\"1\"} 1\n  m{a=\"1\"} 2 3\n").commands[0] as LoadCommand;
    assert.equal(load.series.length, 1);
    assert.deepEqual(load.series[0]?.values, [2, 3]);
  });

  it("marks series given start timestamps, per series or for the rest of the block", () => {
    const load = parseScript(`load 1m
  a 1 2
  b@st -1m -1m
  b 1 2
  c 1 2
  @st 0s
  d 1
`).commands[0] as LoadCommand;
    assert.deepEqual(load.series.map((s) => [s.labels.metricName, s.hasStartTimestamps]), [["a", false], ["b", true], ["c", false], ["d", true]]);
  });

  it("reads an instant eval with its time and expected series", () => {
    const ev = only("eval instant at 1m30s sum by (job) (x)\n  {job=\"a\"} 3\n  {} -Inf\n");
    assert.equal(ev.query, "sum by (job) (x)");
    assert.equal(ev.range, false);
    assert.equal(ev.evalTime, 90_000);
    assert.equal(ev.start, 90_000);
    assert.equal(ev.end, 0);
    assert.deepEqual(ev.expectedSeries.map((s) => [s.position, s.labels.toString(), s.values]), [
      [1, '{job="a"}', [3]],
      [2, "{}", [-Infinity]],
    ]);
  });

  it("reads a range eval", () => {
    const ev = only("eval range from 0 to 10m step 5m rate(x[5m])\n  {} 1 _ 3\n");
    assert.equal(ev.range, true);
    assert.deepEqual([ev.start, ev.end, ev.step, ev.evalTime], [0, 600_000, 300_000, 0]);
    assert.deepEqual(ev.expectedSeries[0]?.values, [1, undefined, 3]);
  });

  it("reads expect lines with msg: and regex:", () => {
    const ev = only(`eval instant at 0 foo
  expect warn msg: PromQL warning: something (1:1)
  expect warn regex: some.*thing
  expect no_info
  expect ordered
  expect{} 1
`);
    assert.deepEqual(ev.expect.warn.map((e) => e.kind), ["message", "regex"]);
    assert.deepEqual(ev.expect.warn[0], { kind: "message", text: "PromQL warning: something (1:1)" });
    assert.equal(ev.expect.noInfo, true);
    assert.equal(ev.expect.ordered, true);
    assert.ok(ev.expectedSeries[0]?.labels.equals(Labels.fromRecord({ __name__: "expect" })));
  });

  it("reads expect fail and the deprecated eval_fail forms", () => {
    assert.deepEqual(only("eval instant at 0 x\n  expect fail\n").expect.fail, [{ kind: "any" }]);
    assert.deepEqual(only("eval instant at 0 x\n  expect fail msg:boom\n").expect.fail, [{ kind: "message", text: "boom" }]);
    const legacy = only("eval_fail instant at 0 x\n  expected_fail_message vector cannot contain metrics with the same labelset\n");
    assert.equal(legacy.legacy.fail, true);
    assert.deepEqual(legacy.legacyFail, { kind: "message", text: "vector cannot contain metrics with the same labelset" });
    assert.equal(only("eval_fail instant at 0 x\n  expected_fail_regexp same (label)?set\n").legacyFail?.kind, "regex");
    assert.equal(only("eval_ordered instant at 0 x\n").legacy.ordered, true);
    assert.equal(only("eval_warn range from 0 to 1m step 1m x\n").legacy.warn, true);
    assert.equal(only("eval_info instant at 0 x\n").legacy.info, true);
  });

  it("reads scalar, string and range-vector expectations", () => {
    assert.equal(only("eval instant at 0 1+1\n  2\n").expectedScalar, 2);
    assert.ok(Number.isNaN(only("eval instant at 0 0/0\n  NaN\n").expectedScalar as number));
    const str = only('eval instant at 0 "a"\n  expect string "a\\tb"\n');
    assert.equal(str.expectedString, "a\tb");
    assert.equal(str.excludeFromRangeQuery, true);
    assert.equal(only("eval instant at 0 \"a\"\n  expect string `a\\tb`\n").expectedString, "a\\tb");
    const rv = only("eval instant at 1m m[1m]\n  expect range vector from 10s to 1m step 10s\n  m 2 3 4 5 6\n");
    assert.deepEqual([rv.start, rv.end, rv.step, rv.evalTime, rv.expectRangeVector, rv.excludeFromRangeQuery], [10_000, 60_000, 10_000, 60_000, true, true]);
    assert.deepEqual(rv.expectedSeries[0]?.values, [2, 3, 4, 5, 6]);
  });

  it("ends an eval block after a scalar line, as upstream", () => {
    assert.throws(() => parseScript("eval instant at 0 1\n  1\n  2\n"), (err: unknown) => err instanceof ScriptParseError && err.line === 3);
  });

  it("flags evals that expect native histograms", () => {
    assert.equal(only("eval instant at 0 h\n  h {{schema:0 sum:1 count:1}}\n").expectsHistograms, true);
    assert.equal(only("eval instant at 0 h\n  h 1\n").expectsHistograms, false);
  });

  const errors: [string, string][] = [
    ["bogus 1", "invalid command"],
    ["load\n", "invalid load command"],
    ["load 5x\n  m 1\n", "invalid step definition"],
    ["eval at 0 x\n", "invalid evaluation command"],
    ["eval_ordered range from 0 to 1m step 1m x\n", "invalid evaluation command"],
    ["eval instant at 5 x\n", "invalid timestamp definition"],
    ["eval range from 2m to 1m step 1m x\n", "end timestamp (1m) is before start timestamp (2m)"],
    ["eval instant at 0 x\n  m 1 2\n", "expecting multiple values in instant evaluation not allowed"],
    ["eval instant at 0 x\n  expect fail\n  expect fail\n", "multiple expect fail lines"],
    ["eval instant at 0 x\n  expect info\n  expect no_info\n", "info and no_info cannot be used together"],
    ["eval instant at 0 x\n  expect warn\n  expect no_warn\n", "warn and no_warn cannot be used together"],
    ["eval instant at 0 x\n  expect sometimes\n", "invalid expect statement"],
    ["eval instant at 0 x\n  expect warn regex: (\n", "invalid regex"],
    ["eval instant at 0 x\n  expect string\n", "a quoted string literal is required"],
    ["eval instant at 0 x\n  expect string foo\n", "check that the string is correctly quoted"],
    ["eval instant at 0 x\n  expect range vector from 1m\n", "invalid range vector definition"],
    ["load 1m\n  m@st 0s\n", "@st line has no following sample line"],
    ["load 1m\n  m@st 0s\n  n 1\n", "@st metric does not match"],
    ["load 1m\n  m{a=~\"b\"} 1\n", "expected \"=\" after"],
  ];
  for (const [text, message] of errors) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseScript(text), (err: unknown) => err instanceof ScriptParseError && err.message.includes(message));
    });
  }
});
