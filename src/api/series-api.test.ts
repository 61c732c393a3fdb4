import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { Labels } from "../model/index.js";
import { MemoryStorage } from "../storage/index.js";
import { registerSeriesApi } from "./series-api.js";

const SERIES: Record<string, string>[] = [
  { __name__: "up", job: "api", instance: "a:1" },
  { __name__: "up", job: "api", instance: "b:1" },
  { __name__: "up", job: "db", instance: "c:1" },
  { __name__: "http_requests_total", job: "api", code: "200" },
  { __name__: "my.metric", "a.b": "c" },
  { __name__: "late", job: "late" },
];

describe("series API", () => {
  let app: FastifyInstance;
  let base: string;
  before(async () => {
    const db = new MemoryStorage();
    const appender = db.appender();
    for (const s of SERIES) {
      const t = s.job === "late" ? 5_000_000 : 1_000_000;
      appender.append(0, Labels.fromRecord(s), t, 1);
    }
    await appender.commit();
    app = Fastify();
    await registerSeriesApi(app, { queryable: db });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  });
  after(async () => {
    await app.close();
  });

  const get = async (path: string, init?: RequestInit) => {
    const r = await fetch(base + path, init);
    return { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
  };
  const q = (params: [string, string][]) => new URLSearchParams(params).toString();

  const ok: [string, string, unknown][] = [
    ["series by name", `/api/v1/series?${q([["match[]", "up"]])}`, [
      { __name__: "up", instance: "a:1", job: "api" },
      { __name__: "up", instance: "b:1", job: "api" },
      { __name__: "up", instance: "c:1", job: "db" },
    ]],
    ["series union of two selectors", `/api/v1/series?${q([["match[]", '{job="db"}'], ["match[]", 'up{instance=~"[ab].*"}'], ["match[]", "up{job='db'}"]])}`, [
      { __name__: "up", instance: "a:1", job: "api" },
      { __name__: "up", instance: "b:1", job: "api" },
      { __name__: "up", instance: "c:1", job: "db" },
    ]],
    ["series with a quoted UTF-8 name", `/api/v1/series?${q([["match[]", '{"my.metric"}']])}`, [{ __name__: "my.metric", "a.b": "c" }]],
    ["series in a time range (unix seconds)", `/api/v1/series?${q([["match[]", '{job=~".+"}'], ["start", "4999.999"], ["end", "5000"]])}`, [{ __name__: "late", job: "late" }]],
    ["series in a time range (RFC 3339)", `/api/v1/series?${q([["match[]", "late"], ["end", "1970-01-01T00:16:40Z"]])}`, []],
    ["series with end before start", `/api/v1/series?${q([["match[]", "up"], ["start", "10"], ["end", "5"]])}`, []],
    ["labels", "/api/v1/labels", ["__name__", "a.b", "code", "instance", "job"]],
    ["labels with matchers", `/api/v1/labels?${q([["match[]", "http_requests_total"], ["match[]", "late"]])}`, ["__name__", "code", "job"]],
    ["labels in a range", `/api/v1/labels?${q([["start", "4000"]])}`, ["__name__", "job"]],
    ["label values", "/api/v1/label/job/values", ["api", "db", "late"]],
    ["label values with a matcher", `/api/v1/label/instance/values?${q([["match[]", '{job="api"}']])}`, ["a:1", "b:1"]],
    ["label values of a missing label", "/api/v1/label/nope/values", []],
    ["label values of an escaped UTF-8 name", "/api/v1/label/U__a_2e_b/values", ["c"]],
    ["metric names", "/api/v1/label/__name__/values", ["http_requests_total", "late", "my.metric", "up"]],
  ];
  for (const [title, path, data] of ok) {
    it(title, async () => {
      const r = await get(path);
      assert.equal(r.status, 200, r.body);
      assert.equal(r.type, "application/json");
      assert.deepEqual(JSON.parse(r.body), { status: "success", data });
    });
  }

  it("answers POST with a urlencoded body, merged with the query string", async () => {
    const r = await get(`/api/v1/series?${q([["match[]", "late"]])}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: q([["match[]", '{job="db"}']]),
    });
    assert.equal(r.body, '{"status":"success","data":[{"__name__":"late","job":"late"},{"__name__":"up","instance":"c:1","job":"db"}]}');
    const labels = await get("/api/v1/labels", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "match[]=late" });
    assert.deepEqual(JSON.parse(labels.body).data, ["__name__", "job"]);
  });

  it("truncates to limit with Prometheus's warning", async () => {
    const series = await get(`/api/v1/series?${q([["match[]", "up"], ["limit", "2"]])}`);
    assert.equal(series.body, '{"status":"success","data":[{"__name__":"up","instance":"a:1","job":"api"},{"__name__":"up","instance":"b:1","job":"api"}],"warnings":["results truncated due to limit"]}');
    const exact = await get(`/api/v1/series?${q([["match[]", "up"], ["limit", "3"]])}`);
    assert.equal(JSON.parse(exact.body).warnings, undefined);
    const values = await get(`/api/v1/label/job/values?limit=1`);
    assert.deepEqual(JSON.parse(values.body), { status: "success", data: ["api"], warnings: ["results truncated due to limit"] });
    const names = await get(`/api/v1/labels?limit=0`);
    assert.equal(JSON.parse(names.body).data.length, 5);
  });

  // Messages as a real Prometheus 3 words them (2.x capitalised "Invalid time value").
  const errors: [string, string][] = [
    ["/api/v1/series", "no match[] parameter provided"],
    [`/api/v1/series?${q([["match[]", "up"], ["start", "x"]])}`, `invalid parameter "start": invalid time value for 'start': cannot parse "x" to a valid timestamp`],
    [`/api/v1/series?${q([["match[]", "up"], ["end", "2024-13-01T00:00:00Z"]])}`, `invalid parameter "end": invalid time value for 'end': cannot parse "2024-13-01T00:00:00Z" to a valid timestamp`],
    [`/api/v1/series?${q([["match[]", "up"], ["limit", "x"]])}`, `invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax`],
    [`/api/v1/series?${q([["match[]", "up"], ["limit", "-1"]])}`, `invalid parameter "limit": limit must be non-negative`],
    [`/api/v1/series?${q([["match[]", "up{"]])}`, `invalid parameter "match[]": 1:4: parse error: unexpected end of input inside braces`],
    [`/api/v1/series?${q([["match[]", "rate(up[5m])"]])}`, `invalid parameter "match[]": 1:5: parse error: unexpected "("`],
    [`/api/v1/series?${q([["match[]", '{job=~".*"}']])}`, `invalid parameter "match[]": match[] must contain at least one non-empty matcher`],
    [`/api/v1/series?${q([["match[]", "up"], ["match[]", '{job=""}']])}`, `invalid parameter "match[]": match[] must contain at least one non-empty matcher`],
    [`/api/v1/series?${q([["match[]", "{}"]])}`, `invalid parameter "match[]": match[] must contain at least one non-empty matcher`],
    [`/api/v1/labels?${q([["match[]", "up{"]])}`, "1:4: parse error: unexpected end of input inside braces"],
    [`/api/v1/labels?${q([["start", "abc"]])}`, `invalid parameter "start": invalid time value for 'start': cannot parse "abc" to a valid timestamp`],
    [`/api/v1/label/job/values?${q([["match[]", '{x=""}']])}`, "match[] must contain at least one non-empty matcher"],
    [`/api/v1/label/__name__/values?${q([["start", "abc"]])}`, `invalid parameter "start": invalid time value for 'start': cannot parse "abc" to a valid timestamp`],
    [`/api/v1/label/__name__/values?${q([["limit", "1e3"]])}`, `invalid parameter "limit": strconv.Atoi: parsing "1e3": invalid syntax`],
  ];
  for (const [path, message] of errors) {
    it(`answers 400 bad_data: ${message}`, async () => {
      const r = await get(path);
      assert.equal(r.status, 400);
      assert.equal(r.type, "application/json");
      assert.deepEqual(JSON.parse(r.body), { status: "error", errorType: "bad_data", error: message });
    });
  }

  it("answers 503 unavailable once the storage is closed", async () => {
    const db = new MemoryStorage();
    const other = Fastify();
    await registerSeriesApi(other, { queryable: db });
    await db.close();
    const r = await other.inject({ url: "/api/v1/labels" });
    assert.equal(r.statusCode, 503);
    assert.deepEqual(r.json(), { status: "error", errorType: "unavailable", error: "storage is closed" });
    await other.close();
  });
});
