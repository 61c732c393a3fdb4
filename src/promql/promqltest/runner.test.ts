import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runScript } from "./run-script.js";

// Evals a working engine passes with nothing but `load`, selectors and one function.
const BASIC = `
load 1m
  metric{job="a"} 1 2 3 4
  metric{job="b"} 10+10x3

eval instant at 2m metric
  metric{job="a"} 3
  metric{job="b"} 30

eval instant at 10m metric

eval range from 0 to 3m step 1m metric{job="a"}
  metric{job="a"} 1 2 3 4

eval instant at 3m sum(metric)
  {} 44

eval instant at 0 1 + 1
  2
`;

describe("runScript", () => {
  it("reports a script that does not parse instead of throwing", async () => {
    const report = await runScript("load 1m\n  m 1\n\nfrobnicate\n", { name: "bad.test" });
    assert.equal(report.name, "bad.test");
    assert.deepEqual(report.outcomes, []);
    assert.match(report.errors[0] ?? "", /line 4: invalid command "frobnicate"/);
  });

  it("skips, without running them, evals that need what a float-only engine lacks", async () => {
    const report = await runScript(`
load 1m
  hist {{schema:0 sum:1 count:1}}x3

eval instant at 1m hist

eval instant at 1m rate(x[5m] anchored)
`);
    assert.deepEqual(
      report.outcomes.map((o) => [o.line, o.status, o.skipReasons]),
      [
        [5, "skipped", ["native-histogram-data"]],
        [7, "skipped", ["extended-range-selector"]],
      ],
    );
  });

  it("passes basic evals and their extra checks against the PromQL engine", async (t) => {
    const report = await runScript(BASIC);
    const notYet = report.outcomes.some((o) => o.reason?.includes("not implemented yet") === true);
    if (notYet) {
      t.skip("the PromQL engine is still a stub");
      return;
    }
    assert.deepEqual(report.errors, []);
    for (const o of report.outcomes) {
      assert.equal(o.status, "passed", `line ${o.line}: ${o.query}: ${o.reason ?? ""}`);
      assert.notEqual(o.extra?.status, "failed", `line ${o.line}: ${o.query}: ${o.extra?.reason ?? ""}`);
    }
    assert.deepEqual(report.outcomes.map((o) => o.extra?.status), ["passed", "passed", undefined, "passed", "passed"]);
  });
});
