import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { RuntimeStatus, TsdbService, configForDisplay } from "../engine/index.js";
import { Labels } from "../model/index.js";
import { ManualClock, silentLogger } from "../runtime/index.js";
import { goTime, registerStatusApi } from "./status-api.js";

const NOW = 1_700_000_000_123;

interface Server {
  app: FastifyInstance;
  tsdb: TsdbService;
  runtime: RuntimeStatus;
  clock: ManualClock;
}

async function server(t: TestContext, config = ""): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-status-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const clock = new ManualClock(NOW);
  const tsdb = new TsdbService({ dir, logger: silentLogger(), clock, metrics: new Registry() });
  await tsdb.start(new AbortController().signal);
  t.after(() => tsdb.stop());
  const runtime = new RuntimeStatus(clock, "15d");
  const app = Fastify();
  registerStatusApi(app, {
    buildInfo: { version: "0.1.0", revision: "abc", branch: "main", buildUser: "", buildDate: "", goVersion: "v20.0.0" },
    runtimeInfo: () => runtime.info(),
    flags: { "web.enable-admin-api": "false", config: "prometheus.yml", "data-dir": "./data" },
    config: () => configForDisplay(config),
    tsdb,
  });
  t.after(() => app.close());
  return { app, tsdb, runtime, clock };
}

async function data(app: FastifyInstance, path: string): Promise<unknown> {
  const r = await app.inject({ method: "GET", url: path });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.headers["content-type"], "application/json");
  const body = JSON.parse(r.body) as { status: string; data: unknown };
  assert.equal(body.status, "success");
  return body.data;
}

