import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatReport, summarize, total } from "./report.js";
import type { ScriptReport } from "./run-script.js";

const a: ScriptReport = {
  name: "a.test",
  errors: [],
  outcomes: [
    { line: 1, query: "x", status: "passed", skipReasons: [], extra: { status: "passed" } },
    { line: 2, query: "y", status: "passed", skipReasons: [], extra: { status: "failed", reason: "range mode: off by one" } },
    { line: 3, query: "z", status: "failed", reason: "expected 1 for {} but got 2", skipReasons: [] },
    { line: 4, query: "h", status: "skipped", reason: "…", skipReasons: ["native-histogram-data", "native-histogram-function"] },
  ],
};
const b: ScriptReport = {
  name: "b.test",
  errors: ["parse: line 3: invalid command"],
  outcomes: [{ line: 9, query: "x offset (1m+1m)", status: "skipped", skipReasons: ["duration-expression"] }],
};

describe("summarize and total", () => {
  it("count outcomes per script, script errors as failures, skips by their first reason", () => {
    const sa = summarize(a);
    assert.deepEqual([sa.evals, sa.passed, sa.failed, sa.skipped, sa.extraFailed], [4, 2, 1, 1, 1]);
    assert.equal(sa.skipReasons["native-histogram-data"], 1);
    assert.equal(sa.skipReasons["native-histogram-function"], 0);
    const all = total([sa, summarize(b)]);
    assert.deepEqual([all.name, all.evals, all.passed, all.failed, all.skipped, all.extraFailed], ["total", 5, 2, 2, 2, 1]);
    assert.equal(all.skipReasons["duration-expression"], 1);
  });
});

describe("formatReport", () => {
  it("prints a table per script with a total and the skip reasons", () => {
    const text = formatReport([a, b]);
    const lines = text.split("\n");
    assert.equal(lines[0], "script  evals  passed  failed  skipped  extra-failed");
    assert.equal(lines[2], "a.test      4       2       1        1             1");
    assert.equal(lines[4], "total       5       2       2        2             1");
    assert.match(text, /native-histogram-data\s+1\n/);
    assert.doesNotMatch(text, /expected 1 for/);
  });

  it("lists failures when asked", () => {
    const text = formatReport([a, b], { failuresPerScript: 5 });
    assert.match(text, /a\.test:3: z\n {4}expected 1 for \{\} but got 2/);
    assert.match(text, /a\.test:2: \(extra check\) y\n {4}range mode: off by one/);
    assert.match(text, /b\.test: parse: line 3: invalid command/);
  });
});
