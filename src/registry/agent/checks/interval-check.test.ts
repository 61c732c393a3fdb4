import assert from "node:assert/strict";
import { once } from "node:events";
import * as net from "node:net";
import { after, before, describe, it } from "node:test";
import { ManualClock, silentLogger } from "../../../runtime/index.js";
import { createCheckRunner, InvalidCheckError, ManualScheduler, MIN_INTERVAL_MS } from "./index.js";
import type { CheckUpdate } from "./index.js";
import { addressOf, harness } from "./test-harness.js";

describe("interval check lifecycle", () => {
  let server: net.Server;
  before(async () => {
    server = net.createServer((s) => s.end());
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
  });
  after(() => server.close());

  it("raises intervals below the minimum to it", async () => {
    const h = harness({ CheckID: "fast", Name: "fast", TCP: addressOf(server), IntervalMs: 10 });
    h.runner.start();
    h.scheduler.advance(0);
    // The run's successor is due after the minimum, not after the 10 ms asked for.
    await h.scheduler.whenScheduled(MIN_INTERVAL_MS);
    h.scheduler.advance(MIN_INTERVAL_MS - 1);
    assert.equal(h.scheduler.pending, 1, "no run started before the minimum interval");
    await h.step(1);
    h.runner.stop();
    assert.deepEqual(h.updates.map((u) => u.status), ["critical", "passing", "passing"]);
  });

  it("survives an update handler that throws", async () => {
    const clock = new ManualClock(0);
    const scheduler = new ManualScheduler(clock);
    const seen: CheckUpdate[] = [];
    const runner = createCheckRunner(
      { CheckID: "x", Name: "x", TCP: addressOf(server), IntervalMs: 5000 },
      {
        clock,
        scheduler,
        logger: silentLogger(),
        random: () => 0,
        onUpdate: (u) => {
          seen.push(u);
          throw new Error("agent bug");
        },
      },
    );
    runner.start();
    scheduler.advance(0);
    await scheduler.whenScheduled(5000);
    scheduler.advance(5000);
    await scheduler.whenScheduled(5000);
    runner.stop();
    assert.deepEqual(seen.map((u) => u.status), ["critical", "passing", "passing"]);
  });

  it("can be restarted after stop and reports its initial status again", async () => {
    const h = harness({ CheckID: "r", Name: "r", TCP: addressOf(server), IntervalMs: 5000, Status: "warning" });
    h.runner.start();
    h.runner.start();
    await h.step(0);
    h.runner.stop();
    h.runner.stop();
    h.runner.start();
    await h.step(0);
    h.runner.stop();
    assert.deepEqual(h.updates.map((u) => u.status), ["warning", "passing", "warning", "passing"]);
    assert.equal(h.scheduler.pending, 0);
  });

  it("refuses invalid definitions when building", () => {
    const scheduler = new ManualScheduler();
    assert.throws(
      () =>
        createCheckRunner(
          { CheckID: "bad", Name: "bad", HTTP: "http://127.0.0.1/" },
          { clock: new ManualClock(0), scheduler, logger: silentLogger(), onUpdate: () => undefined },
        ),
      InvalidCheckError,
    );
  });
});
