import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RegisterRequest } from "../types.js";
import { CatalogStore } from "./store.js";

function reg(node: string, service?: { id?: string; name: string; tags?: string[]; port?: number; meta?: Record<string, string> }, checks: RegisterRequest["Checks"] = []): RegisterRequest {
  return {
    Node: node,
    Address: `10.0.0.${node.length}`,
    NodeMeta: { rack: node === "n1" ? "r1" : "r2" },
    ...(service ? { Service: { ID: service.id, Service: service.name, Tags: service.tags, Port: service.port ?? 80, Meta: service.meta } } : {}),
    Checks: checks,
  };
}

describe("CatalogStore", () => {
  it("registers nodes, services and checks and answers Consul's reads", () => {
    const s = new CatalogStore("dc1");
    s.apply({ op: "register", req: reg("n1", { id: "web-1", name: "web", tags: ["Prod", "v1"], port: 8080 }, [{ CheckID: "web-1-http", Name: "http", ServiceID: "web-1", Status: "passing" }]) });
    s.apply({ op: "register", req: reg("n2", { id: "web-2", name: "web", tags: ["canary"] }) });
    s.apply({ op: "register", req: reg("n2", { id: "db-1", name: "db" }) });

    assert.deepEqual(s.services().value, { db: [], web: ["Prod", "canary", "v1"] });
    assert.deepEqual(s.services({ nodeMeta: { rack: "r1" } }).value, { web: ["Prod", "v1"] });
    assert.deepEqual(s.serviceNodes("web").value.map((n) => [n.Node, n.ServiceID, n.ServicePort]), [["n1", "web-1", 8080], ["n2", "web-2", 80]]);
    assert.deepEqual(s.serviceNodes("web", { tags: ["prod"] }).value.map((n) => n.ServiceID), ["web-1"], "tags compare case-insensitively");
    assert.deepEqual(s.serviceNodes("web", { tags: ["prod", "v2"] }).value, []);

    const health = s.checkServiceNodes("web").value;
    assert.equal(health.length, 2);
    assert.equal(health[0]?.Checks[0]?.ServiceName, "web");
    assert.deepEqual(health[0]?.Checks[0]?.ServiceTags, ["Prod", "v1"]);
    assert.deepEqual(s.checkServiceNodes("web", { passingOnly: true }).value.map((h) => h.Service.ID), ["web-1", "web-2"]);

    // A failing node-level check takes every service of that node out of ?passing.
    s.apply({ op: "register", req: { ...reg("n2"), Checks: [{ CheckID: "serfHealth", Name: "Serf Health Status", Status: "critical" }] } });
    assert.deepEqual(s.checkServiceNodes("web", { passingOnly: true }).value.map((h) => h.Service.ID), ["web-1"]);
    assert.deepEqual(s.checksInState("critical").value.map((c) => c.CheckID), ["serfHealth"]);
    assert.deepEqual(s.nodes().value.map((n) => n.Node), ["n1", "n2"]);
    assert.deepEqual(Object.keys(s.node("n2").value?.Services ?? {}), ["db-1", "web-2"]);
    assert.equal(s.node("nope").value, undefined);
  });

  it("keeps the index still for writes that change nothing", () => {
    const s = new CatalogStore("dc1");
    const first = s.apply({ op: "register", req: reg("n1", { id: "web-1", name: "web" }) });
    assert.equal(first?.index, 1);
    assert.equal(s.apply({ op: "register", req: reg("n1", { id: "web-1", name: "web" }) }), undefined);
    assert.equal(s.index, 1);
    assert.equal(s.apply({ op: "register", req: reg("n1", { id: "web-1", name: "web", port: 81 }) })?.index, 2);
    assert.equal(s.apply({ op: "deregister", req: { Node: "n1", ServiceID: "absent" } }), undefined);
  });

  it("stamps indexes per resource so one service's change does not move another's", async () => {
    const s = new CatalogStore("dc1");
    s.apply({ op: "register", req: reg("n1", { id: "x-1", name: "x" }) });
    s.apply({ op: "register", req: reg("n1", { id: "y-1", name: "y" }) });
    const xIndex = s.serviceNodes("x").index;
    let woken = false;
    const ac = new AbortController();
    const waiting = s.keys.wait(CatalogStore.keysFor({ kind: "service", name: "x" }), xIndex, ac.signal).then(() => (woken = true));
    s.apply({ op: "register", req: reg("n1", { id: "y-1", name: "y", port: 9 }) });
    s.apply({ op: "register", req: reg("n1", { id: "y-2", name: "y" }) });
    await new Promise((r) => setImmediate(r));
    assert.equal(woken, false, "changes to y must not wake watchers of x");
    assert.equal(s.serviceNodes("x").index, xIndex);
    s.apply({ op: "register", req: reg("n1", { id: "x-1", name: "x", tags: ["new"] }) });
    await waiting;
    assert.equal(woken, true);
    assert.ok(s.serviceNodes("x").index > xIndex);
  });

  it("keeps the index of a deleted service so its watchers see the deletion", () => {
    const s = new CatalogStore("dc1");
    s.apply({ op: "register", req: reg("n1", { id: "x-1", name: "x" }) });
    const before = s.serviceNodes("x").index;
    s.apply({ op: "deregister", req: { Node: "n1", ServiceID: "x-1" } });
    const after = s.serviceNodes("x");
    assert.deepEqual(after.value, []);
    assert.ok(after.index > before);
  });

  it("deregisters a node with everything on it, and a check alone", () => {
    const s = new CatalogStore("dc1");
    s.apply({ op: "register", req: reg("n1", { id: "web-1", name: "web" }, [{ CheckID: "c1", ServiceID: "web-1", Status: "passing" }, { CheckID: "c2", Status: "passing" }]) });
    s.apply({ op: "deregister", req: { Node: "n1", CheckID: "c2" } });
    assert.deepEqual(s.nodeChecks("n1").value.map((c) => c.CheckID), ["c1"]);
    s.apply({ op: "deregister", req: { Node: "n1" } });
    assert.deepEqual(s.services().value, {});
    assert.deepEqual(s.nodes().value, []);
    assert.deepEqual(s.checksInState("any").value, []);
  });

  const bad: [string, RegisterRequest, RegExp][] = [
    ["missing node", { Node: "", Address: "1.2.3.4" }, /Must provide node/],
    ["missing address", { Node: "n", Address: "" }, /Must provide address/],
    ["missing service name", { Node: "n", Address: "a", Service: { Service: "" } }, /service name/],
    ["bad port", { Node: "n", Address: "a", Service: { Service: "s", Port: 70000 } }, /Invalid service port 70000/],
    ["unknown service of a check", { Node: "n", Address: "a", Checks: [{ CheckID: "c", ServiceID: "ghost" }] }, /Unknown service ID 'ghost'/],
    ["bad status", { Node: "n", Address: "a", Checks: [{ CheckID: "c", Status: "fine" as "passing" }] }, /Invalid check status 'fine'/],
    ["other datacenter", { Node: "n", Address: "a", Datacenter: "dc9" }, /Unknown datacenter 'dc9'/],
  ];
  for (const [name, req, message] of bad) {
    it(`rejects ${name} and leaves the catalog unchanged`, () => {
      const s = new CatalogStore("dc1");
      s.apply({ op: "register", req: reg("n", { id: "s-1", name: "s" }) });
      const before = JSON.stringify(s.snapshot());
      assert.throws(() => s.apply({ op: "register", req }), { code: "bad_request", message });
      assert.equal(JSON.stringify(s.snapshot()), before);
    });
  }

  it("restores exactly from a snapshot and from replaying its records", () => {
    const s = new CatalogStore("dc1");
    const records = [];
    for (let i = 0; i < 50; i++) {
      const r = s.apply({ op: "register", req: reg(`n${i % 7}`, { id: `svc-${i % 11}`, name: `svc${i % 3}`, tags: [`t${i}`] }, [{ CheckID: `c${i % 5}`, Status: i % 2 ? "passing" : "critical" }]) });
      if (r) records.push(r);
      if (i % 9 === 0) {
        const d = s.apply({ op: "deregister", req: { Node: `n${i % 7}`, ServiceID: `svc-${i % 11}` } });
        if (d) records.push(d);
      }
    }
    const fromSnapshot = new CatalogStore("dc1");
    fromSnapshot.restore(structuredClone(s.snapshot()));
    assert.deepEqual(fromSnapshot.snapshot(), s.snapshot());
    assert.deepEqual(fromSnapshot.checkServiceNodes("svc1"), s.checkServiceNodes("svc1"));

    const replayed = new CatalogStore("dc1");
    for (const r of records) replayed.apply(r.change, r.index);
    assert.deepEqual(replayed.snapshot(), s.snapshot());
  });
});
