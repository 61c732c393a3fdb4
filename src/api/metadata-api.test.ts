import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import type { MetricType } from "../exposition/index.js";
import { Labels } from "../model/index.js";
import { registerMetadataApi } from "./metadata-api.js";
import type { TargetRetriever, TargetView } from "./targets.js";

type Meta = { type: MetricType; help: string; unit: string };

/** Targets held in memory, each with the metadata its scrapes would have cached. */
function targets(pools: Record<string, Record<string, Meta>[]>): TargetRetriever {
  const view = (pool: string, i: number, metadata: Record<string, Meta>): TargetView => {
    const labels = Labels.fromRecord({ job: pool, instance: `h${i}:9100` });
    return {
      labels,
      discoveredLabels: labels,
      scrapePool: pool,
      intervalMs: 15_000,
      timeoutMs: 10_000,
      health: "up",
      lastError: "",
      lastScrapeMs: 0,
      lastScrapeDurationMs: 0,
      metadata: new Map(Object.entries(metadata)),
      publicLabels: () => labels,
      url: () => new URL(`http://h${i}:9100/metrics`),
    };
  };
  return {
    activeTargets: () => new Map(Object.entries(pools).map(([pool, list]) => [pool, list.map((m, i) => view(pool, i, m))])),
    droppedTargets: () => new Map(),
  };
}

const UP: Meta = { type: "gauge", help: "Up.", unit: "" };
const REQ: Meta = { type: "counter", help: "Requests.", unit: "" };
const REQ_OLD: Meta = { type: "counter", help: "Requests (old help).", unit: "" };
const RAW: Meta = { type: "untyped", help: "", unit: "" };
const DUR: Meta = { type: "histogram", help: "Latency.", unit: "seconds" };

async function server(t: TestContext): Promise<FastifyInstance> {
  const app = Fastify();
  registerMetadataApi(app, {
    targets: targets({
      node: [{ node_up: UP, http_requests: REQ }, { node_up: UP, http_requests: REQ_OLD, raw: RAW }],
      app: [{ http_requests: REQ, http_duration_seconds: DUR }],
    }),
  });
  t.after(() => app.close());
  return app;
}

describe("metadata API", () => {
  const ok: [string, unknown][] = [
    ["", {
      http_duration_seconds: [{ type: "histogram", help: "Latency.", unit: "seconds" }],
      http_requests: [{ type: "counter", help: "Requests.", unit: "" }, { type: "counter", help: "Requests (old help).", unit: "" }],
      node_up: [{ type: "gauge", help: "Up.", unit: "" }],
      raw: [{ type: "unknown", help: "", unit: "" }],
    }],
    ["limit=2", {
      http_duration_seconds: [{ type: "histogram", help: "Latency.", unit: "seconds" }],
      http_requests: [{ type: "counter", help: "Requests.", unit: "" }, { type: "counter", help: "Requests (old help).", unit: "" }],
    }],
    ["limit=0", {}],
    ["limit=-1&limit_per_metric=1", {
      http_duration_seconds: [{ type: "histogram", help: "Latency.", unit: "seconds" }],
      http_requests: [{ type: "counter", help: "Requests.", unit: "" }],
      node_up: [{ type: "gauge", help: "Up.", unit: "" }],
      raw: [{ type: "unknown", help: "", unit: "" }],
    }],
    ["metric=node_up", { node_up: [{ type: "gauge", help: "Up.", unit: "" }] }],
    ["metric=up", {}],
  ];
  for (const [query, data] of ok) {
    it(`answers ${query || "all metadata"}`, async (t) => {
      const r = await (await server(t)).inject({ method: "GET", url: `/api/v1/metadata?${query}` });
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(r.body), { status: "success", data });
      // Families come in name order, as Go writes a map.
      assert.deepEqual(Object.keys(JSON.parse(r.body).data), Object.keys(data as object));
    });
  }

  const bad: [string, string][] = [
    ["limit=x", "limit must be a number"],
    ["limit=1.5", "limit must be a number"],
    ["limit_per_metric=x", "limit_per_metric must be a number"],
  ];
  for (const [query, error] of bad) {
    it(`refuses ${query}`, async (t) => {
      const r = await (await server(t)).inject({ method: "GET", url: `/api/v1/metadata?${query}` });
      assert.equal(r.statusCode, 400);
      assert.equal(r.body, JSON.stringify({ status: "error", errorType: "bad_data", error }));
    });
  }
});
