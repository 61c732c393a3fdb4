import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import type { TargetGroup } from "../discovery/index.js";
import { systemClock } from "../runtime/index.js";
import { MemoryStorage } from "../storage/index.js";
import type { ScrapeJob } from "./job.js";
import { ScrapePool } from "./pool.js";
import { toConfig } from "./relabel/testdata/cases.js";
import type { Target } from "./target.js";
import { samplesOf, serve, startTarget, testDeps, testJob, waitFor, type TestTarget } from "./testing-targets.js";

// A long interval: each target is scraped once (within a second of starting) during a test, so a
// second request means its loop was restarted.
const ONE_SCRAPE = { intervalMs: 60_000, timeoutMs: 5_000 };

async function targets(t: TestContext, n: number): Promise<TestTarget[]> {
  const out: TestTarget[] = [];
  for (let i = 0; i < n; i++) {
    const s = await startTarget(serve(`metric_${i} ${i}\n`));
    t.after(() => s.close());
    out.push(s);
  }
  return out;
}

function group(...servers: TestTarget[]): TargetGroup[] {
  return [{ source: "static/0", labels: { env: "test" }, targets: servers.map((s) => ({ __address__: s.address })) }];
}

function newPool(t: TestContext, job: Partial<ScrapeJob> = {}): { pool: ScrapePool; storage: MemoryStorage } {
  const storage = new MemoryStorage();
  const pool = new ScrapePool(testJob({ ...ONE_SCRAPE, ...job }), testDeps(storage, systemClock()));
  t.after(() => pool.stop(false));
  return { pool, storage };
}

function find(pool: ScrapePool, s: TestTarget): Target | undefined {
  return pool.activeTargets().find((tg) => tg.labels.get("__address__") === s.address);
}

async function scraped(pool: ScrapePool, ...servers: TestTarget[]): Promise<void> {
  for (const s of servers) await waitFor(`first scrape of ${s.address}`, () => (find(pool, s)?.lastScrapeMs ?? 0) > 0);
}

// The last sample of `name` from `s`, stale markers read as "stale".
async function last(storage: MemoryStorage, s: TestTarget, name: string): Promise<number | "stale" | undefined> {
  return (await samplesOf(storage, { __name__: name, env: "test", job: "test", instance: s.address }))?.at(-1)?.[1];
}

describe("ScrapePool", () => {
  test("sync starts new targets, keeps the loop of unchanged ones, and stops removed ones with staleness", async (t) => {
    const [a, b, c] = (await targets(t, 3)) as [TestTarget, TestTarget, TestTarget];
    const { pool, storage } = newPool(t);

    await pool.sync(group(a, b));
    await scraped(pool, a, b);
    const keptA = find(pool, a);

    await pool.sync(group(a, c));
    assert.equal(find(pool, a), keptA, "a keeps its loop");
    assert.equal(find(pool, b), undefined);
    assert.deepEqual(pool.activeTargets().length, 2);
    // sync resolves once removed loops have written their markers.
    assert.equal(await last(storage, b, "metric_1"), "stale");
    assert.equal(await last(storage, b, "up"), "stale");

    await scraped(pool, c);
    assert.equal(await last(storage, c, "up"), 1);
    assert.equal(await last(storage, a, "up"), 1, "a was not marked stale");
    assert.equal(a.requests.length, 1, "a was not scraped again by the resync");
  });

  test("a target in two groups is scraped by one loop", async (t) => {
    const [a] = (await targets(t, 1)) as [TestTarget];
    const { pool } = newPool(t);
    await pool.sync([...group(a), { ...group(a)[0]!, source: "static/1" }]);
    assert.equal(pool.activeTargets().length, 1);
    await scraped(pool, a);
  });

  test("an empty sync stops everything with staleness", async (t) => {
    const [a] = (await targets(t, 1)) as [TestTarget];
    const { pool, storage } = newPool(t);
    await pool.sync(group(a));
    await scraped(pool, a);
    await pool.sync([{ source: "static/0", labels: {}, targets: [] }]);
    assert.deepEqual(pool.activeTargets(), []);
    assert.equal(await last(storage, a, "metric_0"), "stale");
  });

  test("records targets relabeling dropped and skips invalid ones", async (t) => {
    const [a] = (await targets(t, 1)) as [TestTarget];
    const { pool } = newPool(t, { relabelConfigs: [toConfig({ source_labels: ["__address__"], regex: "drop-me:.*", action: "drop" })] });
    await pool.sync([{ source: "s", labels: {}, targets: [{ __address__: a.address }, { __address__: "drop-me:1" }, { __address__: "bad/path:1" }] }]);
    assert.deepEqual(pool.activeTargets().map((tg) => tg.labels.get("__address__")), [a.address]);
    assert.deepEqual(pool.droppedTargets().map((d) => d.discoveredLabels.get("__address__")), ["drop-me:1"]);
  });

  test("a target's __scrape_interval__ and __scrape_timeout__ labels set its schedule", async (t) => {
    const [a] = (await targets(t, 1)) as [TestTarget];
    const { pool } = newPool(t);
    await pool.sync([{ source: "s", labels: {}, targets: [{ __address__: a.address, __scrape_interval__: "2m", __scrape_timeout__: "3s" }] }]);
    const tg = find(pool, a);
    assert.equal(tg?.intervalMs, 120_000);
    assert.equal(tg?.timeoutMs, 3_000);
    await scraped(pool, a);
    assert.equal(a.requests[0]?.headers["x-prometheus-scrape-timeout-seconds"], "3");
  });

  test("over target_limit every target is down with the error, and scraping resumes under it", async (t) => {
    const [a, b, c] = (await targets(t, 3)) as [TestTarget, TestTarget, TestTarget];
    const { pool, storage } = newPool(t, { targetLimit: 2, intervalMs: 200, timeoutMs: 100 });

    await pool.sync(group(a, b));
    await scraped(pool, a, b);

    await pool.sync(group(a, b, c));
    const error = "target_limit exceeded (number of targets: 3, limit: 2)";
    assert.equal(pool.activeTargets().length, 3);
    for (const tg of pool.activeTargets()) {
      assert.equal(tg.health, "down", tg.labels.get("__address__"));
      assert.equal(tg.lastError, error);
    }
    // As Prometheus: the loops keep running, each scrape fails without fetching and reports up = 0,
    // and the series the running targets had go stale.
    await waitFor("a's series stale and b's up at 0", async () => (await last(storage, a, "metric_0")) === "stale" && (await last(storage, b, "up")) === 0);
    await waitFor("c reported down", async () => (await last(storage, c, "up")) === 0);
    assert.equal(c.requests.length, 0, "a target over the limit is never fetched");

    await pool.sync(group(a, c));
    await waitFor("a and c scraped again", () => pool.activeTargets().every((tg) => tg.health === "up"));
    assert.equal(await last(storage, a, "up"), 1);
    assert.equal(await last(storage, c, "metric_2"), 2);
    assert.equal(find(pool, a)?.lastError, "");
  });
});
