import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConsulClient } from "../../src/registry/index.js";
import { pollUntil } from "../peers/index.js";
import { startMeridian, type MeridianProcess } from "./meridian-process.js";

async function registerStream(url: string, acked: Set<string>, stop: AbortSignal, prefix: string): Promise<void> {
  let n = 0;
  const worker = async () => {
    while (!stop.aborted) {
      const id = `${prefix}-${n++}`;
      try {
        const res = await fetch(`${url}/v1/catalog/register`, {
          method: "PUT",
          body: JSON.stringify({ Node: `node-${n % 13}`, Address: "10.9.9.9", Service: { ID: id, Service: "crash", Port: 1000 + (n % 5000) } }),
          signal: stop,
        });
        if (res.status === 200) acked.add(id);
      } catch {
        // The server died under us: this registration was never acknowledged.
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

describe("registry survives kill -9", () => {
  it("keeps every acknowledged registration across repeated kill -9 and restart", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-crash-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const acked = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const reg = await startMeridian(["registry", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "registry"), "--node", "srv"]);
      try {
        // Everything acknowledged in earlier rounds is still there after the restart.
        const present = new Set((await new ConsulClient({ baseUrl: reg.url }).catalogService("crash")).value.map((s) => s.ServiceID));
        const missing = [...acked].filter((id) => !present.has(id));
        assert.deepEqual(missing, [], `round ${round}: acknowledged registrations lost`);
        const stop = new AbortController();
        const before = acked.size;
        const stream = registerStream(reg.url, acked, stop.signal, `r${round}`);
        await pollUntil(() => acked.size >= before + 150 || undefined, { timeoutMs: 60_000, what: "150 acknowledged registrations", intervalMs: 5 });
        reg.child.kill("SIGKILL");
        await reg.exited();
        stop.abort();
        await stream;
      } finally {
        reg.kill();
      }
    }
    assert.ok(acked.size >= 600);
  });

  it("an agent keeps serving while its server is down and resyncs when it returns", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-resync-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    let server: MeridianProcess = await startMeridian(["registry", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "registry"), "--node", "srv"]);
    const port = new URL(server.url).port;
    t.after(() => server.kill());
    const agent = await startMeridian(["agent", "--listen", "127.0.0.1:0", "--server", server.url, "--node", "edge-1"]);
    t.after(() => agent.kill());
    const viaAgent = new ConsulClient({ baseUrl: agent.url });
    const viaServer = () => new ConsulClient({ baseUrl: server.url });

    await viaAgent.registerService({ ID: "edge-a", Name: "edge", Port: 1 });
    await pollUntil(async () => (await viaServer().catalogService("edge")).value.length === 1 || undefined, { timeoutMs: 20_000, what: "edge-a in the catalog" });
    // Read once through the agent so it has an answer to fall back on.
    assert.equal((await viaAgent.catalogService("edge")).value.length, 1);

    server.child.kill("SIGKILL");
    await server.exited();
    // The agent still answers for its own services, and catalog reads come from its cache.
    await viaAgent.registerService({ ID: "edge-b", Name: "edge", Port: 2 });
    assert.deepEqual(Object.keys(await viaAgent.agentServices()).sort(), ["edge-a", "edge-b"]);
    const cached = await pollUntil(async () => {
      try {
        return await viaAgent.catalogService("edge");
      } catch {
        return undefined;
      }
    }, { timeoutMs: 20_000, what: "a cached catalog answer" });
    assert.equal(cached.knownLeader, false);

    server = await startMeridian(["registry", "--listen", `127.0.0.1:${port}`, "--data-dir", join(dir, "registry"), "--node", "srv"]);
    const ids = await pollUntil(async () => {
      const v = (await viaServer().catalogService("edge")).value.map((s) => s.ServiceID).sort();
      return v.length === 2 ? v : undefined;
    }, { timeoutMs: 90_000, what: "the agent's resync after the server returned" });
    assert.deepEqual(ids, ["edge-a", "edge-b"]);
  });
});
