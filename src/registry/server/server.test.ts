import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Registry } from "prom-client";
import { ManualClock, silentLogger } from "../../runtime/index.js";
import { SERF_HEALTH_CHECK_ID } from "../catalog/index.js";
import { NODE_DEAD_OUTPUT } from "./liveness.js";
import { RegistryServer } from "./server.js";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-registry-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function server(dir: string, clock = new ManualClock(1_000_000)): RegistryServer {
  return new RegistryServer({ datacenter: "dc1", dataDir: dir, logger: silentLogger(), clock, metrics: new Registry(), reapIntervalMs: 3_600_000, snapshotEvery: 7 });
}

describe("RegistryServer", () => {
  it("keeps every acknowledged write across a restart, through snapshots and replay", async () => {
    await withDir(async (dir) => {
      const a = server(dir);
      await a.start(new AbortController().signal);
      const writes: Promise<number>[] = [];
      for (let i = 0; i < 40; i++) {
        writes.push(a.write({ op: "register", req: { Node: `n${i % 4}`, Address: "10.0.0.1", Service: { ID: `s${i}`, Service: `svc${i % 5}`, Port: 1000 + i } } }));
      }
      await Promise.all(writes);
      await a.write({ op: "deregister", req: { Node: "n1", ServiceID: "s5" } });
      const before = a.store.snapshot();
      await a.stop();

      const b = server(dir);
      await b.start(new AbortController().signal);
      assert.deepEqual(b.store.snapshot(), before);
      assert.equal(b.store.serviceNodes("svc0").value.length, 7, "8 registered, s5 deregistered");
      await b.stop();
    });
  });

  it("answers a no-op write with the current index and journals nothing", async () => {
    await withDir(async (dir) => {
      const s = server(dir);
      await s.start(new AbortController().signal);
      const req = { Node: "n", Address: "a", Service: { Service: "web", Port: 1 } };
      const first = await s.write({ op: "register", req });
      assert.equal(await s.write({ op: "register", req }), first);
      await s.stop();
    });
  });

  it("marks a node whose agent stopped heartbeating critical", async () => {
    await withDir(async (dir) => {
      const clock = new ManualClock(1_000_000);
      const s = new RegistryServer({ datacenter: "dc1", dataDir: dir, logger: silentLogger(), clock, metrics: new Registry(), heartbeatTimeoutMs: 30_000, reapIntervalMs: 5 });
      await s.start(new AbortController().signal);
      const beat = () =>
        s.write({ op: "register", req: { Node: "n1", Address: "a", Check: { CheckID: SERF_HEALTH_CHECK_ID, Name: "Serf Health Status", Status: "passing" } } });
      await beat();
      await s.write({ op: "register", req: { Node: "n1", Address: "a", Service: { Service: "web", Port: 80 } } });
      assert.deepEqual(s.members(), ["n1"]);
      clock.advance(20_000);
      await beat();
      clock.advance(20_000);
      // Heard from 20 s ago: still alive.
      const index = s.store.checkServiceNodes("web", { passingOnly: true });
      assert.equal(index.value.length, 1);
      clock.advance(15_000);
      await s.store.keys.wait(["service:web"], index.index, AbortSignal.timeout(10_000));
      const check = s.store.check("n1", SERF_HEALTH_CHECK_ID);
      assert.equal(check?.Status, "critical");
      assert.equal(check?.Output, NODE_DEAD_OUTPUT);
      assert.equal(s.store.checkServiceNodes("web", { passingOnly: true }).value.length, 0);
      await beat();
      assert.equal(s.store.checkServiceNodes("web", { passingOnly: true }).value.length, 1, "a heartbeat revives the node");
      await s.stop();
    });
  });
});
