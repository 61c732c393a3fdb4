import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { FUNCTIONS, parseExpr, prettify } from "../promql/parser/index.js";
import { registerExprApi, type ExprParser } from "./expr-api.js";

// The promql module's parser, wired as the engine wires it.
const PARSER: ExprParser = {
  parse: parseExpr,
  prettify,
  signature: (name) => {
    const f = FUNCTIONS.get(name);
    assert.ok(f, name);
    return f;
  },
};

async function server(t: TestContext): Promise<FastifyInstance> {
  const app = Fastify();
  await registerExprApi(app, { parser: PARSER });
  t.after(() => app.close());
  return app;
}

async function get(app: FastifyInstance, path: string, params: Record<string, string>) {
  const r = await app.inject({ method: "GET", url: `${path}?${new URLSearchParams(params).toString()}` });
  return { status: r.statusCode, body: r.body };
}

const selector = (name: string, extra: object[] = [], more: object = {}) => ({
  matchers: [...extra, { name: "__name__", type: "=", value: name }],
  name,
  offset: 0,
  startOrEnd: null,
  timestamp: null,
  type: "vectorSelector",
  ...more,
});

describe("format_query and parse_query", () => {
  it("formats a query as Prometheus's Pretty does", async (t) => {
    const app = await server(t);
    assert.equal((await get(app, "/api/v1/format_query", { query: "foo/bar" })).body, '{"status":"success","data":"foo / bar"}');
    const r = await app.inject({
      method: "POST",
      url: "/api/v1/format_query",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ query: "sum  by(job)(rate(x[5m]))" }).toString(),
    });
    assert.deepEqual(JSON.parse(r.body), { status: "success", data: prettify(parseExpr("sum by (job) (rate(x[5m]))")) });
  });

  // Go marshals translateAST's maps with sorted keys; the expected objects are written that way.
  const trees: [string, unknown][] = [
    [
      'sum by (job) (rate(http_requests_total{code="200"}[5m] offset 1m))',
      {
        expr: {
          args: [
            {
              matchers: [{ name: "code", type: "=", value: "200" }, { name: "__name__", type: "=", value: "http_requests_total" }],
              name: "http_requests_total",
              offset: 60000,
              range: 300000,
              startOrEnd: null,
              timestamp: null,
              type: "matrixSelector",
            },
          ],
          func: { argTypes: ["matrix"], name: "rate", returnType: "vector", variadic: 0 },
          type: "call",
        },
        grouping: ["job"],
        op: "sum",
        param: null,
        type: "aggregation",
        without: false,
      },
    ],
    [
      "a / on(job) group_left(x) b",
      {
        bool: false,
        lhs: selector("a"),
        matching: { card: "many-to-one", include: ["x"], labels: ["job"], on: true },
        op: "/",
        rhs: selector("b"),
        type: "binaryExpr",
      },
    ],
    ["1 > bool 2", { bool: true, lhs: { type: "numberLiteral", val: "1" }, matching: null, op: ">", rhs: { type: "numberLiteral", val: "2" }, type: "binaryExpr" }],
    ["-(a @ 100)", { expr: { expr: selector("a", [], { timestamp: 100000 }), type: "parenExpr" }, op: "-", type: "unaryExpr" }],
    [
      "topk(3, max_over_time(a[1h:5m] @ start()))",
      {
        expr: {
          args: [{ expr: selector("a"), offset: 0, range: 3600000, startOrEnd: "start", step: 300000, timestamp: null, type: "subquery" }],
          func: { argTypes: ["matrix"], name: "max_over_time", returnType: "vector", variadic: 0 },
          type: "call",
        },
        grouping: [],
        op: "topk",
        param: { type: "numberLiteral", val: "3" },
        type: "aggregation",
        without: false,
      },
    ],
    ['label_replace(a, "b", "$1", "c", "(.*)")', {
      args: [selector("a"), ...["b", "$1", "c", "(.*)"].map((val) => ({ type: "stringLiteral", val }))],
      func: { argTypes: ["vector", "string", "string", "string", "string"], name: "label_replace", returnType: "vector", variadic: 0 },
      type: "call",
    }],
    ["1e-7", { type: "numberLiteral", val: "0.0000001" }],
    ["Inf", { type: "numberLiteral", val: "+Inf" }],
  ];
  for (const [query, data] of trees) {
    it(`parses ${query}`, async (t) => {
      const r = await get(await server(t), "/api/v1/parse_query", { query });
      assert.equal(r.status, 200, r.body);
      assert.deepEqual(JSON.parse(r.body), { status: "success", data });
    });
  }

  it("refuses a bad query as an invalid parameter", async (t) => {
    const app = await server(t);
    for (const path of ["/api/v1/format_query", "/api/v1/parse_query"]) {
      const r = await get(app, path, { query: "up{" });
      assert.equal(r.status, 400);
      assert.equal(r.body, JSON.stringify({ status: "error", errorType: "bad_data", error: `invalid parameter "query": 1:4: parse error: unexpected end of input inside braces` }));
    }
  });
});

describe("query_exemplars", () => {
  it("answers an empty list for a query with selectors, 204 without, as Prometheus with no exemplars does", async (t) => {
    const app = await server(t);
    assert.deepEqual(await get(app, "/api/v1/query_exemplars", { query: "up", start: "1", end: "2" }), { status: 200, body: '{"status":"success","data":[]}' });
    assert.deepEqual(await get(app, "/api/v1/query_exemplars", { query: "sum(rate(x[5m])) / y" }), { status: 200, body: '{"status":"success","data":[]}' });
    assert.deepEqual(await get(app, "/api/v1/query_exemplars", { query: "1 + 1" }), { status: 204, body: "" });
  });

  // As a real Prometheus 2.42 answers them.
  const errors: [Record<string, string>, string][] = [
    [{ query: "up", start: "10", end: "5" }, "end timestamp must not be before start timestamp"],
    [{ query: "up", start: "x" }, `invalid parameter "start": invalid time value for 'start': cannot parse "x" to a valid timestamp`],
    [{ query: "up{" }, "1:4: parse error: unexpected end of input inside braces"],
    [{}, "1:1: parse error: no expression found in input"],
  ];
  for (const [params, error] of errors) {
    it(`refuses ${new URLSearchParams(params).toString() || "no query"}`, async (t) => {
      const r = await get(await server(t), "/api/v1/query_exemplars", params);
      assert.equal(r.status, 400);
      assert.equal(r.body, JSON.stringify({ status: "error", errorType: "bad_data", error }));
    });
  }
});
