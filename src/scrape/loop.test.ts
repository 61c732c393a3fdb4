import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import { gzipSync } from "node:zlib";
import { ManualClock } from "../runtime/index.js";
import { MemoryStorage } from "../storage/index.js";
import { SCRAPE_ACCEPT } from "./fetch-target.js";
import type { ScrapeJob } from "./job.js";
import type { ScrapeLoop } from "./loop.js";
import { toConfig } from "./relabel/testdata/cases.js";
import { loopFor, samplesOf, serve, startTarget, testDeps, testJob, type StoredSample, type TargetHandler, type TestTarget } from "./testing-targets.js";

const T0 = 1_700_000_000_000;
const REPORT_NAMES = ["up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"];

interface Harness {
  readonly target: TestTarget;
  readonly loop: ScrapeLoop;
  readonly storage: MemoryStorage;
  readonly clock: ManualClock;
  /** Labels of a sample named `name` from this target, plus `extra`. */
  series(name: string, extra?: Record<string, string>): Record<string, string>;
}

async function setup(t: TestContext, handler: TargetHandler, job: Partial<ScrapeJob> = {}): Promise<Harness> {
  const target = await startTarget(handler);
  t.after(() => target.close());
  const storage = new MemoryStorage();
  const clock = new ManualClock(T0);
  const loop = loopFor(target.address, testJob(job), testDeps(storage, clock));
  t.after(() => loop.stop(false));
  return {
    target,
    loop,
    storage,
    clock,
    series: (name, extra = {}) => ({ __name__: name, job: "test", instance: target.address, ...extra }),
  };
}