describe("status API", () => {
  it("answers buildinfo in Prometheus's shape", async (t) => {
    const { app } = await server(t);
    const r = await app.inject({ method: "GET", url: "/api/v1/status/buildinfo" });
    assert.equal(r.body, '{"status":"success","data":{"version":"0.1.0","revision":"abc","branch":"main","buildUser":"","buildDate":"","goVersion":"v20.0.0"}}');
  });

  it("answers runtimeinfo with Prometheus 3's fields and Go's time format", async (t) => {
    const { app, runtime, clock } = await server(t);
    const before = (await data(app, "/api/v1/status/runtimeinfo")) as Record<string, unknown>;
    assert.deepEqual(Object.keys(before), [
      "startTime", "CWD", "hostname", "serverTime", "reloadConfigSuccess", "lastConfigTime", "corruptionCount",
      "goroutineCount", "GOMAXPROCS", "GOMEMLIMIT", "GOGC", "GODEBUG", "storageRetention",
    ]);
    assert.equal(before["startTime"], "2023-11-14T22:13:20.123Z");
    assert.equal(before["reloadConfigSuccess"], false);
    assert.equal(before["lastConfigTime"], "1970-01-01T00:00:00Z");
    assert.equal(before["hostname"], hostname());
    assert.equal(before["CWD"], process.cwd());
    assert.equal(before["storageRetention"], "15d");
    clock.advance(2_500);
    await runtime.track(async () => undefined);
    const after = (await data(app, "/api/v1/status/runtimeinfo")) as Record<string, unknown>;
    assert.equal(after["reloadConfigSuccess"], true);
    assert.equal(after["lastConfigTime"], "2023-11-14T22:13:22Z");
    assert.equal(after["serverTime"], "2023-11-14T22:13:22.623Z");
    await assert.rejects(runtime.track(() => Promise.reject(new Error("bad config"))));
    assert.equal(((await data(app, "/api/v1/status/runtimeinfo")) as Record<string, unknown>)["reloadConfigSuccess"], false);
    const raw = (await app.inject({ method: "GET", url: "/api/v1/status/runtimeinfo" })).body;
    assert.match(raw, /"GOMEMLIMIT":9223372036854775807,/);
  });

  it("formats times as Go's RFC 3339 with trimmed fractions", () => {
    assert.equal(goTime(0), "1970-01-01T00:00:00Z");
    assert.equal(goTime(1500), "1970-01-01T00:00:01.5Z");
    assert.equal(goTime(1120), "1970-01-01T00:00:01.12Z");
    assert.equal(goTime(1001), "1970-01-01T00:00:01.001Z");
  });

  it("answers flags as a map in name order", async (t) => {
    const { app } = await server(t);
    const r = await app.inject({ method: "GET", url: "/api/v1/status/flags" });
    assert.equal(r.body, '{"status":"success","data":{"config":"prometheus.yml","data-dir":"./data","web.enable-admin-api":"false"}}');
  });

  it("answers the configuration as YAML with secrets hidden", async (t) => {
    const yaml = [
      "global:",
      "  scrape_interval: 15s # often",
      "scrape_configs:",
      "  - job_name: a",
      "    basic_auth: {username: u, password: 'hunter 2'}",
      "    relabel_configs: [{source_labels: [a], target_label: b}]",
      "    tls_config:",
      "      key: inline-key",
      "      cert_file: c.pem",
      "    authorization:",
      "      credentials: tok",
      "    consul_sd_configs:",
      "      - server: localhost:8500",
      "        token: t0k",
      "",
    ].join("\n");
    const { app } = await server(t, yaml);
    const got = (await data(app, "/api/v1/status/config")) as { yaml: string };
    assert.equal(
      got.yaml,
      [
        "global:",
        "  scrape_interval: 15s # often",
        "scrape_configs:",
        "  - job_name: a",
        "    basic_auth: {username: u, password: <secret>}",
        "    relabel_configs: [{source_labels: [a], target_label: b}]",
        "    tls_config:",
        "      key: <secret>",
        "      cert_file: c.pem",
        "    authorization:",
        "      credentials: <secret>",
        "    consul_sd_configs:",
        "      - server: localhost:8500",
        "        token: <secret>",
        "",
      ].join("\n"),
    );
  });

  it("answers tsdb with head stats and cardinality as Prometheus computes them", async (t) => {
    const { app, tsdb } = await server(t);
    const empty = (await app.inject({ method: "GET", url: "/api/v1/status/tsdb" })).body;
    assert.equal(
      empty,
      '{"status":"success","data":{"headStats":{"numSeries":0,"numLabelPairs":0,"chunkCount":0,"minTime":9223372036854775807,"maxTime":-9223372036854775808},' +
        '"seriesCountByMetricName":[],"labelValueCountByLabelName":[],"memoryInBytesByLabelName":[],"seriesCountByLabelValuePair":[]}}',
    );
    const a = tsdb.appender();
    const series = [
      { __name__: "up", job: "api", instance: "a" },
      { __name__: "up", job: "api", instance: "b" },
      { __name__: "up", job: "db", instance: "c" },
      { __name__: "http_requests_total", job: "api", instance: "a" },
    ];
    for (const s of series) a.append(0, Labels.fromRecord(s), NOW - 60_000, 1);
    for (const s of series) a.append(0, Labels.fromRecord(s), NOW, 1);
    await a.commit();
    const got = await data(app, "/api/v1/status/tsdb?limit=2");
    assert.deepEqual(got, {
      headStats: { numSeries: 4, numLabelPairs: 7, chunkCount: 4, minTime: NOW - 60_000, maxTime: NOW },
      seriesCountByMetricName: [{ name: "up", value: 3 }, { name: "http_requests_total", value: 1 }],
      labelValueCountByLabelName: [{ name: "instance", value: 3 }, { name: "__name__", value: 2 }],
      memoryInBytesByLabelName: [{ name: "__name__", value: 21 }, { name: "job", value: 5 }],
      seriesCountByLabelValuePair: [{ name: "__name__=up", value: 3 }, { name: "job=api", value: 3 }],
    });
    const all = (await data(app, "/api/v1/status/tsdb")) as { seriesCountByLabelValuePair: unknown[] };
    assert.equal(all.seriesCountByLabelValuePair.length, 7);
  });

  it("refuses a tsdb limit that is not a positive number", async (t) => {
    const { app } = await server(t);
    for (const limit of ["0", "-1", "x"]) {
      const r = await app.inject({ method: "GET", url: `/api/v1/status/tsdb?limit=${limit}` });
      assert.equal(r.statusCode, 400);
      assert.equal(r.body, '{"status":"error","errorType":"bad_data","error":"limit must be a positive number"}');
    }
  });

  it("answers walreplay with the segments replayed at start", async (t) => {
    const { app } = await server(t);
    assert.deepEqual(await data(app, "/api/v1/status/walreplay"), { min: 0, max: 0, current: 0 });
  });
});
