import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { Labels } from "../model/index.js";
import {
  PromQLEngine,
  PromQLEvalError,
  PromQLParseError,
  QueryCanceledError,
  QueryTimeoutError,
  TooManySamplesError,
  type QueryOptions,
  type QueryResult,
  type QueryValue,
} from "../promql/index.js";
import { ManualClock } from "../runtime/index.js";
import { MemoryStorage, type Queryable } from "../storage/index.js";
import { registerQueryApi, type QueryEngine } from "./query-api.js";

const NOW = 1_700_000_000_000;
const STATS = {
  timings: { evalTotalTime: 0.5, resultSortTime: 0, queryPreparationTime: 0.25, innerEvalTime: 0.125, execQueueTime: 0, execTotalTime: 1 },
  samples: { totalQueryableSamples: 7, peakSamples: 3 },
};

interface Call {
  readonly kind: "instant" | "range";
  readonly query: string;
  readonly times: readonly number[];
  readonly opts: QueryOptions;
}

/** An engine that answers every query with one fixed result and records how it was asked. */
class FixedEngine implements QueryEngine {
  readonly calls: Call[] = [];
  readonly #result: QueryResult;

  constructor(value: QueryValue = { type: "vector", samples: [] }, extra: Partial<QueryResult> = {}) {
    this.#result = { value, warnings: [], infos: [], stats: STATS, ...extra };
  }

  async instantQuery(_q: Queryable, query: string, t: number, opts: QueryOptions = {}): Promise<QueryResult> {
    this.calls.push({ kind: "instant", query, times: [t], opts });
    return this.#result;
  }

  async rangeQuery(_q: Queryable, query: string, start: number, end: number, step: number, opts: QueryOptions = {}): Promise<QueryResult> {
    this.calls.push({ kind: "range", query, times: [start, end, step], opts });
    return this.#result;
  }
}

/** An engine whose every query fails with one error. */
class FailingEngine implements QueryEngine {
  readonly #err: Error;

  constructor(err: Error) {
    this.#err = err;
  }