describe("ScrapeLoop", () => {
  test("appends exposed samples at the scrape time with the target's labels", async (t) => {
    const h = await setup(t, serve('# HELP m_total Things.\n# TYPE m_total counter\nm_total{a="1"} 3\nn 4.5\n'));
    await h.loop.scrapeOnce();
    assert.deepEqual(await samplesOf(h.storage, h.series("m_total", { a: "1" })), [[T0, 3]]);
    assert.deepEqual(await samplesOf(h.storage, h.series("n")), [[T0, 4.5]]);
    assert.equal(h.loop.target.health, "up");
    assert.equal(h.loop.target.lastError, "");
    assert.equal(h.loop.target.lastScrapeMs, T0);
    assert.deepEqual(h.loop.target.metadata.get("m_total"), { type: "counter", help: "Things.", unit: "" });
  });

  for (const honor of [true, false]) {
    test(`honor_timestamps ${honor}: explicit timestamps ${honor ? "are kept" : "are replaced"} and staleness follows`, async (t) => {
      const h = await setup(t, serve("explicit 1 1000\nimplicit 2\n"), { honorTimestamps: honor });
      await h.loop.scrapeOnce();
      h.clock.set(T0 + 15_000);
      h.target.setHandler(serve(""));
      await h.loop.scrapeOnce();
      // Prometheus tracks staleness only for samples stored at the scrape time.
      assert.deepEqual(await samplesOf(h.storage, h.series("explicit")), honor ? [[1000, 1]] : [[T0, 1], [T0 + 15_000, "stale"]]);
      assert.deepEqual(await samplesOf(h.storage, h.series("implicit")), [[T0, 2], [T0 + 15_000, "stale"]]);
    });
  }

  test("appends the five report series, and series_added is 0 for series already seen", async (t) => {
    const h = await setup(t, serve("a 1\nb 2\ngo_drop 3\n"), {
      metricRelabelConfigs: [toConfig({ source_labels: ["__name__"], regex: "go_.*", action: "drop" })],
    });
    const report = async () => {
      const out: Record<string, number> = {};
      for (const name of REPORT_NAMES) {
        const samples = await samplesOf(h.storage, h.series(name));
        assert.ok(samples && samples.length > 0, `${name} missing`);
        out[name] = Number((samples.at(-1) as StoredSample)[1]);
      }
      return out;
    };

    await h.loop.scrapeOnce();
    const first = await report();
    assert.ok(first["scrape_duration_seconds"]! > 0 && first["scrape_duration_seconds"]! < 10, `duration ${first["scrape_duration_seconds"]}`);
    assert.deepEqual({ ...first, scrape_duration_seconds: 0 }, {
      up: 1,
      scrape_duration_seconds: 0,
      scrape_samples_scraped: 3,
      scrape_samples_post_metric_relabeling: 2,
      scrape_series_added: 2,
    });

    h.clock.set(T0 + 15_000);
    await h.loop.scrapeOnce();
    assert.equal((await report())["scrape_series_added"], 0);

    h.target.setHandler(serve("a 1\nb 2\nc 3\ngo_drop 3\n"));
    h.clock.set(T0 + 30_000);
    await h.loop.scrapeOnce();
    const third = await report();
    assert.equal(third["scrape_series_added"], 1);
    assert.equal(third["scrape_samples_scraped"], 4);
    assert.deepEqual(await samplesOf(h.storage, h.series("up")), [[T0, 1], [T0 + 15_000, 1], [T0 + 30_000, 1]]);
    assert.equal(await samplesOf(h.storage, h.series("go_drop")), undefined);
  });

  test("negotiates OpenMetrics and parses it as OpenMetrics", async (t) => {
    const om = [
      "# TYPE rpc_seconds counter",
      "# UNIT rpc_seconds seconds",
      "# HELP rpc_seconds Time spent.",
      'rpc_seconds_total{code="200"} 17.5 1700000000.250',
      "# EOF",
      "",
    ].join("\n");
    const h = await setup(t, (req, res) => {
      // Serve OpenMetrics only when asked for it, as client libraries do.
      if (!(req.headers.accept ?? "").startsWith("application/openmetrics-text;version=1.0.0")) {
        res.writeHead(406).end();
        return;
      }
      res.writeHead(200, { "Content-Type": "application/openmetrics-text; version=1.0.0; charset=utf-8" });
      res.end(om);
    });
    await h.loop.scrapeOnce();
    assert.equal(h.loop.target.lastError, "");
    assert.equal(h.target.requests[0]?.headers.accept, SCRAPE_ACCEPT);
    // OpenMetrics timestamps are in seconds; the text parser would reject the fraction.
    assert.deepEqual(await samplesOf(h.storage, h.series("rpc_seconds_total", { code: "200" })), [[1_700_000_000_250, 17.5]]);
    assert.deepEqual(h.loop.target.metadata.get("rpc_seconds"), { type: "counter", help: "Time spent.", unit: "seconds" });
  });

  test("decompresses a gzip-encoded body", async (t) => {
    const body = gzipSync("zipped 42\n");
    const h = await setup(t, (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4", "Content-Encoding": "gzip" });
      res.end(body);
    });
    await h.loop.scrapeOnce();
    assert.equal(h.target.requests[0]?.headers["accept-encoding"], "gzip");
    assert.equal(h.loop.target.lastError, "");
    assert.deepEqual(await samplesOf(h.storage, h.series("zipped")), [[T0, 42]]);
  });

  test("sends the scrape timeout, user agent and params", async (t) => {
    const h = await setup(t, serve("a 1\n"), { timeoutMs: 2_500, metricsPath: "/probe", params: { module: ["http_2xx"] } });
    await h.loop.scrapeOnce();
    const req = h.target.requests[0];
    assert.equal(req?.headers["x-prometheus-scrape-timeout-seconds"], "2.5");
    assert.equal(req?.headers["user-agent"], "Meridian/test");
    assert.equal(req?.url, "/probe?module=http_2xx");
  });

  test("a series that disappears gets a stale marker at the next scrape's time, and may return", async (t) => {
    const h = await setup(t, serve("a 1\nb 2\n"));
    await h.loop.scrapeOnce();
    h.target.setHandler(serve("a 1\n"));
    h.clock.set(T0 + 15_000);
    await h.loop.scrapeOnce();
    h.target.setHandler(serve("a 1\nb 3\n"));
    h.clock.set(T0 + 30_000);
    await h.loop.scrapeOnce();
    assert.deepEqual(await samplesOf(h.storage, h.series("a")), [[T0, 1], [T0 + 15_000, 1], [T0 + 30_000, 1]]);
    assert.deepEqual(await samplesOf(h.storage, h.series("b")), [[T0, 2], [T0 + 15_000, "stale"], [T0 + 30_000, 3]]);
  });

  const failures: readonly { name: string; handler: TargetHandler; error: string | RegExp }[] = [
    { name: "an HTTP 500", handler: (_req, res) => void res.writeHead(500).end("boom"), error: "server returned HTTP status 500 Internal Server Error" },
    { name: "a parse error after a good line", handler: serve("a 1\nb{ 2\n"), error: /^\d+:\d+: / },
  ];
  for (const f of failures) {
    test(`a failing scrape (${f.name}) marks every series of the last one stale and reports up 0`, async (t) => {
      const h = await setup(t, serve("a 1\nb 2\n"));
      await h.loop.scrapeOnce();
      h.target.setHandler(f.handler);
      h.clock.set(T0 + 15_000);
      await h.loop.scrapeOnce();
      assert.equal(h.loop.target.health, "down");
      if (typeof f.error === "string") assert.equal(h.loop.target.lastError, f.error);
      else assert.match(h.loop.target.lastError, f.error);
      // The parse error's good line `a 1` must not survive: the whole scrape is rolled back.
      assert.deepEqual(await samplesOf(h.storage, h.series("a")), [[T0, 1], [T0 + 15_000, "stale"]]);
      assert.deepEqual(await samplesOf(h.storage, h.series("b")), [[T0, 2], [T0 + 15_000, "stale"]]);
      assert.deepEqual(await samplesOf(h.storage, h.series("up")), [[T0, 1], [T0 + 15_000, 0]]);
      assert.deepEqual(await samplesOf(h.storage, h.series("scrape_samples_scraped")), [[T0, 2], [T0 + 15_000, 0]]);

      h.target.setHandler(serve("a 5\n"));
      h.clock.set(T0 + 30_000);
      await h.loop.scrapeOnce();
      assert.equal(h.loop.target.health, "up");
      assert.equal(h.loop.target.lastError, "");
      assert.deepEqual(await samplesOf(h.storage, h.series("a")), [[T0, 1], [T0 + 15_000, "stale"], [T0 + 30_000, 5]]);
    });
  }

  test("stop(true) marks exposed and report series stale at the stop time", async (t) => {
    const h = await setup(t, serve("a 1\n"));
    await h.loop.scrapeOnce();
    h.clock.set(T0 + 5_000);
    await h.loop.stop(true);
    for (const name of ["a", ...REPORT_NAMES]) {
      const samples = await samplesOf(h.storage, h.series(name));
      assert.equal(samples?.length, 2, `${name}: ${JSON.stringify(samples)}`);
      assert.deepEqual(samples?.[1], [T0 + 5_000, "stale"], name);
    }
  });

  test("stop(false) writes nothing", async (t) => {
    const h = await setup(t, serve("a 1\n"));
    await h.loop.scrapeOnce();
    const before = h.storage.stats().samples;
    h.clock.set(T0 + 5_000);
    await h.loop.stop(false);
    assert.equal(h.storage.stats().samples, before);
  });

  test("stop(true) before any scrape writes nothing", async (t) => {
    const h = await setup(t, serve("a 1\n"));
    await h.loop.stop(true);
    assert.equal(h.storage.stats().series, 0);
  });
});
