import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { discovererContract } from "./discoverer-contract.js";
import { DiscoveryManager } from "./manager.js";
import { fileProvider, staticProvider, type ProviderConfig } from "./providers.js";
import { ManualTimers, MemoryDiscoverer, observedLogger } from "./testing.js";
import type { TargetGroup } from "./types.js";

discovererContract("MemoryDiscoverer (the manager tests' stand-in)", {
  async create(initial) {
    const d = new MemoryDiscoverer();
    for (const [k, a] of Object.entries(initial)) d.set(k, [a]);
    return {
      discoverer: d,
      sourceOf: (k) => k,
      set: async (k, a) => d.set(k, [a]),
      remove: async (k) => d.set(k, []),
      close: async () => {},
    };
  },
});

// Records updates and lets a test wait for the next one of a job.
class Updates {
  readonly log: { job: string; groups: readonly TargetGroup[] }[] = [];
  #waiters: { job: string; resolve: (g: readonly TargetGroup[]) => void }[] = [];

  readonly onUpdate = (job: string, groups: readonly TargetGroup[]): void => {
    this.log.push({ job, groups });
    this.#waiters = this.#waiters.filter((w) => {
      if (w.job !== job) return true;
      w.resolve(groups);
      return false;
    });
  };

  next(job: string): Promise<readonly TargetGroup[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no update of ${job}`)), 5000);
      this.#waiters.push({
        job,
        resolve: (g) => {
          clearTimeout(timer);
          resolve(g);
        },
      });
    });
  }

  of(job: string): number {
    return this.log.filter((u) => u.job === job).length;
  }
}

function provider(key: string, d: MemoryDiscoverer): ProviderConfig {
  return { key, create: () => d };
}

function manager(t: TestContext, opts: { coalesceMs?: number; timers?: ManualTimers } = {}): { m: DiscoveryManager; updates: Updates } {
  const updates = new Updates();
  const m = new DiscoveryManager({ logger: observedLogger().logger, onUpdate: updates.onUpdate, ...opts });
  t.after(() => m.stop());
  return { m, updates };
}

const addresses = (groups: readonly TargetGroup[]) => groups.flatMap((g) => g.targets.map((x) => x["__address__"])).sort();

describe("DiscoveryManager", () => {
  it("merges the latest group per source of every discoverer of a job, and drops emptied sources", async (t) => {
    const { m, updates } = manager(t, { coalesceMs: 0 });
    const a = new MemoryDiscoverer();
    const b = new MemoryDiscoverer();
    a.set("s1", ["a:1"]);
    b.set("s1", ["b:1"]);
    const first = updates.next("job");
    await m.applyConfig(new Map([["job", [provider("a", a), provider("b", b)]]]));
    assert.deepEqual(addresses(await first), ["a:1", "b:1"], "the same source name in two discoverers is two groups");
    const second = updates.next("job");
    a.set("s1", ["a:2"]);
    a.set("s2", ["a:3"]);
    assert.deepEqual(addresses(await second), ["a:2", "a:3", "b:1"]);
    const third = updates.next("job");
    b.set("s1", []);
    assert.deepEqual(addresses(await third), ["a:2", "a:3"]);
    assert.deepEqual(addresses(m.targetGroups("job")), ["a:2", "a:3"]);
    assert.deepEqual(m.targetGroups("unknown"), []);
  });

  it("gathers a burst of changes into one update per job", async (t) => {
    const timers = new ManualTimers();
    const { m, updates } = manager(t, { coalesceMs: 10, timers });
    const a = new MemoryDiscoverer();
    await m.applyConfig(new Map([["job", [provider("a", a)]]]));
    timers.fire(10);
    await updates.next("job");
    for (let i = 0; i < 50; i++) a.set(`s${i}`, [`h:${i}`]);
    assert.equal(updates.of("job"), 1, "nothing before the window ends");
    const burst = updates.next("job");
    timers.fire(10);
    assert.equal((await burst).length, 50);
    assert.equal(updates.of("job"), 2);
  });

  it("with a zero window, still sends one update for changes made in the same turn", async (t) => {
    const { m, updates } = manager(t, { coalesceMs: 0 });
    const a = new MemoryDiscoverer();
    const first = updates.next("job");
    await m.applyConfig(new Map([["job", [provider("a", a)]]]));
    await first;
    const next = updates.next("job");
    a.set("x", ["x:1"]);
    a.set("y", ["y:1"]);
    assert.equal((await next).length, 2);
    await new Promise((r) => setImmediate(r));
    assert.equal(updates.of("job"), 2);
  });

  it("keeps unchanged discoverers running across a reload, shares them between jobs, stops and clears the rest", async (t) => {
    const { m, updates } = manager(t, { coalesceMs: 0 });
    const kept = new MemoryDiscoverer();
    const dropped = new MemoryDiscoverer();
    kept.set("k", ["kept:1"]);
    dropped.set("d", ["dropped:1"]);
    const firstA = updates.next("a");
    const firstGone = updates.next("gone");
    await m.applyConfig(
      new Map([
        ["a", [provider("kept", kept), provider("dropped", dropped)]],
        ["gone", [provider("dropped", dropped)]],
        ["same", [provider("kept", kept)]],
      ]),
    );
    await firstA;
    await firstGone;
    assert.equal(dropped.starts, 1, "one discoverer for two jobs with the same configuration");

    const nextA = updates.next("a");
    const nextB = updates.next("b");
    const cleared = updates.next("gone");
    const sameBefore = updates.of("same");
    await m.applyConfig(
      new Map([
        ["a", [provider("kept", kept)]],
        ["b", [provider("kept", kept)]],
        ["same", [provider("kept", kept)]],
      ]),
    );
    assert.equal(dropped.running, 0, "applyConfig resolves once removed discoverers have stopped");
    assert.deepEqual(addresses(await nextA), ["kept:1"], "a loses the dropped discoverer's targets");
    assert.deepEqual(addresses(await nextB), ["kept:1"], "a new job sharing a running discoverer gets its groups at once");
    assert.deepEqual(await cleared, [], "a removed job is cleared");
    assert.equal(kept.starts, 1, "the unchanged discoverer was not restarted");
    await new Promise((r) => setImmediate(r));
    assert.equal(updates.of("same"), sameBefore, "an unchanged job gets no update: no flapping");
    kept.set("k2", ["kept:2"]);
    const both = await Promise.all([updates.next("a"), updates.next("b"), updates.next("same")]);
    for (const g of both) assert.deepEqual(addresses(g), ["kept:1", "kept:2"]);
  });

  it("reports a job with no working discoverer as empty, and counts configurations it cannot create", async (t) => {
    const { m, updates } = manager(t, { coalesceMs: 0 });
    const empty = updates.next("empty");
    const broken = updates.next("broken");
    const { failed } = await m.applyConfig(
      new Map([
        ["empty", []],
        ["broken", [{ key: "bad", create: () => { throw new Error("no such thing"); } }]],
      ]),
    );
    assert.equal(failed, 1);
    assert.deepEqual(await empty, []);
    assert.deepEqual(await broken, []);
  });

  it("stops every discoverer and sends nothing afterwards", async (t) => {
    const { m, updates } = manager(t, { coalesceMs: 0 });
    const a = new MemoryDiscoverer();
    const first = updates.next("job");
    await m.applyConfig(new Map([["job", [provider("a", a)]]]));
    await first;
    await m.stop();
    assert.equal(a.running, 0);
    const count = updates.log.length;
    a.set("late", ["late:1"]);
    await new Promise((r) => setImmediate(r));
    assert.equal(updates.log.length, count);
  });

  it("runs real static and file providers, keyed by content so a re-read config changes nothing", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-manager-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "t.json"), JSON.stringify([{ targets: ["f:1"] }]));
    const { m, updates } = manager(t, { coalesceMs: 0 });
    const deps = { logger: observedLogger().logger };
    const jobs = () =>
      new Map([["job", [staticProvider([{ targets: ["s:1"], labels: { a: "1", b: "2" } }]), fileProvider({ files: [join(dir, "*.json")], refreshIntervalMs: 60_000 }, deps)]]]);
    await m.applyConfig(jobs());
    while (addresses(m.targetGroups("job")).length < 2) await updates.next("job");
    assert.deepEqual(addresses(m.targetGroups("job")), ["f:1", "s:1"]);
    const before = updates.log.length;
    const reordered = staticProvider([{ labels: { b: "2", a: "1" }, targets: ["s:1"] }]);
    assert.equal(reordered.key, staticProvider([{ targets: ["s:1"], labels: { a: "1", b: "2" } }]).key);
    await m.applyConfig(jobs());
    await new Promise((r) => setImmediate(r));
    assert.equal(updates.log.length, before, "re-applying the same configuration sends nothing");
  });
});
