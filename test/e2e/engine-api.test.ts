// The engine's HTTP API v1 next to a real Prometheus 2.42 scraping the same exporter with the same
// prometheus.yml: answers that do not depend on when a scrape happened must be identical byte for
// byte; the others must have the same shape (keys, nesting and JSON types).
//
// Known, deliberate differences from 2.42 (Meridian follows Prometheus 3): 3 prefixes range-query
// parse errors with `invalid parameter "query"`, lowercases "invalid time value", adds fields to
// runtimeinfo and the escaping to federation's Content-Type. Those requests are left out.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pollUntil, requirePeer, runWithPeerLog, startPrometheus, withPeer } from "../peers/index.js";
import { exposition, startExporter } from "./loopback-exporters.js";
import { startMeridian } from "./meridian-process.js";

const METRICS = [
  "# HELP demo_requests_total Requests served.",
  "# TYPE demo_requests_total counter",
  'demo_requests_total{code="200"} 5',
  'demo_requests_total{code="500"} 1',
  "# HELP demo_temperature_celsius Temperature.",
  "# TYPE demo_temperature_celsius gauge",
  "demo_temperature_celsius 21.5",
  "",
].join("\n");

interface Answer {
  readonly status: number;
  readonly body: string;
}

async function call(base: string, path: string, params: [string, string][] = []): Promise<Answer> {
  const qs = new URLSearchParams(params).toString();
  const r = await fetch(`${base}${path}${qs ? `?${qs}` : ""}`);
  return { status: r.status, body: await r.text() };
}

