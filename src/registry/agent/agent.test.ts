import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { httpCatalogWriter } from "./http-catalog-writer.js";
import { call, eventually, startAgent, startCatalogServer, type AgentHarness, type CatalogServer } from "./test-support.js";

describe("agent HTTP API", () => {
  let server: CatalogServer;
  let h: AgentHarness;

  before(async () => {
    server = await startCatalogServer();
    h = await startAgent(httpCatalogWriter({ serverUrl: server.url }));
  });
  after(async () => {
    await h.close();
    await server.close();
  });

  it("registers a service through the API and the catalog gets it; deregistration removes it", async () => {
    const reg = await call(`${h.url}/v1/agent/service/register`, "PUT", {
      name: "web",
      id: "web-1",
      tags: ["prod"],
      port: 8080,
      meta: { version: "1" },
      check: { ttl: "30s" },
    });
    assert.equal(reg.status, 200, reg.text);
    assert.equal(reg.text, "");

    const services = (await call(`${h.url}/v1/agent/services`)).json() as Record<string, Record<string, unknown>>;
    assert.deepEqual(services["web-1"], {
      ID: "web-1",
      Service: "web",
      Tags: ["prod"],
      Meta: { version: "1" },
      Port: 8080,
      Address: "",
      Weights: { Passing: 1, Warning: 1 },
      EnableTagOverride: false,
      Datacenter: "dc1",
    });
    const checks = (await call(`${h.url}/v1/agent/checks`)).json() as Record<string, Record<string, unknown>>;
    assert.equal(checks["service:web-1"]?.["Status"], "critical");
    assert.equal(checks["service:web-1"]?.["Type"], "ttl");
    assert.equal(checks["service:web-1"]?.["ServiceName"], "web");
    assert.equal(checks["service:web-1"]?.["Name"], "Service 'web' check");

    await eventually(() => assert.deepEqual(server.store.serviceNodes("web").value.map((s) => [s.Node, s.ServiceID, s.ServicePort]), [["n1", "web-1", 8080]]));
    await eventually(() => assert.equal(server.store.check("n1", "service:web-1")?.Status, "critical"));

    assert.equal((await call(`${h.url}/v1/agent/service/deregister/web-1`, "PUT")).status, 200);
    assert.deepEqual((await call(`${h.url}/v1/agent/services`)).json(), {});
    await eventually(() => assert.deepEqual(server.store.serviceNodes("web").value, []));
  });

  it("answers Consul's 404 texts for unknown services and checks", async () => {
    const one = await call(`${h.url}/v1/agent/service/nope`);
    assert.equal(one.status, 404);
    assert.equal(one.text, "unknown service ID: nope");
    const dereg = await call(`${h.url}/v1/agent/service/deregister/nope`, "PUT");
    assert.equal(dereg.status, 404);
    assert.equal(dereg.text, 'Unknown service ID "nope". Ensure that the service ID is passed, not the service name.');
    const pass = await call(`${h.url}/v1/agent/check/pass/nope`, "PUT");
    assert.equal(pass.status, 404);
    assert.equal(pass.text, 'Unknown check ID "nope". Ensure that the check ID is passed, not the check name.');
  });

  it("answers wrong verbs with 405 as Consul does", async () => {
    const res = await call(`${h.url}/v1/agent/service/register`, "GET");
    assert.equal(res.status, 405);
    assert.equal(res.text, "method GET not allowed");
    assert.equal(res.headers.get("allow"), "OPTIONS,PUT");
    assert.equal((await call(`${h.url}/v1/agent/services`, "PUT")).status, 405);
  });

  it("drives TTL checks with pass, warn, fail and update, and expires them", async () => {
    assert.equal((await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "api", Check: { CheckID: "api-ttl", TTL: "10s" } })).status, 200);
    assert.equal((await call(`${h.url}/v1/agent/check/pass/api-ttl?note=all%20good`, "PUT")).status, 200);
    assert.equal(h.agent.check("api-ttl")?.Status, "passing");
    assert.equal(h.agent.check("api-ttl")?.Output, "all good");
    await eventually(() => assert.equal(server.store.check("n1", "api-ttl")?.Status, "passing"));

    await call(`${h.url}/v1/agent/check/warn/api-ttl`, "PUT");
    assert.equal(h.agent.check("api-ttl")?.Status, "warning");
    await call(`${h.url}/v1/agent/check/fail/api-ttl?note=down`, "PUT");
    assert.equal(h.agent.check("api-ttl")?.Status, "critical");
    await eventually(() => assert.equal(server.store.check("n1", "api-ttl")?.Status, "critical"));

    const upd = await call(`${h.url}/v1/agent/check/update/api-ttl`, "PUT", { Status: "passing", Output: "fine" });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(h.agent.check("api-ttl")?.Output, "fine");
    const bad = await call(`${h.url}/v1/agent/check/update/api-ttl`, "PUT", { Status: "nope" });
    assert.equal(bad.status, 400);
    assert.equal(bad.text, "Invalid check status: 'nope'");

    h.scheduler.advance(10_001);
    assert.equal(h.agent.check("api-ttl")?.Status, "critical");
    assert.match(h.agent.check("api-ttl")?.Output ?? "", /TTL expired/);
    await eventually(() => assert.equal(server.store.check("n1", "api-ttl")?.Status, "critical"));
    await call(`${h.url}/v1/agent/service/deregister/api`, "PUT");
  });

  it("refuses TTL updates of checks that are not TTL checks with Consul's 500", async () => {
    await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "tcpsvc", Check: { CheckID: "tcp-1", TCP: "127.0.0.1:1", Interval: "1h" } });
    const res = await call(`${h.url}/v1/agent/check/pass/tcp-1`, "PUT");
    assert.equal(res.status, 500);
    assert.equal(res.text, 'CheckID "tcp-1" does not have associated TTL');
    await call(`${h.url}/v1/agent/service/deregister/tcpsvc`, "PUT");
  });

  it("rejects bad input with 400 naming the problem and leaves local state unchanged", async () => {
    const cases: [string, string | Record<string, unknown>, RegExp][] = [
      ["malformed JSON", "{not json", /^Request decode failed: /],
      ["unknown field", { Name: "x", Portt: 1 }, /^Request decode failed: Portt: unknown field "Portt"$/],
      ["bad port", { Name: "x", Port: 70000 }, /Invalid service port 70000/],
      ["port of wrong type", { Name: "x", Port: "eighty" }, /Port: expected an integer/],
      ["empty name", { Name: "" }, /^Missing service name$/],
      ["script check", { Name: "x", Check: { Args: ["/bin/true"], Interval: "10s" } }, /Scripts are disabled/],
      ["check without type", { Name: "x", Check: { Interval: "10s" } }, /check has no type/],
      ["bad duration", { Name: "x", Check: { TTL: "ten seconds" } }, /Check\.TTL: invalid duration/],
      ["bad check status", { Name: "x", Check: { TTL: "10s", Status: "fine" } }, /Status for checks must/],
    ];
    const before = (await call(`${h.url}/v1/agent/services`)).text;
    for (const [name, body, want] of cases) {
      const res = await call(`${h.url}/v1/agent/service/register`, "PUT", body);
      assert.equal(res.status, 400, name);
      assert.match(res.text, want, name);
    }
    assert.equal((await call(`${h.url}/v1/agent/services`)).text, before);
    const check = await call(`${h.url}/v1/agent/check/register`, "PUT", { TTL: "10s" });
    assert.equal(check.status, 400);
    assert.equal(check.text, "Missing check name");
    const orphan = await call(`${h.url}/v1/agent/check/register`, "PUT", { Name: "c", ServiceID: "ghost", TTL: "10s" });
    assert.equal(orphan.status, 404);
    assert.equal(orphan.text, 'ServiceID "ghost" does not exist');
  });

  it("registers node-level checks on their own and filters listings", async () => {
    assert.equal((await call(`${h.url}/v1/agent/check/register`, "PUT", { Name: "disk", TTL: "1m", Status: "passing" })).status, 200);
    await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "db", Tags: ["primary"], Port: 5432 });
    await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "cache", Port: 6379 });
    const filtered = (await call(`${h.url}/v1/agent/services?filter=${encodeURIComponent('"primary" in Tags')}`)).json();
    assert.deepEqual(Object.keys(filtered as object), ["db"]);
    const checks = (await call(`${h.url}/v1/agent/checks?filter=${encodeURIComponent('Name == "disk"')}`)).json() as Record<string, { ServiceID: string; Status: string }>;
    assert.deepEqual(Object.keys(checks), ["disk"]);
    assert.equal(checks["disk"]?.ServiceID, "");
    assert.equal(checks["disk"]?.Status, "passing");
    const bad = await call(`${h.url}/v1/agent/services?filter=${encodeURIComponent("Nope ==")}`);
    assert.equal(bad.status, 400);
    await eventually(() => assert.equal(server.store.check("n1", "disk")?.Status, "passing"));
    await call(`${h.url}/v1/agent/check/deregister/disk`, "PUT");
    await eventually(() => assert.equal(server.store.check("n1", "disk"), undefined));
    await call(`${h.url}/v1/agent/service/deregister/db`, "PUT");
    await call(`${h.url}/v1/agent/service/deregister/cache`, "PUT");
  });

  it("replaces existing checks only when asked", async () => {
    await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "r", Checks: [{ CheckID: "a", TTL: "1m" }, { CheckID: "b", TTL: "1m" }] });
    await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "r", Checks: [{ CheckID: "a", TTL: "1m" }] });
    assert.ok(h.agent.check("b"), "kept without replace-existing-checks");
    await call(`${h.url}/v1/agent/service/register?replace-existing-checks`, "PUT", { Name: "r", Checks: [{ CheckID: "a", TTL: "1m" }] });
    assert.equal(h.agent.check("b"), undefined);
    assert.ok(h.agent.check("a"));
    await call(`${h.url}/v1/agent/service/deregister/r`, "PUT");
  });

  it("numbers several unnamed service checks as Consul does", async () => {
    await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "multi", Checks: [{ TTL: "1m" }, { TTL: "2m" }] });
    assert.deepEqual(
      h.agent.checks().filter((c) => c.ServiceID === "multi").map((c) => c.CheckID),
      ["service:multi:1", "service:multi:2"],
    );
    await call(`${h.url}/v1/agent/service/deregister/multi`, "PUT");
  });

  it("puts services and the node into maintenance mode", async () => {
    await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "m", Port: 1 });
    assert.equal((await call(`${h.url}/v1/agent/service/maintenance/m`, "PUT")).text, "Missing value for enable");
    assert.equal((await call(`${h.url}/v1/agent/service/maintenance/m?enable=maybe`, "PUT")).text, 'Invalid value for enable: "maybe"');
    assert.equal((await call(`${h.url}/v1/agent/service/maintenance/m?enable=true&reason=upgrade`, "PUT")).status, 200);
    const maint = h.agent.check("_service_maintenance:m");
    assert.equal(maint?.Status, "critical");
    assert.equal(maint?.Name, "Service Maintenance Mode");
    assert.equal(maint?.Notes, "upgrade");
    assert.equal(maint?.ServiceID, "m");
    await eventually(() => assert.deepEqual(server.store.checkServiceNodes("m", { passingOnly: true }).value, []));
    await call(`${h.url}/v1/agent/service/maintenance/m?enable=false`, "PUT");
    assert.equal(h.agent.check("_service_maintenance:m"), undefined);
    await eventually(() => assert.equal(server.store.checkServiceNodes("m", { passingOnly: true }).value.length, 1));

    await call(`${h.url}/v1/agent/maintenance?enable=true`, "PUT");
    assert.equal(h.agent.check("_node_maintenance")?.Notes, "Maintenance mode is enabled for this node, but no reason was provided. This is a default message.");
    await eventually(() => assert.equal(server.store.check("n1", "_node_maintenance")?.Status, "critical"));
    await call(`${h.url}/v1/agent/maintenance?enable=false`, "PUT");
    await eventually(() => assert.equal(server.store.check("n1", "_node_maintenance"), undefined));
    await call(`${h.url}/v1/agent/service/deregister/m`, "PUT");
  });

  it("describes itself as Consul's /v1/agent/self and /v1/agent/members do", async () => {
    const self = (await call(`${h.url}/v1/agent/self`)).json() as { Config: Record<string, unknown>; Member: Record<string, unknown>; Coord: unknown };
    assert.equal(self.Config["Datacenter"], "dc1");
    assert.equal(self.Config["NodeName"], "n1");
    assert.equal(self.Config["Server"], false);
    assert.equal(self.Member["Status"], 1);
    assert.equal(self.Coord, null);
    const members = (await call(`${h.url}/v1/agent/members`)).json() as { Name: string }[];
    assert.deepEqual(members.map((m) => m.Name), ["n1"]);
  });

  it("reports local service health for load balancers", async () => {
    await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "lb", Check: { CheckID: "lb-ttl", TTL: "1m", Status: "passing" } });
    const ok = await call(`${h.url}/v1/agent/health/service/name/lb?format=text`);
    assert.equal(ok.status, 200);
    assert.equal(ok.text, "passing");
    await call(`${h.url}/v1/agent/check/fail/lb-ttl`, "PUT");
    const down = await call(`${h.url}/v1/agent/health/service/id/lb`);
    assert.equal(down.status, 503);
    assert.equal((down.json() as { AggregatedStatus: string }).AggregatedStatus, "critical");
    assert.equal((await call(`${h.url}/v1/agent/health/service/name/none`)).status, 404);
    await call(`${h.url}/v1/agent/service/deregister/lb`, "PUT");
  });
});

