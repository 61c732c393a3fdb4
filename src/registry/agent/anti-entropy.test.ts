import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CatalogStore } from "../catalog/index.js";
import { httpCatalogWriter } from "./http-catalog-writer.js";
import { call, eventually, startAgent, startCatalogServer } from "./test-support.js";

describe("anti-entropy", () => {
  it("heartbeats serfHealth, and a full sync repairs what the catalog lost or gained", async () => {
    const server = await startCatalogServer();
    const h = await startAgent(httpCatalogWriter({ serverUrl: server.url }));
    try {
      h.scheduler.advance(0); // the first heartbeat
      await eventually(() => {
        const serf = server.store.check("n1", "serfHealth");
        assert.equal(serf?.Status, "passing");
        assert.equal(serf?.Output, "Agent alive and reachable");
      });
      await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "web", Port: 80, Check: { TTL: "1h", Status: "passing" } });
      await eventually(() => assert.equal(server.store.serviceNodes("web").value.length, 1));

      // Someone else edits the node behind the agent's back.
      server.store.apply({ op: "deregister", req: { Node: "n1", ServiceID: "web" } });
      server.store.apply({ op: "register", req: { Node: "n1", Address: "10.0.0.1", Service: { ID: "ghost", Service: "ghost" } } });
      server.store.apply({ op: "register", req: { Node: "n1", Address: "10.0.0.1", Check: { CheckID: "stray", Name: "stray", Status: "passing" } } });

      h.scheduler.advance(60_000); // the periodic full sync
      await eventually(() => {
        assert.deepEqual(server.store.nodeServices("n1").map((s) => s.ID), ["web"]);
        assert.deepEqual(server.store.nodeChecks("n1").value.map((c) => c.CheckID).sort(), ["serfHealth", "service:web"]);
        assert.equal(server.store.check("n1", "service:web")?.Status, "passing");
      });
      assert.equal(h.agent.knownLeader(), true);
    } finally {
      await h.close();
      await server.close();
    }
  });

  it("pushes output-only check changes with the next full sync, not at once", async () => {
    const server = await startCatalogServer();
    const h = await startAgent(httpCatalogWriter({ serverUrl: server.url }));
    try {
      await call(`${h.url}/v1/agent/check/register`, "PUT", { Name: "load", TTL: "1h", Status: "passing" });
      await eventually(() => assert.equal(server.store.check("n1", "load")?.Status, "passing"));
      await call(`${h.url}/v1/agent/check/pass/load?note=busy`, "PUT");
      await h.agent.syncNow();
      assert.equal(server.store.check("n1", "load")?.Output, "busy");
    } finally {
      await h.close();
      await server.close();
    }
  });

  it("keeps serving while the server is away, answers reads from cache, and resyncs when it is back", async () => {
    let server = await startCatalogServer();
    const port = server.port;
    const h = await startAgent(httpCatalogWriter({ serverUrl: server.url, timeoutMs: 2000 }), { forwardTo: server.url });
    try {
      h.scheduler.advance(0);
      await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "web", Port: 80 });
      await eventually(() => assert.equal(server.store.serviceNodes("web").value.length, 1));

      // Client-mode reads go through to the server while it is there.
      const live = await call(`${h.url}/v1/catalog/service/web?stale`);
      assert.equal(live.status, 200);
      assert.equal(live.headers.get("x-consul-knownleader"), "true");
      assert.equal((live.json() as { ServiceID: string }[])[0]?.ServiceID, "web");
      const viaPut = await call(`${h.url}/v1/catalog/register`, "PUT", { Node: "other", Address: "10.9.9.9" });
      assert.equal(viaPut.status, 200);
      assert.equal(server.store.nodes().value.length, 2);

      await server.close();

      // Local state stays served and changes are kept for later.
      await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "late", Port: 81 });
      assert.deepEqual(Object.keys((await call(`${h.url}/v1/agent/services`)).json() as object), ["late", "web"]);
      await eventually(() => assert.equal(h.agent.knownLeader(), false));

      const cached = await call(`${h.url}/v1/catalog/service/web?stale`);
      assert.equal(cached.status, 200);
      assert.equal(cached.headers.get("x-consul-knownleader"), "false");
      const first = Number(cached.headers.get("x-consul-lastcontact"));
      h.clock.advance(5000);
      const later = await call(`${h.url}/v1/catalog/service/web?stale`);
      assert.equal(Number(later.headers.get("x-consul-lastcontact")), first + 5000);
      assert.deepEqual(later.json(), live.json());

      // A blocking read waits a little, then gets the cached answer instead of an error.
      const blocking = call(`${h.url}/v1/catalog/service/web?stale&index=99&wait=1m`);
      await h.scheduler.whenScheduled(250);
      h.scheduler.advance(250);
      assert.equal((await blocking).status, 200);

      const uncached = await call(`${h.url}/v1/catalog/service/db`);
      assert.equal(uncached.status, 500);
      assert.equal(uncached.text, "No known Consul servers");

      // The server comes back having lost everything; the agent puts its node back.
      server = await startCatalogServer(new CatalogStore("dc1"), port);
      await eventually(() => {
        h.scheduler.advance(1000); // retries back off up to retryMaxMs
        assert.deepEqual(server.store.nodeServices("n1").map((s) => s.ID), ["late", "web"]);
        assert.equal(server.store.check("n1", "serfHealth")?.Status, "passing");
      });
      assert.equal(h.agent.knownLeader(), true);
      assert.ok(h.agent.lastContactMs() < 5000);
    } finally {
      await h.close();
      await server.close();
    }
  });
});
