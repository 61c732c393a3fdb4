import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import { Registry } from "prom-client";
import { discovererContract, GroupCollector } from "../discoverer-contract.js";
import { createDiscoveryMetrics } from "../metrics.js";
import { observedLogger } from "../testing.js";
import type { ConsulSDConfig, LabelSet } from "../types.js";
import { consulBaseUrl, consulDiscoverer, type ConsulDiscovererDeps } from "./discoverer.js";
import { startRegistry, type TestRegistry } from "./test-registry.js";

const HOUR = 3_600_000;

// Prometheus's defaults; tests override what they exercise.
function sdConfig(server: string, over: Partial<ConsulSDConfig> = {}): ConsulSDConfig {
  return { server, tagSeparator: ",", scheme: "http", allowStale: true, refreshIntervalMs: HOUR, services: [], tags: [], nodeMeta: {}, ...over };
}

function run(t: TestContext, config: ConsulSDConfig, deps: Partial<ConsulDiscovererDeps> = {}): GroupCollector {
  const collector = new GroupCollector();
  const controller = new AbortController();
  const done = consulDiscoverer(config, { logger: observedLogger().logger, ...deps }).run(controller.signal, collector.emit);
  t.after(async () => {
    controller.abort();
    await done;
  });
  return collector;
}

function split(address: string): { Address: string; Port: number } {
  const i = address.lastIndexOf(":");
  return { Address: address.slice(0, i), Port: Number(address.slice(i + 1)) };
}

// A fetch that can be cut off, as a network outage: in-flight requests fail, new ones are refused.
function breakableFetch(): { fetch: typeof fetch; cut(): void; restore(): void } {
  let down = false;
  const inFlight = new Set<AbortController>();
  return {
    fetch: async (input, init) => {
      if (down) throw new TypeError("fetch failed");
      const ctl = new AbortController();
      inFlight.add(ctl);
      try {
        return await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, ctl.signal]) : ctl.signal });
      } finally {
        inFlight.delete(ctl);
      }
    },
    cut() {
      down = true;
      for (const c of inFlight) c.abort(new TypeError("fetch failed: connection reset"));
    },
    restore() {
      down = false;
    },
  };
}

discovererContract("consulDiscoverer", {
  async create(initial) {
    const registry = await startRegistry(undefined);
    const { logger, next } = observedLogger();
    const net = breakableFetch();
    const set = (key: string, address: string) => registry.client.registerService({ ID: key, Name: key, ...split(address) });
    for (const [k, a] of Object.entries(initial)) await set(k, a);
    return {
      // Retries come quickly so the failure case recovers fast; changes never wait for this.
      discoverer: consulDiscoverer(sdConfig(registry.server, { refreshIntervalMs: 100 }), { logger, fetch: net.fetch }),
      sourceOf: (key) => key,
      set,
      remove: (key) => registry.client.deregisterService(key),
      async fail() {
        const noticed = next("refresh failed");
        net.cut();
        await noticed;
      },
      recover: async () => net.restore(),
      close: () => registry.close(),
    };
  },
});

// Every target of a group with the group's labels merged in, keyed by service ID.
function targetsById(collector: GroupCollector, source: string): Record<string, LabelSet> {
  const g = collector.state.get(source);
  const out: Record<string, LabelSet> = {};
  for (const t of g?.targets ?? []) out[t["__meta_consul_service_id"] ?? ""] = t;
  return out;
}

async function registerWeb(registry: TestRegistry): Promise<void> {
  await registry.client.registerService({
    ID: "web-a",
    Name: "web",
    Tags: ["prod", "v1"],
    Address: "127.0.0.1",
    Port: 8080,
    Meta: { team: "core", "build-id": "42" },
    Check: { CheckID: "web-a-ttl", TTL: "1h", Status: "passing" },
  });
  await registry.client.registerService({ ID: "web-b", Name: "web", Tags: ["prod"], Port: 8081, Check: { CheckID: "web-b-ttl", TTL: "1h", Status: "critical" } });
  await registry.client.registerService({ ID: "web-c", Name: "web", Address: "::1", Port: 8082, Check: { CheckID: "web-c-ttl", TTL: "1h", Status: "warning" } });
}

