import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CatalogStore, type CatalogOp } from "../catalog/index.js";
import { parseConfigFile } from "./config-dir.js";
import { storeCatalogWriter } from "./store-catalog-writer.js";
import { call, eventually, startAgent } from "./test-support.js";

describe("config dir", () => {
  it("parses Consul's file shapes, in any key spelling", () => {
    const one = parseConfigFile("a.json", JSON.stringify({ service: { name: "web", port: 80, check: { http: "http://127.0.0.1/", interval: "10s" } } }));
    assert.equal(one.services[0]?.service.ID, "web");
    assert.equal(one.services[0]?.checks[0]?.CheckID, "service:web");
    assert.equal(one.services[0]?.checks[0]?.IntervalMs, 10_000);
    const many = parseConfigFile("b.json", JSON.stringify({ services: [{ name: "a" }, { name: "b", id: "b1" }], checks: [{ id: "mem", name: "mem", ttl: "1m" }] }));
    assert.deepEqual(many.services.map((s) => s.service.ID), ["a", "b1"]);
    assert.deepEqual(many.checks.map((c) => [c.CheckID, c.TTLMs]), [["mem", 60_000]]);
  });

  it("names the file and the field of a bad file", () => {
    const cases: [string, string, RegExp][] = [
      ["bad JSON", "{", /invalid config file "\/d\/x.json": invalid JSON: /],
      ["unknown field", JSON.stringify({ service: { name: "a", portt: 1 } }), /"\/d\/x.json": Service\.portt: unknown field "portt"/],
      ["bad port", JSON.stringify({ services: [{ name: "a" }, { name: "b", port: "x" }] }), /"\/d\/x.json": Services\[1\]\.Port: expected an integer/],
      ["missing name", JSON.stringify({ service: { port: 1 } }), /"\/d\/x.json": Service: Missing service name/],
      ["bad duration", JSON.stringify({ check: { name: "c", ttl: "soon" } }), /"\/d\/x.json": Check\.TTL: invalid duration/],
    ];
    for (const [name, text, want] of cases) assert.throws(() => parseConfigFile("/d/x.json", text), want, name);
  });

  it("loads at start and reloads: removed files deregister, changes apply, API services stay, bad files change nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-agent-config-"));
    const store = new CatalogStore("dc1");
    const write = async (op: CatalogOp) => store.apply(op)?.index ?? store.index;
    await writeFile(join(dir, "web.json"), JSON.stringify({ service: { name: "web", port: 80, check: { ttl: "30s", status: "passing" } } }));
    await writeFile(join(dir, "db.json"), JSON.stringify({ services: [{ name: "db", port: 5432 }] }));
    await writeFile(join(dir, "mem.json"), JSON.stringify({ check: { name: "mem", ttl: "1m" } }));
    await writeFile(join(dir, "notes.txt"), "not a config file");
    const h = await startAgent(storeCatalogWriter({ store, write }), { configDir: dir });
    try {
      assert.deepEqual(h.agent.services().map((s) => s.ID), ["db", "web"]);
      assert.deepEqual(h.agent.checks().map((c) => c.CheckID), ["mem", "service:web"]);
      await eventually(() => assert.deepEqual(store.nodeServices("n1").map((s) => s.ID), ["db", "web"]));
      await call(`${h.url}/v1/agent/service/register`, "PUT", { Name: "api" });

      await rm(join(dir, "db.json"));
      await rm(join(dir, "mem.json"));
      await writeFile(join(dir, "web.json"), JSON.stringify({ service: { name: "web", port: 8080, check: { ttl: "30s", status: "passing" } } }));
      const reload = await call(`${h.url}/v1/agent/reload`, "PUT");
      assert.equal(reload.status, 200, reload.text);
      assert.deepEqual(h.agent.services().map((s) => [s.ID, s.Port]), [["api", 0], ["web", 8080]]);
      assert.deepEqual(h.agent.checks().map((c) => c.CheckID), ["service:web"]);
      await eventually(() => assert.deepEqual(store.nodeServices("n1").map((s) => [s.ID, s.Port]), [["api", 0], ["web", 8080]]));

      await writeFile(join(dir, "zz-bad.json"), JSON.stringify({ service: { name: "bad", port: 99999 } }));
      await rm(join(dir, "web.json"));
      const bad = await call(`${h.url}/v1/agent/reload`, "PUT");
      assert.equal(bad.status, 500);
      assert.match(bad.text, /zz-bad\.json": Invalid service port 99999/);
      assert.deepEqual(h.agent.services().map((s) => s.ID), ["api", "web"], "old state kept");
      await assert.rejects(h.agent.reload(), /zz-bad\.json/);
    } finally {
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses to start on a bad config dir", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-agent-config-"));
    await writeFile(join(dir, "x.json"), JSON.stringify({ check: { name: "c", service_id: "ghost", ttl: "1m" } }));
    const store = new CatalogStore("dc1");
    try {
      await assert.rejects(startAgent(storeCatalogWriter({ store, write: async () => 0 }), { configDir: dir }), /x\.json": check "c": ServiceID "ghost" does not exist/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
