import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { ConsulClient } from "../../src/registry/index.js";
import { pollUntil, requirePeer, runWithPeerLog, startPrometheus, withPeer } from "../peers/index.js";
import { buildGoProgram } from "./go-program.js";
import { startMeridian } from "./meridian-process.js";

interface Target {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  health: string;
  scrapeUrl: string;
}

// A loopback exporter: one gauge naming which instance answered.
async function exporter(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => {
    res.setHeader("Content-Type", "text/plain; version=0.0.4");
    res.end(`# TYPE demo_up gauge\ndemo_up{exporter="${name}"} 1\n`);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port };
}

// Runs Prometheus 2.42's own Consul discovery (see test/e2e/prom-consul-sd) with `config`, writing
// file_sd JSON to `out` for the real Prometheus to read.
async function startConsulSd(t: TestContext, bin: string, dir: string, name: string, config: Record<string, unknown>): Promise<string> {
  const cfg = join(dir, `${name}.yml`);
  const out = join(dir, `${name}.json`);
  await writeFile(cfg, JSON.stringify(config));
  await writeFile(out, "[]");
  const child = spawn(bin, [cfg, out], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (b: Buffer) => (log += b.toString()));
  t.after(() => {
    child.kill("SIGKILL");
  });
  child.once("exit", (code) => {
    if (code !== null && code !== 0) log += `\nexited ${code}`;
  });
  return out;
}

describe("real Prometheus discovers through a Meridian registry (consul_sd_configs)", () => {
  it("sees registrations with Consul's meta labels, scrapes them, and drops deregistered and critical ones", async (t) => {
    if (!requirePeer(t, "prometheus", "prometheus")) return;
    const sd = await buildGoProgram(t, "prom-consul-sd");
    if (!sd) return;
    const dir = await mkdtemp(join(tmpdir(), "meridian-sd-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const registry = await startMeridian([
      "registry", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "registry"), "--datacenter", "dc-test", "--node", "node-a", "--node-meta", "rack:r1",
    ]);
    t.after(() => registry.kill());
    const [a, b, c] = await Promise.all([exporter("a"), exporter("b"), exporter("c")]);
    const exporters = [a, b, c];
    t.after(() => exporters.forEach((e) => e.server.close()));
    const consul = new ConsulClient({ baseUrl: registry.url });
    const server = new URL(registry.url).host;

    await consul.registerService({ ID: "web-a", Name: "web", Tags: ["prod", "v1"], Address: "127.0.0.1", Port: a.port, Meta: { team: "core", "build-id": "42" } });
    await consul.registerService({ ID: "web-b", Name: "web", Tags: ["prod"], Address: "127.0.0.1", Port: b.port, Check: { CheckID: "web-b-ttl", TTL: "1h", Status: "passing" } });
    await consul.registerService({ ID: "db-c", Name: "db", Tags: ["prod"], Address: "127.0.0.1", Port: c.port });
    await consul.registerService({ ID: "batch-x", Name: "batch", Tags: ["dev"], Address: "127.0.0.1", Port: c.port });

    const allFile = await startConsulSd(t, sd, dir, "all", { server, refresh_interval: "1s", allow_stale: true, tags: ["prod"], tag_separator: "|" });
    const webFile = await startConsulSd(t, sd, dir, "web", { server, refresh_interval: "1s", services: ["web"], node_meta: { rack: "r1" } });
    const prom = withPeer(
      t,
      await startPrometheus({
        config: {
          global: { scrape_interval: "1s", scrape_timeout: "1s" },
          scrape_configs: [
            {
              job_name: "consul-all",
              file_sd_configs: [{ files: [allFile], refresh_interval: "1s" }],
              relabel_configs: [{ source_labels: ["__meta_consul_health"], regex: "passing", action: "keep" }],
            },
            {
              job_name: "consul-web",
              file_sd_configs: [{ files: [webFile], refresh_interval: "1s" }],
            },
          ],
        },
      }),
    );

    const targets = async (job: string) =>
      (await prom.api<{ activeTargets: Target[] }>("/api/v1/targets", { state: "active" })).activeTargets.filter((x) => x.labels["job"] === job);

    await runWithPeerLog(prom, async () => {
      const all = await pollUntil(async () => {
        const ts = await targets("consul-all");
        return ts.length === 3 && ts.every((x) => x.health === "up") ? ts : undefined;
      }, { timeoutMs: 30_000, what: "three healthy prod targets" });
      const webA = all.find((x) => x.discoveredLabels["__meta_consul_service_id"] === "web-a");
      assert.ok(webA, "web-a discovered");
      const d = webA.discoveredLabels;
      assert.equal(d["__address__"], `127.0.0.1:${a.port}`);
      assert.equal(d["__meta_consul_address"], "127.0.0.1");
      assert.equal(d["__meta_consul_dc"], "dc-test");
      assert.equal(d["__meta_consul_node"], "node-a");
      assert.equal(d["__meta_consul_service"], "web");
      assert.equal(d["__meta_consul_service_address"], "127.0.0.1");
      assert.equal(d["__meta_consul_service_port"], String(a.port));
      assert.equal(d["__meta_consul_tags"], "|prod|v1|");
      assert.equal(d["__meta_consul_service_metadata_team"], "core");
      assert.equal(d["__meta_consul_service_metadata_build_id"], "42");
      assert.equal(d["__meta_consul_health"], "passing");
      assert.equal(d["__meta_consul_metadata_rack"], "r1");
      assert.equal(d["__meta_consul_tagged_address_lan"], "127.0.0.1");
      assert.ok(!all.some((x) => x.discoveredLabels["__meta_consul_service"] === "batch"), "the tags filter leaves batch out");

      const web = await pollUntil(async () => {
        const ts = await targets("consul-web");
        return ts.length === 2 ? ts : undefined;
      }, { timeoutMs: 30_000, what: "both web targets in the services-only job" });
      assert.deepEqual(web.map((x) => x.discoveredLabels["__meta_consul_service_id"]).sort(), ["web-a", "web-b"]);

      // The scraped samples carry the instance's metric.
      await pollUntil(async () => {
        const r = (await prom.query('demo_up{job="consul-all"}')).result as unknown[];
        return r.length === 3 || undefined;
      }, { timeoutMs: 30_000, what: "samples from all three prod targets" });

      // A check going critical drops the target (health relabeling); deregistration drops it too.
      const changedAt = performance.now();
      await consul.updateTtl("web-b-ttl", "fail", "broken");
      await consul.deregisterService("db-c");
      const left = await pollUntil(async () => {
        const ts = await targets("consul-all");
        return ts.length === 1 ? ts : undefined;
      }, { timeoutMs: 30_000, what: "critical and deregistered targets dropped" });
      assert.equal(left[0]?.discoveredLabels["__meta_consul_service_id"], "web-a");
      // Reported, not asserted: includes Prometheus's own 5 s discovery-update throttle.
      t.diagnostic(`critical and deregistered targets left Prometheus's active targets ${Math.round(performance.now() - changedAt)} ms after the change`);
      const webB = await pollUntil(async () => (await targets("consul-web")).find((x) => x.discoveredLabels["__meta_consul_service_id"] === "web-b" && x.discoveredLabels["__meta_consul_health"] === "critical"), {
        timeoutMs: 30_000,
        what: "web-b reported critical",
      });
      assert.ok(webB);
    });
  });
});
