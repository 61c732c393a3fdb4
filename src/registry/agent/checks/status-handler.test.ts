import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StatusHandler, type Thresholds } from "./status-handler.js";
import type { CheckStatus } from "./types.js";

/** Feeds results in order; each expected entry is the reported status or "-" for nothing reported. */
const cases: [string, Thresholds, CheckStatus[], (CheckStatus | "-")[]][] = [
  ["no thresholds report everything", {}, ["passing", "critical", "warning"], ["passing", "critical", "warning"]],
  [
    "success before passing counts consecutive successes",
    { successBeforePassing: 2 },
    ["passing", "critical", "passing", "passing", "passing"],
    ["passing", "critical", "-", "passing", "passing"],
  ],
  [
    "failures before critical holds the last good status",
    { failuresBeforeCritical: 3 },
    ["critical", "passing", "critical", "critical", "critical", "critical"],
    ["critical", "passing", "-", "-", "critical", "critical"],
  ],
  [
    "failures before warning reports warning first",
    { failuresBeforeWarning: 1, failuresBeforeCritical: 3 },
    ["passing", "critical", "critical", "critical", "passing"],
    ["passing", "warning", "warning", "critical", "passing"],
  ],
  [
    "a success resets the failure count",
    { failuresBeforeCritical: 2 },
    ["passing", "critical", "passing", "critical", "critical"],
    ["passing", "-", "passing", "-", "critical"],
  ],
  [
    "warning counts as a success",
    { successBeforePassing: 2, failuresBeforeCritical: 2 },
    ["critical", "warning", "warning", "critical"],
    ["critical", "-", "warning", "-"],
  ],
];

describe("StatusHandler", () => {
  for (const [name, thresholds, inputs, want] of cases) {
    it(name, () => {
      const handler = new StatusHandler(thresholds);
      const got = inputs.map((status, i) => handler.observe(status, `run ${i}`)?.status ?? "-");
      assert.deepEqual(got, want);
    });
  }

  it("keeps the output of the run it reports", () => {
    const handler = new StatusHandler({ failuresBeforeWarning: 1, failuresBeforeCritical: 2 });
    handler.observe("passing", "ok");
    assert.deepEqual(handler.observe("critical", "refused"), { status: "warning", output: "refused" });
  });
});