describe("consulDiscoverer against a Meridian registry", () => {
  it("sets exactly Prometheus's labels, one group per service", async (t) => {
    const registry = await startRegistry(t, { nodeMeta: { rack: "r1", "zone.name": "z1" } });
    await registerWeb(registry);
    const collector = run(t, sdConfig(registry.server, { tagSeparator: "|" }));
    await collector.waitFor(() => Object.keys(targetsById(collector, "web")).length === 3, "three web targets");
    const web = collector.state.get("web");
    assert.deepEqual(web?.labels, { __meta_consul_service: "web", __meta_consul_dc: "dc-test" });
    const node = {
      __meta_consul_address: "127.0.0.1",
      __meta_consul_node: "node-a",
      __meta_consul_metadata_rack: "r1",
      __meta_consul_metadata_zone_name: "z1",
      __meta_consul_tagged_address_lan: "127.0.0.1",
      __meta_consul_tagged_address_lan_ipv4: "127.0.0.1",
      __meta_consul_tagged_address_wan: "127.0.0.1",
      __meta_consul_tagged_address_wan_ipv4: "127.0.0.1",
    };
    assert.deepEqual(targetsById(collector, "web"), {
      "web-a": {
        ...node,
        __address__: "127.0.0.1:8080",
        __meta_consul_tags: "|prod|v1|",
        __meta_consul_service_address: "127.0.0.1",
        __meta_consul_service_port: "8080",
        __meta_consul_service_id: "web-a",
        __meta_consul_health: "passing",
        __meta_consul_service_metadata_team: "core",
        __meta_consul_service_metadata_build_id: "42",
      },
      // No service address: the node's address is dialled.
      "web-b": {
        ...node,
        __address__: "127.0.0.1:8081",
        __meta_consul_tags: "|prod|",
        __meta_consul_service_address: "",
        __meta_consul_service_port: "8081",
        __meta_consul_service_id: "web-b",
        __meta_consul_health: "critical",
      },
      "web-c": {
        ...node,
        __address__: "[::1]:8082",
        __meta_consul_tags: "||",
        __meta_consul_service_address: "::1",
        __meta_consul_service_port: "8082",
        __meta_consul_service_id: "web-c",
        __meta_consul_health: "warning",
      },
    });

    // Maintenance outranks every check status.
    const put = await fetch(`${registry.url}/v1/agent/service/maintenance/web-b?enable=true&reason=deploy`, { method: "PUT" });
    assert.equal(put.status, 200);
    await collector.waitFor(() => targetsById(collector, "web")["web-b"]?.["__meta_consul_health"] === "maintenance", "web-b in maintenance");
  });

  it("passes a change on as soon as the registry has it, however long the refresh interval", async (t) => {
    const registry = await startRegistry(t);
    await registry.client.registerService({ ID: "api-1", Name: "api", Port: 9000, Check: { CheckID: "api-1-ttl", TTL: "1h", Status: "passing" } });
    const collector = run(t, sdConfig(registry.server, { refreshIntervalMs: HOUR }));
    await collector.waitFor(() => collector.addresses("api").length === 1, "the first api target");

    // Each wait below would time out if any blocking query waited for the (one hour) interval.
    await registry.client.registerService({ ID: "api-2", Name: "api", Port: 9001 });
    await collector.waitFor(() => collector.addresses("api").length === 2, "a new instance of a watched service", 5000);
    await registry.client.updateTtl("api-1-ttl", "fail", "down");
    await collector.waitFor(() => targetsById(collector, "api")["api-1"]?.["__meta_consul_health"] === "critical", "a health change", 5000);
    await registry.client.registerService({ ID: "jobs-1", Name: "jobs", Port: 9100 });
    await collector.waitFor(() => collector.addresses("jobs").join() === "127.0.0.1:9100", "a new service in the catalog", 5000);
    await registry.client.deregisterService("jobs-1");
    await collector.waitFor(() => collector.state.get("jobs")?.targets.length === 0, "the empty group of a removed service", 5000);
  });

  it("watches only the named services, only services carrying every tag, and only instances carrying them", async (t) => {
    const registry = await startRegistry(t);
    await registerWeb(registry);
    await registry.client.registerService({ ID: "db-1", Name: "db", Tags: ["prod"], Port: 5432 });
    await registry.client.registerService({ ID: "batch-1", Name: "batch", Tags: ["dev"], Port: 7000 });

    const byName = run(t, sdConfig(registry.server, { services: ["web", "absent"] }));
    await byName.waitFor(() => byName.addresses("web").length === 3 && byName.state.has("absent"), "web and an empty absent group");
    assert.deepEqual(byName.state.get("absent")?.targets, []);
    assert.ok(!byName.state.has("db"));

    const byTag = run(t, sdConfig(registry.server, { tags: ["prod"] }));
    await byTag.waitFor(() => byTag.addresses("web").length === 2 && byTag.addresses("db").length === 1, "prod instances of web and db");
    assert.deepEqual(Object.keys(targetsById(byTag, "web")).sort(), ["web-a", "web-b"], "web-c lacks the tag");
    assert.ok(!byTag.state.has("batch"));

    const both = run(t, sdConfig(registry.server, { services: ["web"], tags: ["prod", "v1"] }));
    await both.waitFor(() => both.addresses("web").length === 1, "web-a only");
    assert.deepEqual(Object.keys(targetsById(both, "web")), ["web-a"]);

    // A service that loses the wanted tag is dropped with an empty group.
    await registry.client.registerService({ ID: "db-1", Name: "db", Tags: ["staging"], Port: 5432 });
    await byTag.waitFor(() => byTag.state.get("db")?.targets.length === 0, "db dropped from the prod view");
  });

  it("filters by node metadata and by a filter expression", async (t) => {
    const registry = await startRegistry(t, { nodeMeta: { rack: "r1" } });
    await registerWeb(registry);
    const other = await fetch(`${registry.url}/v1/catalog/register`, {
      method: "PUT",
      body: JSON.stringify({ Node: "node-b", Address: "10.0.0.9", NodeMeta: { rack: "r2" }, Service: { ID: "web-z", Service: "web", Port: 8080 } }),
    });
    assert.equal(other.status, 200);

    const all = run(t, sdConfig(registry.server));
    await all.waitFor(() => all.addresses("web").length === 4, "four web instances on two nodes");
    const r1 = run(t, sdConfig(registry.server, { nodeMeta: { rack: "r1" } }));
    await r1.waitFor(() => r1.addresses("web").length === 3, "the three on rack r1");
    assert.ok(!("web-z" in targetsById(r1, "web")));
    const r2only = run(t, sdConfig(registry.server, { services: ["web"], nodeMeta: { rack: "r2" } }));
    await r2only.waitFor(() => r2only.addresses("web").join() === "10.0.0.9:8080", "web-z alone");

    const filtered = run(t, sdConfig(registry.server, { filter: 'ServiceMeta.team == "core"' }));
    await filtered.waitFor(() => filtered.history.length > 0 && filtered.state.has("web"), "web found through the filter");
    const none = run(t, sdConfig(registry.server, { services: ["web"], filter: 'ServiceMeta.team == "nobody"' }));
    await none.waitFor(() => none.history.length > 0, "a first emit");
    assert.ok(!none.state.has("web"), "a filter applies even when services are named");
  });

  it("labels the configured datacenter, or the agent's own when none is configured", async (t) => {
    const registry = await startRegistry(t, { datacenter: "east-1" });
    await registry.client.registerService({ ID: "x", Name: "x", Port: 1 });
    const fromAgent = run(t, sdConfig(registry.server));
    await fromAgent.waitFor(() => fromAgent.state.has("x"), "x");
    assert.equal(fromAgent.state.get("x")?.labels["__meta_consul_dc"], "east-1");
    const configured = run(t, sdConfig(registry.server, { datacenter: "east-1" }));
    await configured.waitFor(() => configured.state.has("x"), "x");
    assert.equal(configured.state.get("x")?.labels["__meta_consul_dc"], "east-1");
  });

  it("sends the token, basic auth, namespace and partition, under a path prefix", async (t) => {
    const seen: { url: string; token?: string; auth?: string }[] = [];
    const registry = await startRegistry(t, {
      aclBootstrapToken: "root-secret",
      prefix: "/consul",
      onRequest: (req) => seen.push({ url: req.url, token: req.headers["x-consul-token"] as string | undefined, auth: req.headers.authorization }),
    });
    await registry.client.registerService({ ID: "x", Name: "x", Port: 1 });
    const collector = run(t, sdConfig(registry.server, { pathPrefix: "consul/", token: "root-secret", username: "u", password: "p:w", namespace: "ns1", partition: "part1" }));
    await collector.waitFor(() => collector.addresses("x").length === 1, "x through the prefix with the token");
    const mine = seen.filter((r) => r.auth !== undefined);
    assert.ok(mine.some((r) => r.url.startsWith("/consul/v1/catalog/services?")), JSON.stringify(mine));
    for (const r of mine) {
      assert.equal(r.token, "root-secret");
      assert.equal(r.auth, `Basic ${Buffer.from("u:p:w").toString("base64")}`);
      const q = new URL(r.url, "http://x").searchParams;
      assert.equal(q.get("ns"), "ns1");
      assert.equal(q.get("partition"), "part1");
    }
  });

  it("logs, counts and retries a failing datacenter lookup without throwing or emitting", async () => {
    const { logger, next } = observedLogger();
    const registry = new Registry();
    const collector = new GroupCollector();
    const controller = new AbortController();
    const failed = next("consul datacenter lookup failed");
    // Port 9 (discard) on loopback refuses connections.
    const done = consulDiscoverer(sdConfig("127.0.0.1:9", { refreshIntervalMs: 50 }), { logger, metrics: createDiscoveryMetrics(registry) }).run(controller.signal, collector.emit);
    await failed;
    await next("consul datacenter lookup failed");
    assert.match(await registry.metrics(), /prometheus_sd_consul_rpc_failures_total [2-9]/);
    controller.abort();
    await done;
    assert.equal(collector.history.length, 0);
  });

  it("builds its base URL as Consul's client does", () => {
    assert.equal(consulBaseUrl({ server: "localhost:8500", scheme: "http" }), "http://localhost:8500");
    assert.equal(consulBaseUrl({ server: "c:8501", scheme: "https", pathPrefix: "/consul/" }), "https://c:8501/consul");
    assert.equal(consulBaseUrl({ server: "https://c:8501", scheme: "http" }), "https://c:8501");
  });
});
