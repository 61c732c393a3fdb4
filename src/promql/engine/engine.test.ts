import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { MemoryStorage } from "../../storage/index.js";
import { PromQLEvalError, PromQLParseError, PromQLQueryTypeError, QueryCanceledError, QueryTimeoutError, TooManySamplesError } from "../errors.js";
import { PromQLEngine } from "./engine.js";

// Engine behaviour the conformance scripts do not reach: limits, cancellation, cooperative
// scheduling, result shapes. Values are covered by the upstream scripts (promqltest).

const HOUR = 3_600_000;

async function storageWith(series: number, step: number, span: number): Promise<MemoryStorage> {
  const st = new MemoryStorage();
  const labels = Array.from({ length: series }, (_, i) => Labels.fromRecord({ __name__: "load_total", job: `j${i % 7}`, instance: `i${i}` }));
  const refs = new Array<number>(series).fill(0);
  for (let t = 0; t <= span; t += step) {
    const app = st.appender();
    for (let i = 0; i < series; i++) refs[i] = app.append(refs[i] as number, labels[i] as Labels, t, t / 1000 + i);
    await app.commit();
  }
  return st;
}

describe("PromQLEngine", () => {
  let st: MemoryStorage;
  before(async () => {
    st = await storageWith(2000, 15_000, HOUR);
  });

  it("answers instant and range queries in Prometheus's value shapes", async () => {
    const engine = new PromQLEngine();
    const scalar = await engine.instantQuery(st, "1 + 2", HOUR);
    assert.deepEqual(scalar.value, { type: "scalar", t: HOUR, v: 3 });
    const str = await engine.instantQuery(st, '"hi"', HOUR);
    assert.deepEqual(str.value, { type: "string", t: HOUR, v: "hi" });
    const vec = await engine.instantQuery(st, "count(load_total)", HOUR);
    assert.equal(vec.value.type, "vector");
    assert.equal(vec.value.type === "vector" ? vec.value.samples[0]?.v : undefined, 2000);
    const mat = await engine.rangeQuery(st, "sum by (job) (rate(load_total[5m]))", HOUR - 10 * 60_000, HOUR, 60_000);
    assert.equal(mat.value.type, "matrix");
    if (mat.value.type === "matrix") {
      assert.equal(mat.value.series.length, 7);
      assert.deepEqual(mat.value.series.map((s) => s.labels.get("job")), ["j0", "j1", "j2", "j3", "j4", "j5", "j6"]);
      assert.equal(mat.value.series[0]?.ts.length, 11);
    }
    const scalarRange = await engine.rangeQuery(st, "time()", 0, 120_000, 60_000);
    assert.deepEqual(scalarRange.value.type === "matrix" ? scalarRange.value.series[0]?.vs : undefined, [0, 60, 120]);
  });

  it("rejects what Prometheus rejects, with its error kinds", async () => {
    const engine = new PromQLEngine();
    await assert.rejects(engine.instantQuery(st, "sum(", HOUR), PromQLParseError);
    await assert.rejects(engine.instantQuery(st, 'rate(load_total{job="j1"})', HOUR), PromQLParseError);
    await assert.rejects(engine.rangeQuery(st, "load_total[5m]", 0, HOUR, 60_000), PromQLQueryTypeError);
    await assert.rejects(engine.rangeQuery(st, "load_total", 0, HOUR, 0), PromQLEvalError);
    await assert.rejects(engine.instantQuery(st, 'label_replace(load_total, "instance", "x", "", "")', HOUR), /same labelset/);
  });

  it("fails with TooManySamplesError past max samples, and stays usable", async () => {
    const engine = new PromQLEngine({ maxSamples: 1000 });
    await assert.rejects(engine.rangeQuery(st, "load_total", 0, HOUR, 15_000), TooManySamplesError);
    const ok = await engine.instantQuery(st, 'load_total{instance="i1"}', HOUR);
    assert.equal(ok.value.type === "vector" ? ok.value.samples.length : -1, 1);
  });

  it("times out a query that runs too long", async () => {
    const engine = new PromQLEngine({ timeout: 1 });
    await assert.rejects(engine.rangeQuery(st, "sum by (instance) (rate(load_total[5m]))", 0, HOUR, 15_000), QueryTimeoutError);
  });

  it("is cancelled through its signal while it runs, and gives the event loop turns meanwhile", async () => {
    const engine = new PromQLEngine();
    const controller = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      // Cancel once the event loop has run a few times during the query.
      if (ticks === 1) controller.abort();
    }, 1);
    try {
      await assert.rejects(
        engine.rangeQuery(st, "sum by (instance) (rate(load_total[5m])) / on(instance) sum by (instance) (rate(load_total[10m]))", 0, HOUR, 15_000, { signal: controller.signal }),
        QueryCanceledError,
      );
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 1);
  });

  it("reports samples in stats", async () => {
    const engine = new PromQLEngine();
    const r = await engine.instantQuery(st, "sum(load_total)", HOUR);
    assert.ok(r.stats.samples.totalQueryableSamples >= 2000);
    assert.ok(r.stats.samples.peakSamples > 0);
  });
});
