import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { Labels } from "../model/index.js";
import { ManualClock } from "../runtime/index.js";
import { MemoryStorage, staleNaN } from "../storage/index.js";
import { registerFederate } from "./federate.js";
import { escapeName, negotiateFormat } from "./federate-encode.js";

const NOW = 1_700_000_000_000;
const MIN = 60_000;
const TEXT = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores";
const PROTO = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores";

async function server(t: TestContext, external: Record<string, string> = { region: "eu", job: "override" }): Promise<FastifyInstance> {
  const db = new MemoryStorage();
  const a = db.appender();
  const add = (labels: Record<string, string>, points: [number, number][]) => {
    for (const [t, v] of points) a.append(0, Labels.fromRecord(labels), t, v);
  };
  add({ __name__: "up", job: "api", instance: "a:1" }, [[NOW - 2 * MIN, 0], [NOW - MIN, 1]]);
  add({ __name__: "up", job: "db", instance: "b:1" }, [[NOW - 10 * MIN, 1]]);
  add({ __name__: "go_goroutines", job: "api" }, [[NOW - MIN / 4, 42.5]]);
  add({ __name__: "gone", job: "api", instance: "a:1" }, [[NOW - 2 * MIN, 1]]);
  // Appended on its own: an array literal would canonicalise the marker's NaN payload.
  a.append(0, Labels.fromRecord({ __name__: "gone", job: "api", instance: "a:1" }), NOW - MIN, staleNaN());
  add({ __name__: "ahead", job: "api", instance: "a:1" }, [[NOW - MIN, 7], [NOW + MIN, 8]]);
  add({ __name__: "my.metric", "a.b": "c\"d\n" }, [[NOW, 1e-7]]);
  add({ job: "nameless" }, [[NOW, 1]]);
  await a.commit();
  const app = Fastify();
  registerFederate(app, { queryable: db, clock: new ManualClock(NOW), lookbackDelta: 5 * MIN, externalLabels: () => external });
  t.after(() => app.close());
  return app;
}

async function federate(app: FastifyInstance, selectors: string[], accept?: string) {
  const q = new URLSearchParams(selectors.map((s): [string, string] => ["match[]", s])).toString();
  const r = await app.inject({ method: "GET", url: `/federate?${q}`, headers: accept === undefined ? {} : { accept } });
  return { status: r.statusCode, type: r.headers["content-type"], body: r.rawPayload };
}

describe("federation", () => {
  it("answers the latest sample of each series in lookback with external labels, by metric name", async (t) => {
    const r = await federate(await server(t), ['{job=~".+"}', "up", '{__name__="my.metric"}']);
    assert.equal(r.status, 200);
    assert.equal(r.type, TEXT);
    assert.equal(
      r.body.toString(),
      [
        "# TYPE ahead untyped",
        `ahead{instance="a:1",job="api",region="eu"} 7 ${NOW - MIN}`,
        "# TYPE go_goroutines untyped",
        `go_goroutines{job="api",instance="",region="eu"} 42.5 ${NOW - MIN / 4}`,
        "# TYPE my_metric untyped",
        `my_metric{a_b="c\\"d\\n",instance="",job="override",region="eu"} 1e-07 ${NOW}`,
        "# TYPE up untyped",
        `up{instance="a:1",job="api",region="eu"} 1 ${NOW - MIN}`,
        "",
      ].join("\n"),
    );
  });

  it("always adds an empty instance, even without external labels", async (t) => {
    const r = await federate(await server(t, {}), ["go_goroutines"]);
    assert.equal(r.body.toString(), `# TYPE go_goroutines untyped\ngo_goroutines{job="api",instance=""} 42.5 ${NOW - MIN / 4}\n`);
  });

  it("answers nothing without match[]", async (t) => {
    const r = await federate(await server(t), []);
    assert.deepEqual([r.status, r.type, r.body.toString()], [200, TEXT, ""]);
  });

  it("refuses a bad selector with Go's plain-text error", async (t) => {
    const app = await server(t);
    const r = await app.inject({ method: "GET", url: `/federate?${new URLSearchParams([["match[]", "up{"]]).toString()}` });
    assert.equal(r.statusCode, 400);
    assert.equal(r.headers["content-type"], "text/plain; charset=utf-8");
    assert.equal(r.headers["x-content-type-options"], "nosniff");
    assert.equal(r.body, "1:4: parse error: unexpected end of input inside braces\n");
  });

  it("answers delimited protobuf when asked, byte for byte as Prometheus", async (t) => {
    const r = await federate(await server(t), ['up{job="api"}'], "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3");
    assert.equal(r.type, PROTO);
    const label = (n: string, v: string) => [0x0a, 2 + n.length + 2 + v.length, 0x0a, n.length, ...Buffer.from(n), 0x12, v.length, ...Buffer.from(v)];
    const ts = [...varint(NOW - MIN)];
    const metric = [...label("instance", "a:1"), ...label("job", "api"), ...label("region", "eu"), 0x2a, 0x09, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x30, ...ts];
    const family = [0x0a, 0x02, ...Buffer.from("up"), 0x18, 0x03, 0x22, metric.length, ...metric];
    assert.deepEqual([...r.body], [family.length, ...family]);
  });

  it("picks the format from Accept as Prometheus's Negotiate does", () => {
    const proto = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
    const cases: [string | undefined, string][] = [
      [undefined, TEXT],
      ["", TEXT],
      ["*/*", TEXT],
      [proto, PROTO],
      [`text/plain;version=0.0.4;q=0.5,${proto};q=0.9`, PROTO],
      [`${proto};q=0.2,text/plain;q=0.5`, TEXT],
      ["application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", TEXT],
      ["application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text", TEXT],
    ];
    for (const [accept, type] of cases) assert.equal(negotiateFormat(accept).contentType, type, accept);
  });

  it("escapes names with underscores as Prometheus 3 does by default", () => {
    const cases: [string, string][] = [
      ["up", "up"],
      ["a:b", "a:b"],
      ["my.metric", "my_metric"],
      ["1abc", "_abc"],
      ["a1", "a1"],
      ["Grüße", "Gr__e"],
    ];
    for (const [name, escaped] of cases) assert.equal(escapeName(name), escaped);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  let x = BigInt(n);
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x > 0n) b |= 0x80;
    out.push(b);
  } while (x > 0n);
  return out;
}