/** The shape of a JSON value: object keys (sorted) with their shapes, an array's first element's shape, scalar types. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? [] : [shape(v[0])];
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  }
  return v === null ? "null" : typeof v;
}

describe("engine HTTP API against a real Prometheus", () => {
  it("answers as Prometheus 2.42 does (query results need the PromQL engine)", async (t) => {
    if (!requirePeer(t, "prometheus", "prometheus")) return;
    const exporter = await startExporter(exposition(METRICS));
    t.after(() => exporter.close());
    const config = [
      "global:",
      "  scrape_interval: 1s",
      "  external_labels: {region: eu}",
      "scrape_configs:",
      "  - job_name: demo",
      "    static_configs:",
      `      - targets: ["${exporter.address}"]`,
      "",
    ].join("\n");
    const prometheus = withPeer(t, await startPrometheus({ config }));
    const dir = await mkdtemp(join(tmpdir(), "meridian-engine-api-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "prometheus.yml"), config);
    const meridian = await startMeridian(["engine", "--config", join(dir, "prometheus.yml"), "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data")]);
    t.after(() => meridian.kill());

    await runWithPeerLog(prometheus, async () => {
      // Both have scraped twice, so a rate has two samples on either side.
      for (const base of [prometheus.url, meridian.url]) {
        await pollUntil(
          async () => {
            const r = await call(base, "/api/v1/series", [["match[]", "demo_temperature_celsius"], ["start", String(Date.now() / 1000 - 600)]]);
            return r.status === 200 && (JSON.parse(r.body) as { data: unknown[] }).data.length === 1 ? true : undefined;
          },
          { timeoutMs: 20_000, what: `${base} to scrape the exporter` },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const now = String(Math.floor(Date.now() / 1000));
      const hourAgo = String(Math.floor(Date.now() / 1000) - 3600);

      // Answers that do not depend on scrape timing: identical.
      const identical: [string, [string, string][]][] = [
        ["/api/v1/query", [["query", "1e-7"], ["time", "1.5"]]],
        ["/api/v1/query", [["query", '"abc"'], ["time", "-1.5"]]],
        ["/api/v1/query", [["query", 'vector(1e-7) or label_replace(vector(-1/0), "a", "b", "", "")'], ["time", "1.05"]]],
        ["/api/v1/query", [["query", "vector(0/0)"], ["time", "100"]]],
        ["/api/v1/query_range", [["query", "vector(123456789012345678)"], ["start", "1.5"], ["end", "3"], ["step", "0.5"]]],
        ["/api/v1/query", [["query", "count by (code) (demo_requests_total)"], ["time", now]]],
        ["/api/v1/query", [["query", "up{"]]],
        ["/api/v1/query_range", [["query", "up"]]],
        ["/api/v1/query_range", [["query", "up"], ["start", "10"], ["end", "5"], ["step", "1"]]],
        ["/api/v1/query_range", [["query", "up"], ["start", "1"], ["end", "5"]]],
        ["/api/v1/query_range", [["query", "up"], ["start", "1"], ["end", "5"], ["step", "0"]]],
        ["/api/v1/query_range", [["query", "up"], ["start", "1"], ["end", "50000"], ["step", "1"]]],
        ["/api/v1/query", [["query", "up"], ["timeout", "x"]]],
        ["/api/v1/query_exemplars", [["query", "demo_temperature_celsius"]]],
        ["/api/v1/query_exemplars", [["query", "up"], ["start", "10"], ["end", "5"]]],
        ["/api/v1/query_exemplars", [["query", "up{"]]],
        ["/api/v1/metadata", [["metric", "demo_requests_total"]]],
        ["/api/v1/metadata", [["metric", "up"]]],
        ["/api/v1/metadata", [["limit", "x"]]],
        ["/api/v1/rules", []],
        ["/api/v1/rules", [["type", "x"]]],
        ["/api/v1/alerts", []],
        ["/api/v1/label/code/values", [["match[]", "demo_requests_total"]]],
        ["/api/v1/series", [["match[]", "demo_temperature_celsius"], ["start", hourAgo]]],
      ];
      for (const [path, params] of identical) {
        const [want, got] = await Promise.all([call(prometheus.url, path, params), call(meridian.url, path, params)]);
        assert.deepEqual(got, want, `${path}?${new URLSearchParams(params).toString()}`);
      }

      // Answers that depend on timing or on the program: the same shape.
      const sameShape: [string, [string, string][]][] = [
        ["/api/v1/query", [["query", "demo_temperature_celsius"]]],
        ["/api/v1/query", [["query", "rate(demo_requests_total[5s])"], ["stats", "1"]]],
        ["/api/v1/query_range", [["query", "demo_temperature_celsius"], ["start", String(Number(now) - 2)], ["end", now], ["step", "1"]]],
        ["/api/v1/labels", [["start", hourAgo], ["end", now]]],
        ["/api/v1/label/__name__/values", [["start", hourAgo], ["end", now]]],
        ["/api/v1/metadata", []],
        ["/api/v1/status/buildinfo", []],
        ["/api/v1/status/config", []],
        ["/api/v1/status/tsdb", []],
        ["/api/v1/status/walreplay", []],
      ];
      for (const [path, params] of sameShape) {
        const [want, got] = await Promise.all([call(prometheus.url, path, params), call(meridian.url, path, params)]);
        const where = `${path}?${new URLSearchParams(params).toString()}`;
        assert.equal(got.status, want.status, where);
        assert.deepEqual(shape(JSON.parse(got.body)), shape(JSON.parse(want.body)), where);
      }

      // runtimeinfo: Prometheus 3 has more fields than 2.42; every 2.42 field is there with its type.
      const [promInfo, ourInfo] = await Promise.all([call(prometheus.url, "/api/v1/status/runtimeinfo"), call(meridian.url, "/api/v1/status/runtimeinfo")]);
      const want = shape(JSON.parse(promInfo.body)) as { data: Record<string, unknown> };
      const got = shape(JSON.parse(ourInfo.body)) as { data: Record<string, unknown> };
      for (const [k, v] of Object.entries(want.data)) assert.deepEqual(got.data[k], v, `runtimeinfo ${k}`);

      // Federation: the same lines once sample timestamps are set aside.
      const federated = async (base: string) => {
        const r = await call(base, "/federate", [["match[]", '{job="demo"}']]);
        assert.equal(r.status, 200);
        return r.body.replace(/ \d+\n/g, "\n").split("\n").filter((l) => !/^(scrape_|# TYPE scrape_)/.test(l));
      };
      assert.deepEqual(await federated(meridian.url), await federated(prometheus.url));
    });
  });
});
