import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { systemClock, silentLogger } from "../../runtime/index.js";
import { ConsulClient, watch } from "../client/index.js";
import { RegistryServer } from "../server/index.js";
import { openAcl } from "./acl.js";
import { registerCatalogRoutes } from "./catalog-routes.js";
import { consulScope } from "./consul-scope.js";
import { consulFilterCompiler } from "./filter-compiler.js";

let dir: string;
let server: RegistryServer;
let app: FastifyInstance;
let base: string;
let client: ConsulClient;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "meridian-catalog-routes-"));
  server = new RegistryServer({ datacenter: "dc1", dataDir: dir, logger: silentLogger(), clock: systemClock(), metrics: new Registry() });
  await server.start(new AbortController().signal);
  app = Fastify();
  await app.register(async (scope) => {
    consulScope(scope);
    registerCatalogRoutes(scope, {
      store: server.store,
      write: (op) => server.write(op),
      filter: consulFilterCompiler,
      acl: openAcl(),
      router: server.wan,
      serverAddress: "127.0.0.1:8300",
      random: () => 0.5,
      lastContactMs: () => 0,
      knownLeader: () => true,
    });
  });
  base = await app.listen({ host: "127.0.0.1", port: 0 });
  client = new ConsulClient({ baseUrl: base });
});

after(async () => {
  await app.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

async function put(path: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${path}`, { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}

describe("catalog routes", () => {
  it("registers through the catalog API (any key spelling, no content type) and reads back", async () => {
    const r = await put("/v1/catalog/register", {
      node: "n1",
      address: "10.1.1.1",
      node_meta: { rack: "r1" },
      service: { id: "web-1", service: "web", tags: ["a", "b"], port: 8080, meta: { env: "prod" } },
      check: { check_id: "web-1-ok", service_id: "web-1", status: "passing" },
    });
    assert.deepEqual(r, { status: 200, text: "true" });
    const services = await client.catalogServices();
    assert.deepEqual(services.value, { web: ["a", "b"] });
    assert.ok(services.index > 0);
    const nodes = await client.catalogService("web");
    assert.equal(nodes.value[0]?.ServiceMeta["env"], "prod");
    assert.equal(nodes.value[0]?.NodeMeta["rack"], "r1");
    const health = await client.healthService("web", { passing: true });
    assert.equal(health.value.length, 1);
    assert.equal(health.value[0]?.Checks[0]?.Status, "passing");
  });

  it("filters with ?filter= and rejects bad expressions with 400", async () => {
    const hit = await client.catalogService("web", { filter: 'ServiceMeta.env == "prod" and "a" in ServiceTags' });
    assert.equal(hit.value.length, 1);
    const miss = await client.catalogService("web", { filter: "ServicePort != 8080" });
    assert.equal(miss.value.length, 0);
    assert.deepEqual((await client.catalogServices({ filter: "ServicePort == 8080" })).value, { web: ["a", "b"] });
    assert.deepEqual((await client.catalogServices({ filter: "ServicePort == 1" })).value, {});
    const bad = await fetch(`${base}/v1/catalog/service/web?filter=${encodeURIComponent("Bogus == 1")}`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Failed to create boolean expression evaluator: .*Bogus/);
  });

  const badBodies: [string, unknown, RegExp][] = [
    ["malformed JSON", "{not json", /Request decode failed/],
    ["unknown field", { Node: "n", Address: "a", Colour: "red" }, /unknown field "Colour"/],
    ["wrong type", { Node: "n", Address: "a", Service: { Service: "s", Port: "eighty" } }, /Service\.Port: expected an integer/],
    ["invalid port", { Node: "n", Address: "a", Service: { Service: "s", Port: 99999 } }, /Invalid service port 99999/],
    ["empty name", { Node: "n", Address: "a", Service: { Service: "" } }, /service name/],
    ["missing node", { Address: "a" }, /Must provide node/],
  ];
  for (const [name, body, message] of badBodies) {
    it(`answers 400 to ${name} and changes nothing`, async () => {
      const before = server.store.index;
      const r = await put("/v1/catalog/register", body);
      assert.equal(r.status, 400, r.text);
      assert.match(r.text, message);
      assert.equal(server.store.index, before);
    });
  }

  it("refuses an oversized body with 413", async () => {
    const r = await put("/v1/catalog/register", { Node: "n", Address: "a", NodeMeta: { big: "x".repeat(600 * 1024) } });
    assert.equal(r.status, 413);
  });

  it("answers bad blocking parameters with 400", async () => {
    assert.equal((await fetch(`${base}/v1/catalog/services?index=abc`)).status, 400);
    const r = await fetch(`${base}/v1/catalog/services?index=1&wait=10`);
    assert.equal(r.status, 400);
    assert.equal(await r.text(), "Invalid wait time");
  });

  it("blocks until the watched service changes, and is not woken by another service", async () => {
    await put("/v1/catalog/register", { Node: "n2", Address: "10.1.1.2", Service: { ID: "x-1", Service: "x", Port: 1 } });
    const x = await client.healthService("x");
    let returned = false;
    const blocked = client.healthService("x", { index: x.index, waitMs: 30_000 }).then((r) => {
      returned = true;
      return r;
    });
    // Changes to y must not release the watcher of x.
    for (let i = 0; i < 5; i++) await put("/v1/catalog/register", { Node: "n2", Address: "10.1.1.2", Service: { ID: "y-1", Service: "y", Port: 100 + i } });
    await client.catalogService("y");
    assert.equal(returned, false);
    await put("/v1/catalog/register", { Node: "n2", Address: "10.1.1.2", Service: { ID: "x-2", Service: "x", Port: 2 } });
    const after = await blocked;
    assert.ok(after.index > x.index);
    assert.deepEqual(after.value.map((e) => e.Service.ID), ["x-1", "x-2"]);
  });

  it("returns after the wait time with the same index when nothing changed", async () => {
    const x = await client.healthService("x");
    const again = await client.healthService("x", { index: x.index, waitMs: 50 });
    assert.equal(again.index, x.index);
  });

  it("watch() delivers every change at once", async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    let notify!: () => void;
    let target = 0;
    const reached = new Promise<void>((r) => (notify = r));
    const running = watch((o) => client.healthService("z", o), (v) => {
      seen.push(v.length);
      if (v.length === target && target > 0) notify();
    }, { signal: ac.signal, waitMs: 30_000 });
    target = 2;
    await put("/v1/catalog/register", { Node: "n3", Address: "10.1.1.3", Service: { ID: "z-1", Service: "z", Port: 1 } });
    await put("/v1/catalog/register", { Node: "n3", Address: "10.1.1.3", Service: { ID: "z-2", Service: "z", Port: 2 } });
    await reached;
    ac.abort();
    await running;
    assert.equal(seen.at(-1), 2);
  });

  it("deregisters, answers status and datacenters, and rejects unknown dc with Consul's text", async () => {
    assert.equal((await put("/v1/catalog/deregister", { Node: "n3", ServiceID: "z-1" })).status, 200);
    assert.deepEqual((await client.healthService("z")).value.map((e) => e.Service.ID), ["z-2"]);
    assert.deepEqual(await (await fetch(`${base}/v1/catalog/datacenters`)).json(), ["dc1"]);
    assert.equal(await (await fetch(`${base}/v1/status/leader`)).json(), "127.0.0.1:8300");
    const r = await fetch(`${base}/v1/catalog/services?dc=dc9`);
    assert.equal(r.status, 500);
    assert.equal(await r.text(), "No path to datacenter");
  });
});
