import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import { Registry } from "prom-client";
import type { TargetGroup } from "../discovery/index.js";
import { silentLogger, systemClock } from "../runtime/index.js";
import { MemoryStorage } from "../storage/index.js";
import type { ScrapeJob } from "./job.js";
import { ScrapeManager } from "./manager.js";
import type { Target } from "./target.js";
import { samplesOf, serve, startTarget, testJob, waitFor, type TestTarget } from "./testing-targets.js";

// One scrape per loop during a test (the first comes within a second), so a second request to a
// target means its loop was restarted.
function job(name: string, over: Partial<ScrapeJob> = {}): ScrapeJob {
  return testJob({ jobName: name, intervalMs: 60_000, timeoutMs: 5_000, ...over });
}

function group(...servers: TestTarget[]): TargetGroup[] {
  return [{ source: "static/0", labels: {}, targets: servers.map((s) => ({ __address__: s.address })) }];
}

async function setup(t: TestContext): Promise<{ manager: ScrapeManager; storage: MemoryStorage; a: TestTarget; b: TestTarget }> {
  const a = await startTarget(serve("from_a 1\n"));
  const b = await startTarget(serve("from_b 2\n"));
  t.after(() => a.close());
  t.after(() => b.close());
  const storage = new MemoryStorage();
  const manager = new ScrapeManager({ appendable: storage, clock: systemClock(), logger: silentLogger(), userAgent: "Meridian/test", metrics: new Registry() });
  await manager.start();
  t.after(() => manager.stop());
  return { manager, storage, a, b };
}

function targetsOf(manager: ScrapeManager, jobName: string): Target[] {
  return manager.activeTargets().get(jobName) ?? [];
}

async function allScraped(manager: ScrapeManager, jobName: string, n: number): Promise<void> {
  await waitFor(`${n} scraped targets in ${jobName}`, () => {
    const ts = targetsOf(manager, jobName);
    return ts.length === n && ts.every((tg) => tg.lastScrapeMs > 0);
  });
}

describe("ScrapeManager", () => {
  test("targets sent before their job exists are scraped once it is configured", async (t) => {
    const { manager, storage, a } = await setup(t);
    await manager.updateTargets("node", group(a));
    assert.equal(manager.activeTargets().size, 0);
    await manager.applyConfig([job("node")]);
    await allScraped(manager, "node", 1);
    assert.deepEqual(await samplesOf(storage, { __name__: "from_a", job: "node", instance: a.address }).then((s) => s?.map(([, v]) => v)), [1]);
  });

  test("applyConfig with an unchanged job keeps its loops", async (t) => {
    const { manager, a, b } = await setup(t);
    await manager.applyConfig([job("node")]);
    await manager.updateTargets("node", group(a, b));
    await allScraped(manager, "node", 2);
    const before = targetsOf(manager, "node");

    // An equal job read from a reloaded file is a new object; only its content counts.
    await manager.applyConfig([job("node"), job("other")]);
    const after = targetsOf(manager, "node");
    assert.equal(after.length, 2);
    for (const tg of after) assert.ok(before.includes(tg), "same target object, same loop");
    assert.equal(a.requests.length, 1);
    assert.equal(b.requests.length, 1);
  });

  test("applyConfig with a changed job restarts its loops with the new settings", async (t) => {
    const { manager, a } = await setup(t);
    await manager.applyConfig([job("node")]);
    await manager.updateTargets("node", group(a));
    await allScraped(manager, "node", 1);
    const [before] = targetsOf(manager, "node");

    await manager.applyConfig([job("node", { metricsPath: "/other" })]);
    await allScraped(manager, "node", 1);
    const [after] = targetsOf(manager, "node");
    assert.notEqual(after, before);
    assert.deepEqual(a.requests.map((r) => r.url), ["/metrics", "/other"]);
  });

  test("applyConfig without a job stops its loops with staleness", async (t) => {
    const { manager, storage, a, b } = await setup(t);
    await manager.applyConfig([job("node"), job("other")]);
    await manager.updateTargets("node", group(a));
    await manager.updateTargets("other", group(b));
    await allScraped(manager, "node", 1);
    await allScraped(manager, "other", 1);

    await manager.applyConfig([job("other")]);
    assert.deepEqual([...manager.activeTargets().keys()], ["other"]);
    const last = async (name: string, s: TestTarget, jobName: string) => (await samplesOf(storage, { __name__: name, job: jobName, instance: s.address }))?.at(-1)?.[1];
    assert.equal(await last("from_a", a, "node"), "stale");
    assert.equal(await last("up", a, "node"), "stale");
    assert.equal(await last("up", b, "other"), 1);
  });

  test("targets updated while a changed job restarts are not replaced by the old ones", async (t) => {
    const { manager, a, b } = await setup(t);
    await manager.applyConfig([job("node")]);
    await manager.updateTargets("node", group(a));
    await allScraped(manager, "node", 1);

    // Discovery reports new targets while the reload is still stopping the old pool.
    const reload = manager.applyConfig([job("node", { sampleLimit: 100 })]);
    await manager.updateTargets("node", group(b));
    await reload;
    assert.deepEqual(targetsOf(manager, "node").map((tg) => tg.labels.get("__address__")), [b.address]);
  });
});
