import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../../runtime/index.js";
import { ManualScheduler } from "./scheduler.js";

describe("ManualScheduler", () => {
  it("fires due timers in due order and moves the clock with them", () => {
    const clock = new ManualClock(1000);
    const scheduler = new ManualScheduler(clock);
    const fired: string[] = [];
    scheduler.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    scheduler.setTimeout(() => fired.push(`a@${clock.now()}`), 10);
    const cleared = scheduler.setTimeout(() => fired.push("cleared"), 5);
    scheduler.clearTimeout(cleared);
    scheduler.advance(15);
    assert.deepEqual(fired, ["a@1010"]);
    assert.equal(clock.now(), 1015);
    scheduler.advance(100);
    assert.deepEqual(fired, ["a@1010", "b@1020"]);
    assert.equal(clock.now(), 1115);
    assert.equal(scheduler.pending, 0);
  });

  it("fires timers that callbacks schedule within the same advance", () => {
    const scheduler = new ManualScheduler();
    let runs = 0;
    const tick = (): void => {
      runs++;
      scheduler.setTimeout(tick, 10);
    };
    scheduler.setTimeout(tick, 10);
    scheduler.advance(35);
    assert.equal(runs, 3);
  });

  it("resolves whenScheduled once a timer of that delay exists", async () => {
    const scheduler = new ManualScheduler();
    let resolved = false;
    const waiting = scheduler.whenScheduled(50).then(() => (resolved = true));
    scheduler.setTimeout(() => undefined, 40);
    await Promise.resolve();
    assert.equal(resolved, false);
    scheduler.setTimeout(() => undefined, 50);
    await waiting;
    assert.equal(resolved, true);
  });
});
