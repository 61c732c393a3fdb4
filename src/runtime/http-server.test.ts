import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpServer } from "./http-server.js";
import { silentLogger } from "./logger.js";
import { createMetricsRegistry } from "./metrics.js";

const build = { version: "9.9.9", revision: "abc", branch: "main", nodeVersion: process.version };

async function withServer(
  opts: { ready?: () => boolean; reload?: () => Promise<unknown> },
  fn: (url: string) => Promise<void>,
): Promise<void> {
  const server = new HttpServer({
    listen: "127.0.0.1:0",
    logger: silentLogger(),
    registry: createMetricsRegistry(build),
    ready: opts.ready ?? (() => true),
    reload: opts.reload ?? (async () => undefined),
    routes: [(app) => void app.get("/extra", async () => ({ ok: true }))],
  });
  await server.start();
  try {
    await fn(server.url);
  } finally {
    await server.stop();
  }
}

describe("HttpServer", () => {
  it("answers health and readiness as Prometheus does", async () => {
    let ready = false;
    await withServer({ ready: () => ready }, async (url) => {
      const healthy = await fetch(`${url}/-/healthy`);
      assert.equal(healthy.status, 200);
      assert.equal(await healthy.text(), "Meridian is Healthy.\n");
      assert.equal((await fetch(`${url}/-/ready`)).status, 503);
      ready = true;
      const r = await fetch(`${url}/-/ready`);
      assert.equal(r.status, 200);
      assert.equal(await r.text(), "Meridian is Ready.\n");
    });
  });

  it("serves process metrics and meridian_build_info in text format", async () => {
    await withServer({}, async (url) => {
      await fetch(`${url}/-/healthy`);
      const r = await fetch(`${url}/metrics`);
      assert.equal(r.status, 200);
      assert.match(r.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
      const body = await r.text();
      assert.match(body, /^meridian_build_info\{version="9\.9\.9",revision="abc",branch="main",nodeversion="v[\d.]+"\} 1$/m);
      assert.match(body, /^process_cpu_seconds_total \d/m);
      assert.match(body, /^process_resident_memory_bytes \d/m);
      assert.match(body, /^meridian_http_requests_total\{handler="\/-\/healthy",code="200"\} 1$/m);
    });
  });

  it("reloads on POST and PUT /-/reload, and reports a rejected configuration with 500", async () => {
    let calls = 0;
    let fail = false;
    const reload = async () => {
      calls++;
      if (fail) throw new Error("bad.yml:3: field x not found");
    };
    await withServer({ reload }, async (url) => {
      assert.equal((await fetch(`${url}/-/reload`, { method: "POST" })).status, 200);
      assert.equal((await fetch(`${url}/-/reload`, { method: "PUT" })).status, 200);
      assert.equal((await fetch(`${url}/-/reload`)).status, 404);
      fail = true;
      const r = await fetch(`${url}/-/reload`, { method: "POST" });
      assert.equal(r.status, 500);
      assert.equal(await r.text(), "failed to reload config: bad.yml:3: field x not found\n");
      assert.equal(calls, 3);
    });
  });

  it("serves routes registered by roles", async () => {
    await withServer({}, async (url) => {
      assert.deepEqual(await (await fetch(`${url}/extra`)).json(), { ok: true });
    });
  });

  it("stops promptly with an idle keep-alive connection open", async () => {
    const server = new HttpServer({
      listen: "127.0.0.1:0",
      logger: silentLogger(),
      registry: createMetricsRegistry(build),
      ready: () => true,
      reload: async () => undefined,
    });
    await server.start();
    const r = await fetch(`${server.url}/-/healthy`, { headers: { connection: "keep-alive" } });
    await r.text();
    await server.stop();
    assert.equal(server.ready(), false);
    await assert.rejects(fetch(`${server.url.replace(/:\d+$/, "")}:${new URL(server.url).port}/-/healthy`));
  });
});
