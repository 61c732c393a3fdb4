import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { ManualClock, systemClock } from "../runtime/index.js";
import { MemoryStorage } from "../storage/index.js";
import type { ScrapeJob } from "./job.js";
import { ScrapePool } from "./pool.js";
import {
  loopFor,
  readSeries,
  refusedAddress,
  samplesOf,
  serve,
  startTarget,
  testDeps,
  testJob,
  waitFor,
  type TargetHandler,
  type TestTarget,
} from "./testing-targets.js";

const T0 = 1_700_000_000_000;
const TEXT = { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" };

/** Bytes a streaming handler has written so far. */
interface Sent {
  bytes: number;
}

// Streams `total` bytes of valid exposition (Infinity: until the client goes away), honouring
// backpressure so the bytes counted are the bytes the client could have read.
function streamBody(total: number, sent: Sent): TargetHandler {
  const chunk = Buffer.from("a_metric_with_a_fairly_long_name 1\n".repeat(1872));
  return (_req, res) => {
    res.writeHead(200, TEXT);
    let closed = false;
    res.on("close", () => void (closed = true));
    const pump = (): void => {
      while (!closed && sent.bytes < total) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      if (!closed) res.end();
    };
    pump();
  };
}

// Writes `body`, waits until it left the process, then resets the connection mid-response.
function cutAfter(body: string, headers: Record<string, string | number> = {}): TargetHandler {
  return (_req, res: ServerResponse) => {
    res.writeHead(200, { ...TEXT, ...headers });
    res.write(body, () => res.socket?.destroy());
  };
}

// Deterministic pseudo-random bytes (a xorshift), so a failure reproduces.
function garbage(n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

interface BadCase {
  readonly name: string;
  /** The bad handler; undefined means nothing listens at the address. */
  readonly handler?: TargetHandler;
  readonly job?: Partial<ScrapeJob>;
  readonly error: string | RegExp;
  /** Upper bound on the scrape's wall time, ms. */
  readonly withinMs?: number;
  /** Checked after the scrape, e.g. that the target stopped sending. */
  readonly after?: () => void;
}

const huge: Sent = { bytes: 0 };
const endless: Sent = { bytes: 0 };
const HUGE = 200 * 1024 * 1024;

const CASES: readonly BadCase[] = [
  { name: "hangs without answering", handler: () => undefined, job: { timeoutMs: 300 }, error: "context deadline exceeded", withinMs: 2_000 },
  { name: "answers headers then hangs", handler: (_req, res) => void res.writeHead(200, TEXT).write("a 1\n"), job: { timeoutMs: 300 }, error: "context deadline exceeded", withinMs: 2_000 },
  { name: "closes mid-body (chunked)", handler: cutAfter("a 1\nb 2\nc"), error: "unexpected EOF" },
  { name: "closes mid-body (short of Content-Length)", handler: cutAfter("a 1\nb 2\nc", { "Content-Length": 1000 }), error: "unexpected EOF" },
  {
    name: "sends 200 MB over body_size_limit",
    handler: streamBody(HUGE, huge),
    job: { bodySizeLimitBytes: 1024 * 1024 },
    error: "body size limit exceeded",
    withinMs: 5_000,
    // Reading stops at the limit: what the server got out is the limit plus socket buffers.
    after: () => assert.ok(huge.bytes < 32 * 1024 * 1024, `server wrote ${huge.bytes} bytes`),
  },
  {
    name: "sends a gzip body whose decompressed size is over body_size_limit",
    handler: (_req, res) => void res.writeHead(200, { ...TEXT, "Content-Encoding": "gzip" }).end(gzipSync(Buffer.alloc(32 * 1024 * 1024, "a 1\n"), { level: 1 })),
    job: { bodySizeLimitBytes: 1024 * 1024 },
    error: "body size limit exceeded",
    withinMs: 5_000,
  },
  { name: "sends a body exactly at body_size_limit", handler: serve("abc 1\n"), job: { bodySizeLimitBytes: 6 }, error: "body size limit exceeded" },
  {
    name: "sends an endless body with no size limit",
    handler: streamBody(Infinity, endless),
    job: { timeoutMs: 250 },
    error: "context deadline exceeded",
    withinMs: 3_000,
  },
  { name: "sends invalid UTF-8 in a label value", handler: serve(Buffer.concat([Buffer.from('m{l="'), Buffer.from([0xff, 0xfe]), Buffer.from('"} 1\n')])), error: /^\d+:\d+: invalid UTF-8 label value$/ },
  { name: "sends binary garbage", handler: serve(garbage(4096)), error: /^\d+:\d+: / },
  { name: "sends a corrupt gzip body", handler: (_req, res) => void res.writeHead(200, { ...TEXT, "Content-Encoding": "gzip" }).end("not gzip at all"), error: /^gzip: / },
  { name: "answers 500", handler: (_req, res) => void res.writeHead(500).end("oops"), error: "server returned HTTP status 500 Internal Server Error" },
  { name: "answers 404", handler: (_req, res) => void res.writeHead(404).end(), error: "server returned HTTP status 404 Not Found" },
  { name: "refuses the connection", error: /ECONNREFUSED|connection refused/ },
  { name: "exceeds sample_limit", handler: serve("a 1\nb 2\nc 3\n"), job: { sampleLimit: 2 }, error: "sample limit exceeded" },
  { name: "exceeds label_limit", handler: serve('m{a="1",b="2"} 1\n'), job: { labelLimit: 4 }, error: "label_limit exceeded (metric: m, number of labels: 5, limit: 4)" },
  {
    name: "exceeds label_name_length_limit",
    handler: serve('m{longlabel1="1"} 1\n'),
    job: { labelNameLengthLimit: 9 },
    error: "label_name_length_limit exceeded (metric: m, label name: longlabel1, length: 10, limit: 9)",
  },
  {
    name: "exceeds label_value_length_limit",
    handler: serve(`m{a="${"x".repeat(21)}"} 1\n`),
    job: { labelValueLengthLimit: 20 },
    error: `label_value_length_limit exceeded (metric: m, label name: a, value: "${"x".repeat(21)}", length: 21, limit: 20)`,
  },
];

describe("bad targets", () => {
  for (const c of CASES) {
    test(`a target that ${c.name} fails only its own scrape`, async (t) => {
      let target: TestTarget | undefined;
      let address: string;
      if (c.handler) {
        target = await startTarget(c.handler);
        t.after(() => target?.close());
        address = target.address;
      } else {
        address = await refusedAddress();
      }
      const storage = new MemoryStorage();
      const clock = new ManualClock(T0);
      const loop = loopFor(address, testJob(c.job), testDeps(storage, clock));
      t.after(() => loop.stop(false));

      const started = performance.now();
      await loop.scrapeOnce();
      const took = performance.now() - started;
      if (c.withinMs !== undefined) assert.ok(took < c.withinMs, `scrape took ${took} ms`);
      c.after?.();

      assert.equal(loop.target.health, "down");
      if (typeof c.error === "string") assert.equal(loop.target.lastError, c.error);
      else assert.match(loop.target.lastError, c.error);
      const up = { __name__: "up", job: "test", instance: address };
      assert.deepEqual(await samplesOf(storage, up), [[T0, 0]]);
      // Nothing the target sent is kept: only the five report series exist.
      assert.deepEqual((await readSeries(storage)).map((s) => s.labels["__name__"]).sort(), [
        "scrape_duration_seconds",
        "scrape_samples_post_metric_relabeling",
        "scrape_samples_scraped",
        "scrape_series_added",
        "up",
      ]);

      // The same loop recovers as soon as the target behaves.
      if (target) {
        target.setHandler(serve("ok 1\n"));
        clock.set(T0 + 15_000);
        await loop.scrapeOnce();
        assert.equal(loop.target.lastError, "", "recovered");
        assert.deepEqual(await samplesOf(storage, up), [[T0, 0], [T0 + 15_000, 1]]);
      }
    });
  }

  test("good targets in a pool keep their schedule while bad ones fail", async (t) => {
    const good = [await startTarget(serve("good 1\n")), await startTarget(serve("good 2\n"))];
    const sent: Sent = { bytes: 0 };
    const bad = [
      await startTarget(() => undefined),
      await startTarget(cutAfter("a 1\nb")),
      await startTarget(streamBody(HUGE, sent)),
      await startTarget((_req, res) => void res.writeHead(500).end()),
      await startTarget(serve(garbage(1024))),
    ];
    for (const s of [...good, ...bad]) t.after(() => s.close());
    const refused = await refusedAddress();

    const intervalMs = 200;
    const storage = new MemoryStorage();
    const pool = new ScrapePool(testJob({ intervalMs, timeoutMs: 150, bodySizeLimitBytes: 64 * 1024 }), testDeps(storage, systemClock()));
    t.after(() => pool.stop(false));
    const addresses = [...good, ...bad].map((s) => s.address).concat(refused);
    await pool.sync([{ source: "static", labels: {}, targets: addresses.map((a) => ({ __address__: a })) }]);

    // Distinct scrape start times per target, sampled while we wait.
    const starts = new Map<string, Set<number>>(addresses.map((a) => [a, new Set()]));
    const byAddress = () => new Map(pool.activeTargets().map((tg) => [tg.labels.get("__address__"), tg]));
    await waitFor("every target to be scraped four times", () => {
      for (const [a, tg] of byAddress()) if (tg.lastScrapeMs > 0) starts.get(a)?.add(tg.lastScrapeMs);
      return [...starts.values()].every((s) => s.size >= 4);
    }, 10_000);

    const targets = byAddress();
    for (const s of good) assert.equal(targets.get(s.address)?.health, "up", s.address);
    for (const a of [...bad.map((s) => s.address), refused]) {
      const tg = targets.get(a);
      assert.equal(tg?.health, "down", a);
      assert.notEqual(tg?.lastError, "", a);
    }
    for (const s of good) {
      const up = (await samplesOf(storage, { __name__: "up", job: "test", instance: s.address })) ?? [];
      assert.ok(up.length >= 4, `${s.address}: ${up.length} scrapes`);
      assert.ok(up.every(([, v]) => v === 1));
      // Each gap is one interval plus scheduling noise; a good target blocked behind a bad one's
      // timeout would show gaps of several intervals.
      for (let i = 1; i < up.length; i++) {
        const gap = (up[i] as readonly [number, unknown])[0] - (up[i - 1] as readonly [number, unknown])[0];
        assert.ok(gap <= intervalMs * 2.5, `${s.address}: gap of ${gap} ms`);
      }
    }
    assert.ok(sent.bytes < 16 * 1024 * 1024 * 4, `huge target wrote ${sent.bytes} bytes over 4 scrapes`);
  });
});
