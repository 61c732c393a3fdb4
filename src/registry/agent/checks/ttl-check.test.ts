import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock, silentLogger } from "../../../runtime/index.js";
import { createCheckRunner, ManualScheduler, TtlCheck } from "./index.js";
import type { CheckDefinition, CheckUpdate } from "./index.js";

const TTL = 10_000;

function ttlHarness(extra: Partial<CheckDefinition> = {}): { check: TtlCheck; scheduler: ManualScheduler; updates: CheckUpdate[] } {
  const clock = new ManualClock(0);
  const scheduler = new ManualScheduler(clock);
  const updates: CheckUpdate[] = [];
  const runner = createCheckRunner(
    { CheckID: "app", Name: "app", TTLMs: TTL, ...extra },
    { clock, scheduler, logger: silentLogger(), onUpdate: (u) => updates.push(u) },
  );
  assert.ok(runner instanceof TtlCheck);
  assert.equal(runner.type, "ttl");
  return { check: runner, scheduler, updates };
}

describe("TTL check", () => {
  /** A script of actions: advance time, or push a status; then the updates expected in total. */
  type Step = { advance: number } | { call: "pass" | "warn" | "fail"; note?: string } | { update: [CheckUpdate["status"], string] };
  const cases: [string, Partial<CheckDefinition>, Step[], CheckUpdate[]][] = [
    [
      "expires to critical without updates",
      {},
      [{ advance: TTL - 1 }, { advance: 1 }, { advance: TTL * 5 }],
      [
        { status: "critical", output: "" },
        { status: "critical", output: "TTL expired" },
      ],
    ],
    [
      "each update renews the TTL",
      { Status: "passing" },
      [{ advance: TTL - 1 }, { call: "pass", note: "ok" }, { advance: TTL - 1 }, { call: "warn" }, { advance: TTL - 1 }],
      [
        { status: "passing", output: "" },
        { status: "passing", output: "ok" },
        { status: "warning", output: "" },
      ],
    ],
    [
      "expiry keeps the last output, and an update after expiry re-arms",
      {},
      [{ call: "fail", note: "disk full" }, { advance: TTL }, { update: ["passing", "recovered"] }, { advance: TTL }],
      [
        { status: "critical", output: "" },
        { status: "critical", output: "disk full" },
        { status: "critical", output: "TTL expired (last output before timeout follows): disk full" },
        { status: "passing", output: "recovered" },
        { status: "critical", output: "TTL expired (last output before timeout follows): recovered" },
      ],
    ],
    [
      "output beyond OutputMaxSize is cut and says so",
      { OutputMaxSize: 4 },
      [{ update: ["warning", "abcdefgh"] }],
      [
        { status: "critical", output: "" },
        { status: "warning", output: "abcd ... (captured 4 of 8 bytes)" },
      ],
    ],
  ];

  for (const [name, extra, steps, want] of cases) {
    it(name, () => {
      const { check, scheduler, updates } = ttlHarness(extra);
      check.start();
      for (const step of steps) {
        if ("advance" in step) scheduler.advance(step.advance);
        else if ("call" in step) check[step.call](step.note);
        else check.update(...step.update);
      }
      check.stop();
      assert.deepEqual(updates, want);
      assert.equal(scheduler.pending, 0);
    });
  }

  it("update returns the output as recorded", () => {
    const { check } = ttlHarness({ OutputMaxSize: 2 });
    check.start();
    assert.equal(check.pass("hello"), "he ... (captured 2 of 5 bytes)");
    check.stop();
  });

  it("never reports after stop, nor expires", () => {
    const { check, scheduler, updates } = ttlHarness();
    check.start();
    check.stop();
    check.pass("late");
    scheduler.advance(TTL * 2);
    assert.deepEqual(updates, [{ status: "critical", output: "" }]);
    assert.equal(scheduler.pending, 0);
  });
});
