import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Gauge, Registry } from "prom-client";
import { ManualClock } from "./clock.js";
import { silentLogger } from "./logger.js";
import { Reloader } from "./reloader.js";

describe("Reloader", () => {
  it("keeps the previous configuration when a new one fails to load or apply", async () => {
    const registry = new Registry();
    const successful = new Gauge({ name: "ok", help: "h", registers: [registry] });
    const successTimestamp = new Gauge({ name: "ts", help: "h", registers: [registry] });
    const clock = new ManualClock(1_000_000);
    let next: { v: number } | Error = { v: 1 };
    const applied: number[] = [];
    const reloader = new Reloader<{ v: number }>({
      load: async () => {
        if (next instanceof Error) throw next;
        return next;
      },
      apply: async (c) => {
        if (c.v < 0) throw new Error("negative");
        applied.push(c.v);
      },
      logger: silentLogger(),
      clock,
      metrics: { successful, successTimestamp },
    });
    await reloader.reload();
    assert.deepEqual(reloader.current, { v: 1 });
    assert.equal((await successTimestamp.get()).values[0]?.value, 1000);

    next = new Error("syntax error at line 3");
    await assert.rejects(reloader.reload(), /line 3/);
    assert.deepEqual(reloader.current, { v: 1 });
    assert.equal((await successful.get()).values[0]?.value, 0);

    next = { v: -1 };
    await assert.rejects(reloader.reload(), /negative/);
    assert.deepEqual(reloader.current, { v: 1 });

    clock.advance(5000);
    next = { v: 2 };
    await reloader.reload();
    assert.deepEqual(reloader.current, { v: 2 });
    assert.equal((await successful.get()).values[0]?.value, 1);
    assert.equal((await successTimestamp.get()).values[0]?.value, 1005);
    assert.deepEqual(applied, [1, 2]);
  });

  it("serializes concurrent reloads", async () => {
    let active = 0;
    let maxActive = 0;
    let n = 0;
    const reloader = new Reloader<number>({
      load: async () => ++n,
      apply: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setImmediate(r));
        active--;
      },
      logger: silentLogger(),
      clock: new ManualClock(),
    });
    const results = await Promise.all([reloader.reload(), reloader.reload(), reloader.reload()]);
    assert.deepEqual(results, [1, 2, 3]);
    assert.equal(maxActive, 1);
  });
});