describe("agent checks", () => {
  let server: CatalogServer;
  let h: AgentHarness;
  let target: Server;
  let targetStatus = 200;

  before(async () => {
    server = await startCatalogServer();
    h = await startAgent(httpCatalogWriter({ serverUrl: server.url }));
    target = createServer((_req, res) => {
      res.statusCode = targetStatus;
      res.end(targetStatus === 200 ? "ok" : "broken");
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  });
  after(async () => {
    await h.close();
    await server.close();
    await new Promise((r) => target.close(r));
  });

  it("runs an HTTP check against a real server and syncs its status changes", async () => {
    const port = (target.address() as AddressInfo).port;
    const res = await call(`${h.url}/v1/agent/service/register`, "PUT", {
      Name: "site",
      Port: port,
      Check: { HTTP: `http://127.0.0.1:${port}/health`, Interval: "10s", Timeout: "1s" },
    });
    assert.equal(res.status, 200, res.text);
    const check = h.agent.check("service:site");
    assert.equal(check?.Type, "http");
    assert.equal(check?.Interval, "10s");
    assert.equal(check?.Timeout, "1s");
    h.scheduler.advance(0); // the first run, staggered by random() = 0
    await eventually(() => assert.equal(h.agent.check("service:site")?.Status, "passing"));
    assert.match(h.agent.check("service:site")?.Output ?? "", /200 OK Output: ok/);
    await eventually(() => assert.equal(server.store.check("n1", "service:site")?.Status, "passing"));

    targetStatus = 500;
    await h.scheduler.whenScheduled(10_000);
    h.scheduler.advance(10_000);
    await eventually(() => assert.equal(h.agent.check("service:site")?.Status, "critical"));
    await eventually(() => assert.equal(server.store.check("n1", "service:site")?.Status, "critical"));
  });

  it("deregisters a service whose check stays critical past DeregisterCriticalServiceAfter (at least 1m)", async () => {
    await call(`${h.url}/v1/agent/service/register`, "PUT", {
      Name: "flaky",
      Check: { CheckID: "flaky-ttl", TTL: "5s", Status: "passing", DeregisterCriticalServiceAfter: "10s" },
    });
    await eventually(() => assert.equal(server.store.serviceNodes("flaky").value.length, 1));
    h.scheduler.advance(5_001); // TTL expires: critical from now
    assert.equal(h.agent.check("flaky-ttl")?.Status, "critical");
    h.scheduler.advance(30_000); // a reap after 30 s: 10 s was raised to the 1 minute floor
    assert.ok(h.agent.service("flaky"), "still registered before a minute of critical");
    h.scheduler.advance(60_000);
    assert.equal(h.agent.service("flaky"), undefined);
    await eventually(() => assert.deepEqual(server.store.serviceNodes("flaky").value, []));
  });
});