  instantQuery(): Promise<QueryResult> {
    return Promise.reject(this.#err);
  }

  rangeQuery(): Promise<QueryResult> {
    return Promise.reject(this.#err);
  }
}

async function server(t: TestContext, engine: QueryEngine, queryable: Queryable = new MemoryStorage()): Promise<FastifyInstance> {
  const app = Fastify();
  await registerQueryApi(app, { engine, queryable, clock: new ManualClock(NOW) });
  t.after(() => app.close());
  return app;
}

const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function get(app: FastifyInstance, path: string, params: Record<string, string>) {
  const r = await app.inject({ method: "GET", url: `${path}?${qs(params)}` });
  return { status: r.statusCode, type: r.headers["content-type"], body: r.body };
}

describe("query API parameters", () => {
  // Prometheus 3's answers, in the order it checks.
  const errors: [string, Record<string, string>, string][] = [
    ["/api/v1/query", { query: "up", limit: "x" }, `invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax`],
    ["/api/v1/query", { query: "up", limit: "-1" }, `invalid parameter "limit": limit must be non-negative`],
    ["/api/v1/query", { query: "up", time: "x" }, `invalid parameter "time": invalid time value for 'time': cannot parse "x" to a valid timestamp`],
    ["/api/v1/query", { query: "up", timeout: "x" }, `invalid parameter "timeout": cannot parse "x" to a valid duration`],
    ["/api/v1/query", { query: "up", lookback_delta: "1x" }, `error parsing lookback delta duration: cannot parse "1x" to a valid duration`],
    ["/api/v1/query_range", { query: "up" }, `invalid parameter "start": cannot parse "" to a valid timestamp`],
    ["/api/v1/query_range", { query: "up", start: "1" }, `invalid parameter "end": cannot parse "" to a valid timestamp`],
    ["/api/v1/query_range", { query: "up", start: "10", end: "5", step: "1" }, `invalid parameter "end": end timestamp must not be before start time`],
    ["/api/v1/query_range", { query: "up", start: "1", end: "5" }, `invalid parameter "step": cannot parse "" to a valid duration`],
    ["/api/v1/query_range", { query: "up", start: "1", end: "5", step: "5 m" }, `invalid parameter "step": cannot parse "5 m" to a valid duration`],
    ["/api/v1/query_range", { query: "up", start: "1", end: "5", step: "0" }, `invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer`],
    ["/api/v1/query_range", { query: "up", start: "1", end: "5", step: "-1s" }, `invalid parameter "step": cannot parse "-1s" to a valid duration`],
    ["/api/v1/query_range", { query: "up", start: "1", end: "5", step: "-1" }, `invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer`],
    ["/api/v1/query_range", { query: "up", start: "1", end: "5", step: "NaN" }, `invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer`],
    ["/api/v1/query_range", { query: "up", start: "1", end: "50000", step: "1" }, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"],
    ["/api/v1/query_range", { query: "up", start: "0", end: "11.001", step: "0.001" }, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"],
    ["/api/v1/query_range", { query: "up", start: "1", end: "5", step: "1", timeout: "y" }, `invalid parameter "timeout": cannot parse "y" to a valid duration`],
    ["/api/v1/query_range", { query: "up", start: "x", end: "y", step: "z", limit: "q" }, `invalid parameter "limit": strconv.Atoi: parsing "q": invalid syntax`],
  ];
  for (const [path, params, error] of errors) {
    it(`${path} refuses ${qs(params)}`, async (t) => {
      const engine = new FixedEngine();
      const r = await get(await server(t, engine), path, params);
      assert.equal(r.status, 400);
      assert.equal(r.type, "application/json");
      assert.equal(r.body, JSON.stringify({ status: "error", errorType: "bad_data", error }));
      assert.equal(engine.calls.length, 0);
    });
  }

  it("passes times, step, timeout and lookback delta to the engine in ms", async (t) => {
    const engine = new FixedEngine();
    const app = await server(t, engine);
    await get(app, "/api/v1/query", { query: "up" });
    await get(app, "/api/v1/query", { query: "a", time: "1700000000.123", timeout: "1.5", lookback_delta: "2m" });
    await get(app, "/api/v1/query", { query: "b", time: "2024-01-01T00:00:00Z", lookback_delta: "0" });
    await get(app, "/api/v1/query_range", { query: "c", start: "0", end: "11", step: "0.001" });
    await get(app, "/api/v1/query_range", { query: "d", start: "1700000000", end: "2023-11-14T22:23:20Z", step: "1m", timeout: "30s" });
    const calls = engine.calls.map((c) => ({ kind: c.kind, query: c.query, times: c.times, timeout: c.opts.timeout, lookbackDelta: c.opts.lookbackDelta, signal: c.opts.signal instanceof AbortSignal }));
    assert.deepEqual(calls, [
      { kind: "instant", query: "up", times: [NOW], timeout: undefined, lookbackDelta: undefined, signal: true },
      { kind: "instant", query: "a", times: [1700000000123], timeout: 1500, lookbackDelta: 120_000, signal: true },
      { kind: "instant", query: "b", times: [1704067200000], timeout: undefined, lookbackDelta: undefined, signal: true },
      { kind: "range", query: "c", times: [0, 11_000, 1], timeout: undefined, lookbackDelta: undefined, signal: true },
      { kind: "range", query: "d", times: [1700000000000, 1700000600000, 60_000], timeout: 30_000, lookbackDelta: undefined, signal: true },
    ]);
  });

  it("answers POST with a urlencoded form, body values before the URL's", async (t) => {
    const engine = new FixedEngine({ type: "scalar", t: 1500, v: 2 });
    const app = await server(t, engine);
    for (const path of ["/api/v1/query", "/api/v1/query_range"]) {
      const r = await app.inject({
        method: "POST",
        url: `${path}?${qs({ query: "from_url", step: "15" })}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: qs({ query: "sum(rate(x[5m]))", time: "1.5", start: "1", end: "31" }),
      });
      assert.equal(r.statusCode, 200, r.body);
    }
    assert.deepEqual(
      engine.calls.map((c) => [c.kind, c.query, c.times]),
      [
        ["instant", "sum(rate(x[5m]))", [1500]],
        ["range", "sum(rate(x[5m]))", [1000, 31_000, 15_000]],
      ],
    );
  });
});

describe("query API envelope", () => {
  const labels = Labels.fromRecord({ __name__: "up", job: "a" });
  const cases: [string, QueryValue, string][] = [
    ["vector", { type: "vector", samples: [{ labels, t: 1500, v: 1 }] }, '{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a"},"value":[1.500,"1"]}]}'],
    ["matrix", { type: "matrix", series: [{ labels, ts: [1000, 2000], vs: [1, 2] }] }, '{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"a"},"values":[[1,"1"],[2,"2"]]}]}'],
    ["scalar", { type: "scalar", t: 1500, v: 0.5 }, '{"resultType":"scalar","result":[1.5,"0.5"]}'],
    ["string", { type: "string", t: 1000, v: "x" }, '{"resultType":"string","result":[1,"x"]}'],
  ];
  for (const [title, value, data] of cases) {
    it(`answers a ${title} with its resultType and no annotations`, async (t) => {
      const r = await get(await server(t, new FixedEngine(value)), "/api/v1/query", { query: "x" });
      assert.equal(r.status, 200);
      assert.equal(r.type, "application/json");
      assert.equal(r.body, `{"status":"success","data":${data}}`);
    });
  }

  it("adds warnings and infos when there are any, ten of each at most", async (t) => {
    const warnings = Array.from({ length: 12 }, (_, i) => `PromQL warning: w${i}`);
    const engine = new FixedEngine({ type: "vector", samples: [] }, { warnings, infos: ["PromQL info: i"] });
    const r = await get(await server(t, engine), "/api/v1/query", { query: "x" });
    assert.deepEqual(JSON.parse(r.body), {
      status: "success",
      data: { resultType: "vector", result: [] },
      warnings: [...warnings.slice(0, 10), "2 more warning annotations omitted"],
      infos: ["PromQL info: i"],
    });
  });

  it("adds stats when asked for, with any value", async (t) => {
    const app = await server(t, new FixedEngine());
    for (const stats of ["all", "1"]) {
      const r = await get(app, "/api/v1/query", { query: "x", stats });
      assert.equal(
        r.body,
        '{"status":"success","data":{"resultType":"vector","result":[],"stats":{"timings":{"evalTotalTime":0.5,"resultSortTime":0,"queryPreparationTime":0.25,"innerEvalTime":0.125,"execQueueTime":0,"execTotalTime":1},"samples":{"totalQueryableSamples":7,"peakSamples":3}}}}',
      );
    }
  });

  it("cuts vectors and matrices to limit with Prometheus's warning", async (t) => {
    const series = ["a", "b", "c"].map((job) => Labels.fromRecord({ job }));
    const vector = await server(t, new FixedEngine({ type: "vector", samples: series.map((l) => ({ labels: l, t: 0, v: 1 })) }, { warnings: ["w"] }));
    assert.deepEqual(JSON.parse((await get(vector, "/api/v1/query", { query: "x", limit: "2" })).body), {
      status: "success",
      data: { resultType: "vector", result: [{ metric: { job: "a" }, value: [0, "1"] }, { metric: { job: "b" }, value: [0, "1"] }] },
      warnings: ["w", "results truncated due to limit"],
    });
    assert.deepEqual(JSON.parse((await get(vector, "/api/v1/query", { query: "x", limit: "3" })).body).warnings, ["w"]);
    const matrix = await server(t, new FixedEngine({ type: "matrix", series: series.map((l) => ({ labels: l, ts: [0], vs: [1] })) }));
    const cut = JSON.parse((await get(matrix, "/api/v1/query_range", { query: "x", start: "0", end: "1", step: "1", limit: "1" })).body);
    assert.deepEqual(cut.data.result, [{ metric: { job: "a" }, values: [[0, "1"]] }]);
    assert.deepEqual(cut.warnings, ["results truncated due to limit"]);
    const scalar = await server(t, new FixedEngine({ type: "scalar", t: 0, v: 1 }));
    assert.equal(JSON.parse((await get(scalar, "/api/v1/query", { query: "x", limit: "1" })).body).warnings, undefined);
  });

  // The engine's typed errors, mapped as Prometheus's returnAPIError maps them.
  const failures: [string, Error, number, string, string][] = [
    ["a parse error", new PromQLParseError("up{", { start: 3, end: 3 }, "unexpected end of input inside braces"), 400, "bad_data", `invalid parameter "query": 1:4: parse error: unexpected end of input inside braces`],
    ["an evaluation error", new PromQLEvalError("found duplicate series for the match group {job=\"a\"} on the right hand-side of the operation"), 422, "execution", "found duplicate series for the match group {job=\"a\"} on the right hand-side of the operation"],
    ["too many samples", new TooManySamplesError(), 422, "execution", "query processing would load too many samples into memory in query execution"],
    ["a timeout", new QueryTimeoutError("expression evaluation"), 503, "timeout", "query timed out in expression evaluation"],
    ["a cancellation", new QueryCanceledError("expression evaluation"), 499, "canceled", "query was canceled in expression evaluation"],
  ];
  for (const [title, err, status, errorType, error] of failures) {
    it(`answers ${title} with ${status} ${errorType}`, async (t) => {
      const app = await server(t, new FailingEngine(err));
      for (const [path, params] of [
        ["/api/v1/query", { query: "x" }],
        ["/api/v1/query_range", { query: "x", start: "0", end: "60", step: "15" }],
      ] as const) {
        const r = await get(app, path, params);
        assert.equal(r.status, status);
        assert.equal(r.body, JSON.stringify({ status: "error", errorType, error }));
      }
    });
  }

  it("cancels the query when the client goes away", async (t) => {
    let aborted: () => void = () => undefined;
    const sawAbort = new Promise<void>((resolve) => (aborted = resolve));
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    // An engine that runs until its signal aborts.
    const waiting: QueryEngine = {
      instantQuery: (_q, _query, _t, opts) =>
        new Promise((_resolve, reject) => {
          started();
          opts?.signal?.addEventListener("abort", () => {
            aborted();
            reject(new QueryCanceledError("expression evaluation"));
          });
        }),
      rangeQuery: () => Promise.reject(new Error("unused")),
    };
    const app = await server(t, waiting);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const addr = app.server.address();
    const port = typeof addr === "object" && addr ? addr.port : 0;
    const client = new AbortController();
    const request = fetch(`http://127.0.0.1:${port}/api/v1/query?query=x`, { signal: client.signal }).catch((err: unknown) => err);
    await running;
    client.abort();
    await Promise.race([sawAbort, new Promise((_r, reject) => setTimeout(() => reject(new Error("the engine was not told")), 5000))]);
    assert.ok((await request) instanceof Error);
  });
});

// These evaluate for real: they fail until the PromQL engine (src/promql) is implemented.
describe("query API with the PromQL engine (needs the PromQL engine)", () => {
  async function storage(): Promise<MemoryStorage> {
    const db = new MemoryStorage();
    const app = db.appender();
    for (let t = 0; t <= 120_000; t += 15_000) {
      app.append(0, Labels.fromRecord({ __name__: "up", job: "api", instance: "a:1" }), t, 1);
      app.append(0, Labels.fromRecord({ __name__: "up", job: "db", instance: "b:1" }), t, 0);
      app.append(0, Labels.fromRecord({ __name__: "requests_total", job: "api" }), t, t / 1000);
    }
    await app.commit();
    return db;
  }

  it("answers instant vectors, scalars and strings as Prometheus does", async (t) => {
    const app = await server(t, new PromQLEngine(), await storage());
    const cases: [Record<string, string>, string][] = [
      [{ query: "up", time: "60" }, '{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:1","job":"api"},"value":[60,"1"]},{"metric":{"__name__":"up","instance":"b:1","job":"db"},"value":[60,"0"]}]}'],
      [{ query: "sum(up)", time: "60.5" }, '{"resultType":"vector","result":[{"metric":{},"value":[60.500,"1"]}]}'],
      [{ query: "1e-7", time: "1.5" }, '{"resultType":"scalar","result":[1.5,"0.0000001"]}'],
      [{ query: 'vector(1e-7) or label_replace(vector(-1/0), "a", "b", "", "")', time: "1.05" }, '{"resultType":"vector","result":[{"metric":{},"value":[1.050,"1e-07"]},{"metric":{"a":"b"},"value":[1.050,"-Inf"]}]}'],
      [{ query: '"abc"', time: "-1.5" }, '{"resultType":"string","result":[-1.5,"abc"]}'],
      [{ query: "up offset 1h", time: "60" }, '{"resultType":"vector","result":[]}'],
    ];
    for (const [params, data] of cases) {
      const r = await get(app, "/api/v1/query", params);
      assert.equal(r.body, `{"status":"success","data":${data}}`, qs(params));
    }
  });

  it("answers range queries as matrices", async (t) => {
    const app = await server(t, new PromQLEngine(), await storage());
    const r = await get(app, "/api/v1/query_range", { query: "sum by (job) (up) * 2", start: "60", end: "90", step: "15" });
    assert.equal(
      r.body,
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"api"},"values":[[60,"2"],[75,"2"],[90,"2"]]},{"metric":{"job":"db"},"values":[[60,"0"],[75,"0"],[90,"0"]]}]}}',
    );
    const big = await get(app, "/api/v1/query_range", { query: "vector(123456789012345678)", start: "1.5", end: "3", step: "0.5" });
    assert.equal(big.body, '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1.500,"123456789012345680"],[2,"123456789012345680"],[2.500,"123456789012345680"],[3,"123456789012345680"]]}]}}');
  });

  it("answers the engine's errors with Prometheus's types and texts", async (t) => {
    const app = await server(t, new PromQLEngine({ maxSamples: 2 }), await storage());
    const cases: [string, Record<string, string>, number, string, string][] = [
      ["/api/v1/query", { query: "up{" }, 400, "bad_data", `invalid parameter "query": 1:4: parse error: unexpected end of input inside braces`],
      ["/api/v1/query", { query: "" }, 400, "bad_data", `invalid parameter "query": 1:1: parse error: no expression found in input`],
      ["/api/v1/query_range", { query: "up[5m]", start: "1", end: "5", step: "1" }, 400, "bad_data", `invalid parameter "query": invalid expression type "range vector" for range query, must be Scalar or instant Vector`],
      ["/api/v1/query", { query: "count_over_time(up[2m])", time: "120" }, 422, "execution", "query processing would load too many samples into memory in query execution"],
    ];
    for (const [path, params, status, errorType, error] of cases) {
      const r = await get(app, path, params);
      assert.equal(r.status, status, r.body);
      assert.deepEqual(JSON.parse(r.body), { status: "error", errorType, error });
    }
    // A timeout already past, as Go's context.WithTimeout with a negative duration.
    const late = await get(app, "/api/v1/query", { query: "up", timeout: "-1" });
    assert.equal(late.status, 503);
    assert.match(late.body, /^\{"status":"error","errorType":"timeout","error":"query timed out in [a-z ]+"\}$/);
  });
});

describe("query API cancellation (real socket, real PromQL engine)", () => {
  it("cancels a running query when the client goes away, and keeps serving", async (t) => {
    const st = new MemoryStorage();
    const labels = Array.from({ length: 3000 }, (_, i) => Labels.fromRecord({ __name__: "busy_total", instance: `i${i}` }));
    const refs = new Array<number>(labels.length).fill(0);
    for (let ts = 0; ts <= 3_600_000; ts += 15_000) {
      const app = st.appender();
      for (let i = 0; i < labels.length; i++) refs[i] = app.append(refs[i] as number, labels[i] as Labels, ts, ts / 1000);
      await app.commit();
    }
    const outcomes: unknown[] = [];
    let ended!: () => void;
    const finished = new Promise<void>((resolve) => (ended = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    // The real engine, watched: it reports how each query ended.
    class WatchedEngine extends PromQLEngine {
      override rangeQuery(q: Queryable, query: string, start: number, end: number, step: number, opts: QueryOptions = {}): Promise<QueryResult> {
        started();
        const p = super.rangeQuery(q, query, start, end, step, opts);
        p.then(
          () => outcomes.push("answered"),
          (err: unknown) => outcomes.push(err),
        ).finally(ended);
        return p;
      }
    }
    const app = Fastify();
    await registerQueryApi(app, { engine: new WatchedEngine(), queryable: st, clock: new ManualClock(NOW) });
    t.after(() => app.close());
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const client = new AbortController();
    const heavy = qs({ query: "sum by (instance) (rate(busy_total[5m])) / on(instance) sum by (instance) (rate(busy_total[10m]))", start: "0", end: "3600", step: "15" });
    const request = fetch(`${address}/api/v1/query_range?${heavy}`, { signal: client.signal }).catch((err: unknown) => err);
    await running;
    client.abort();
    await request;
    // The engine yields while it runs, so it sees the closed connection and stops.
    await finished;
    assert.equal(outcomes.length, 1);
    assert.ok(outcomes[0] instanceof QueryCanceledError, `the query ended with ${String(outcomes[0])}`);
    const ok = await fetch(`${address}/api/v1/query?${qs({ query: "count(busy_total)", time: "3600" })}`);
    assert.equal(ok.status, 200);
  });
});
