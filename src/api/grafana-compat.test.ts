import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { Engine, engineRoutes } from "../engine/index.js";
import { Labels } from "../model/index.js";
import { PromQLEngine } from "../promql/index.js";
import { ManualClock, silentLogger } from "../runtime/index.js";
import { MemoryStorage } from "../storage/index.js";

// 2023-11-14T22:13:20Z; data every 15 s over the hour before.
const NOW = 1_700_000_000_000;
const START = (NOW - 3_600_000) / 1000;
const END = NOW / 1000;

// The requests Grafana's Prometheus data source sends (its backend posts queries as forms with
// start/end/step in float seconds; the editor and metric browser GET the metadata endpoints), and
// the answers a Prometheus gives them.
describe("Grafana compatibility", () => {
  let app: FastifyInstance;
  before(async () => {
    const clock = new ManualClock(NOW);
    const db = new MemoryStorage();
    const a = db.appender();
    for (let t = NOW - 3_600_000; t <= NOW; t += 15_000) {
      a.append(0, Labels.fromRecord({ __name__: "up", job: "api", instance: "a:1" }), t, 1);
      a.append(0, Labels.fromRecord({ __name__: "up", job: "db", instance: "b:1" }), t, 0);
    }
    await a.commit();
    const engine = new Engine({ appendable: db, logger: silentLogger(), clock, metrics: new Registry(), userAgent: "test" });
    app = Fastify();
    await app.register(
      engineRoutes(engine, db, {
        clock,
        promql: new PromQLEngine(),
        status: {
          buildInfo: { version: "0.1.0", revision: "r", branch: "main", buildUser: "", buildDate: "", goVersion: "v20.0.0" },
          runtimeInfo: () => {
            throw new Error("unused");
          },
          flags: {},
          config: () => "",
          tsdb: { headStats: () => undefined, forEachHeadSeries: async () => undefined, walReplayStatus: () => ({ min: 0, max: 0, current: 0 }) },
        },
      }),
    );
  });

  const form = (params: Record<string, string>) => ({
    method: "POST" as const,
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json, text/plain, */*" },
    payload: new URLSearchParams(params).toString(),
  });
  const get = (path: string, params: [string, string][] = []) => ({
    method: "GET" as const,
    url: params.length === 0 ? path : `${path}?${new URLSearchParams(params).toString()}`,
  });
  const range = [["start", String(START)], ["end", String(END)]] as [string, string][];

  const metadataRequests: [string, ReturnType<typeof get>, unknown][] = [
    ["buildinfo", get("/api/v1/status/buildinfo"), { version: "0.1.0", revision: "r", branch: "main", buildUser: "", buildDate: "", goVersion: "v20.0.0" }],
    ["label names", get("/api/v1/labels", range), ["__name__", "instance", "job"]],
    ["metric names", get("/api/v1/label/__name__/values", range), ["up"]],
    ["label values for a selector", get("/api/v1/label/instance/values", [["match[]", 'up{job="api"}'], ...range]), ["a:1"]],
    ["series", get("/api/v1/series", [["match[]", "up"], ...range]), [{ __name__: "up", instance: "a:1", job: "api" }, { __name__: "up", instance: "b:1", job: "db" }]],
    ["metadata", get("/api/v1/metadata"), {}],
    ["metadata of one metric", get("/api/v1/metadata", [["metric", "up"]]), {}],
    ["exemplars", get("/api/v1/query_exemplars", [["query", "up"], ...range]), []],
    ["rules", get("/api/v1/rules"), { groups: [] }],
  ];
  for (const [title, request, data] of metadataRequests) {
    it(`answers ${title}`, async () => {
      const r = await app.inject(request);
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.headers["content-type"], "application/json");
      assert.deepEqual(JSON.parse(r.body), { status: "success", data });
    });
  }

  describe("query endpoints (need the PromQL engine)", () => {
    it("answers a range query posted as a form", async () => {
      const r = await app.inject({ url: "/api/v1/query_range", ...form({ query: 'up{job="api"}', start: String(END - 60), end: String(END), step: "30" }) });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(
        r.body,
        `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"a:1","job":"api"},"values":[[${END - 60},"1"],[${END - 30},"1"],[${END},"1"]]}]}}`,
      );
    });

    it("answers an instant query posted as a form", async () => {
      const r = await app.inject({ url: "/api/v1/query", ...form({ query: "sum by (job) (up)", time: String(END) }) });
      assert.equal(
        r.body,
        `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"api"},"value":[${END},"1"]},{"metric":{"job":"db"},"value":[${END},"0"]}]}}`,
      );
    });

    it("answers a range query with a fractional step and millisecond times", async () => {
      const r = await app.inject({ url: "/api/v1/query_range", ...form({ query: "scalar(up{job=\"api\"})", start: String(END - 1.5), end: String(END), step: "0.75" }) });
      const body = JSON.parse(r.body) as { data: { result: { values: [number, string][] }[] } };
      assert.deepEqual(body.data.result[0]?.values, [[END - 1.5, "1"], [END - 0.75, "1"], [END, "1"]]);
    });
  });
});
