import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import Consul from "consul";
import { buildGoProgram } from "./go-program.js";
import { startMeridian, type MeridianProcess } from "./meridian-process.js";

let dir: string;
let registry: MeridianProcess;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "meridian-clients-"));
  registry = await startMeridian(["registry", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "registry"), "--node", "client-node"]);
});

after(async () => {
  registry.kill();
  await rm(dir, { recursive: true, force: true });
});

describe("Consul clients Meridian did not write", () => {
  it("the npm consul library registers, lists, reads health, passes a TTL check and runs a blocking watch", async () => {
    const url = new URL(registry.url);
    const consul = new Consul({ host: url.hostname, port: Number(url.port) });
    await consul.agent.service.register({ name: "npm-web", id: "npm-web-1", tags: ["blue"], port: 7001, check: { ttl: "60s", notes: "heartbeat" } } as never);
    const services = (await consul.agent.service.list()) as Record<string, { Service: string; Port: number; Tags: string[] }>;
    assert.equal(services["npm-web-1"]?.Port, 7001);
    assert.deepEqual(services["npm-web-1"]?.Tags, ["blue"]);

    const catalog = (await consul.catalog.service.list()) as Record<string, string[]>;
    assert.deepEqual(catalog["npm-web"], ["blue"]);

    let health = (await consul.health.service({ service: "npm-web", passing: true } as never)) as unknown[];
    assert.equal(health.length, 0, "a TTL check starts critical");
    await consul.agent.check.pass("service:npm-web-1");
    health = (await consul.health.service({ service: "npm-web", passing: true } as never)) as unknown[];
    assert.equal(health.length, 1);

    // A blocking watch sees a second instance arrive.
    const watch = consul.watch({ method: consul.health.service, options: { service: "npm-web", wait: "30s" } as never });
    try {
      const seen = new Promise<number>((resolve, reject) => {
        watch.on("change", (data: unknown[]) => {
          if (data.length === 2) resolve(data.length);
        });
        watch.on("error", reject);
      });
      await new Promise<void>((resolve) => watch.once("change", () => resolve()));
      await consul.agent.service.register({ name: "npm-web", id: "npm-web-2", port: 7002 } as never);
      assert.equal(await seen, 2);
    } finally {
      watch.end();
    }
    await consul.agent.service.deregister("npm-web-1");
    await consul.agent.service.deregister("npm-web-2");
    assert.deepEqual((await consul.catalog.service.nodes("npm-web")) as unknown[], []);
  });

  it("HashiCorp's Go client (github.com/hashicorp/consul/api) registers, reads with blocking queries and deregisters", async (t) => {
    const bin = await buildGoProgram(t, "consul-go");
    if (!bin) return;
    const { stdout, stderr } = await promisify(execFile)(bin, [], {
      env: { ...process.env, CONSUL_HTTP_ADDR: new URL(registry.url).host },
      timeout: 120_000,
    }).catch((err: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`consul-go failed: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}\n--- registry ---\n${registry.output()}`);
    });
    assert.equal(stdout.trim(), "OK", stderr);
  });
});
