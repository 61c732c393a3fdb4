import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { promisify } from "node:util";
import Fastify, { type FastifyInstance } from "fastify";
import { Registry } from "prom-client";
import { requirePeer } from "../../test/peers/index.js";
import { Engine, engineRoutes } from "../engine/index.js";
import { Labels, Matcher } from "../model/index.js";
import { ManualClock, silentLogger } from "../runtime/index.js";
import type { Querier } from "../storage/index.js";
import { BlockReader, TSDB } from "../tsdb/index.js";
import { decodeTombstones } from "../tsdb/tombstones/index.js";

const HOUR = 3_600_000;
const STEP = 60_000;
// 2022-01-01T00:00:00Z, so snapshot names are predictable up to their random suffix.
const NOW = 1_640_995_200_000;
const SERIES = [
  { __name__: "a", job: "x" },
  { __name__: "b", job: "y" },
];

interface Server {
  db: TSDB;
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-admin-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// A TSDB in `dir` behind the engine's real routes on a loopback port.
async function start(t: TestContext, dir: string, enabled = true): Promise<Server> {
  const clock = new ManualClock(NOW);
  const db = await TSDB.open({ dir, logger: silentLogger(), clock, compaction: false });
  const engine = new Engine({ appendable: db, logger: silentLogger(), clock, metrics: new Registry(), userAgent: "test" });
  const app = Fastify();
  await app.register(engineRoutes(engine, db, { clock, admin: { enabled, tsdb: db, dataDir: dir, clock } }));
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await db.close();
  };
  t.after(close);
  return { db, app, base, close };
}

// One sample a minute of each series over [0, 4h): the first 2 h end up in a block, the rest in the head.
async function seed(db: TSDB): Promise<void> {
  const app = db.appender();
  for (let t = 0; t < 4 * HOUR; t += STEP) for (const s of SERIES) app.append(0, Labels.fromRecord(s), t, t / STEP);
  await app.commit();
  await db.compact();
  assert.equal(db.blocks().length, 1);
}

async function call(base: string, method: string, path: string, params: [string, string][] = []): Promise<{ status: number; body: string }> {
  const qs = new URLSearchParams(params).toString();
  const r = await fetch(`${base}${path}${qs ? `?${qs}` : ""}`, { method });
  return { status: r.status, body: await r.text() };
}

async function seriesNames(base: string): Promise<string[]> {
  const r = await call(base, "GET", "/api/v1/series", [["match[]", '{job=~".+"}']]);
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { data: Record<string, string>[] }).data.map((s) => s.__name__ ?? "");
}

async function dump(q: { querier(mint: number, maxt: number): Querier | Promise<Querier> }, mint = 0, maxt = 4 * HOUR): Promise<Map<string, number[]>> {
  const querier = await q.querier(mint, maxt);
  try {
    const out = new Map<string, number[]>();
    const set = querier.select([new Matcher("=~", "__name__", ".+")]);
    while (set.next()) {
      const s = set.at();
      const it = s.iterator();
      const ts: number[] = [];
      while (it.next()) ts.push(it.at());
      out.set(s.labels.toString(), ts);
    }
    return out;
  } finally {
    await querier.close();
  }
}

// The sample times of every block in a snapshot directory, merged per series.
async function dumpSnapshot(dir: string): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const name of (await readdir(dir)).sort()) {
    const reader = await BlockReader.open(join(dir, name));
    try {
      // Block names order blocks by creation only within a millisecond's randomness; sort by time.
      for (const [k, ts] of await dump(reader)) out.set(k, [...(out.get(k) ?? []), ...ts].sort((x, y) => x - y));
    } finally {
      await reader.close();
    }
  }
  return out;
}

const minutes = (from: number, to: number): number[] => {
  const out: number[] = [];
  for (let t = from; t < to; t += STEP) out.push(t);
  return out;
};

describe("TSDB admin API", () => {
  it("delete_series hides the series from the API and the querier, across a restart", async (t) => {
    const dir = await tempDir(t);
    const s = await start(t, dir);
    await seed(s.db);
    for (const method of ["POST", "PUT"]) {
      const r = await call(s.base, method, "/api/v1/admin/tsdb/delete_series", [["match[]", "a"]]);
      assert.equal(r.status, 204, r.body);
      assert.equal(r.body, "");
    }
    assert.deepEqual(await seriesNames(s.base), ["b"]);
    // A time range deletes only its samples: b loses [1h, 3h] (inclusive, across block and head).
    const r = await call(s.base, "POST", "/api/v1/admin/tsdb/delete_series", [["match[]", '{job="y"}'], ["start", "3600"], ["end", "10800"]]);
    assert.equal(r.status, 204, r.body);
    const want = new Map([['{__name__="b", job="y"}', [...minutes(0, HOUR), ...minutes(3 * HOUR + STEP, 4 * HOUR)]]]);
    assert.deepEqual(await dump(s.db), want);
    await s.close();

    const again = await start(t, dir);
    assert.deepEqual(await seriesNames(again.base), ["b"]);
    assert.deepEqual(await dump(again.db), want);
  });

  it("delete_series refuses bad parameters with Prometheus's errors", async (t) => {
    const s = await start(t, await tempDir(t));
    const cases: [string, [string, string][], string][] = [
      ["no selector", [], "no match[] parameter provided"],
      ["bad start", [["match[]", "a"], ["start", "x"]], `invalid parameter "start": invalid time value for 'start': cannot parse "x" to a valid timestamp`],
    ];
    for (const [title, params, error] of cases) {
      const r = await call(s.base, "POST", "/api/v1/admin/tsdb/delete_series", params);
      assert.equal(r.status, 400, title);
      assert.deepEqual(JSON.parse(r.body), { status: "error", errorType: "bad_data", error }, title);
    }
    const r = await call(s.base, "POST", "/api/v1/admin/tsdb/delete_series", [["match[]", "a{"]]);
    assert.equal(r.status, 400);
    const body = JSON.parse(r.body) as { errorType: string; error: string };
    assert.equal(body.errorType, "bad_data");
    assert.match(body.error, /^invalid parameter "match\[\]": /);
  });

  it("clean_tombstones rewrites the block without the deleted data, across a restart", async (t) => {
    const dir = await tempDir(t);
    const s = await start(t, dir);
    await seed(s.db);
    const old = s.db.blocks()[0];
    assert.ok(old);
    assert.equal((await call(s.base, "POST", "/api/v1/admin/tsdb/delete_series", [["match[]", "a"]])).status, 204);
    assert.equal(decodeTombstones(await readFile(join(old.dir, "tombstones")), "tombstones").size, 1);

    const r = await call(s.base, "PUT", "/api/v1/admin/tsdb/clean_tombstones");
    assert.equal(r.status, 204, r.body);
    const fresh = s.db.blocks();
    assert.equal(fresh.length, 1);
    const block = fresh[0];
    assert.ok(block);
    assert.notEqual(block.meta.ulid, old.meta.ulid);
    assert.deepEqual([block.meta.minTime, block.meta.maxTime], [old.meta.minTime, old.meta.maxTime]);
    assert.deepEqual(block.meta.compaction.parents?.map((p) => p.ulid), [old.meta.ulid]);
    assert.equal(block.meta.stats.numSeries, 1);
    assert.equal(decodeTombstones(await readFile(join(block.dir, "tombstones")), "tombstones").size, 0);
    assert.ok(!(await readdir(dir)).includes(old.meta.ulid), "old block removed");
    // The rewritten block itself no longer holds a, tombstones or not.
    const reader = await BlockReader.open(block.dir);
    try {
      assert.deepEqual([...(await dump(reader)).keys()], ['{__name__="b", job="y"}']);
    } finally {
      await reader.close();
    }
    await s.close();

    const again = await start(t, dir);
    assert.deepEqual(again.db.blocks().map((b) => b.meta.ulid), [block.meta.ulid]);
    assert.deepEqual(await seriesNames(again.base), ["b"]);
    assert.deepEqual(await dump(again.db), new Map([['{__name__="b", job="y"}', minutes(0, 4 * HOUR)]]));
  });

  it("snapshot links the blocks and writes the head, readable by BlockReader and promtool", async (t) => {
    const dir = await tempDir(t);
    const s = await start(t, dir);
    await seed(s.db);
    assert.equal((await call(s.base, "POST", "/api/v1/admin/tsdb/delete_series", [["match[]", "a"], ["end", "1800"]])).status, 204);

    const r = await call(s.base, "POST", "/api/v1/admin/tsdb/snapshot");
    assert.equal(r.status, 200, r.body);
    const { status, data } = JSON.parse(r.body) as { status: string; data: { name: string } };
    assert.equal(status, "success");
    assert.match(data.name, /^20220101T000000Z-[0-9a-f]{16}$/);
    const snap = join(dir, "snapshots", data.name);
    const blocks = (await readdir(snap)).sort();
    assert.equal(blocks.length, 2, "the block and the head");
    assert.ok(blocks.includes(s.db.blocks()[0]?.meta.ulid ?? ""));
    assert.deepEqual(await dumpSnapshot(snap), await dump(s.db));

    const skip = await call(s.base, "PUT", "/api/v1/admin/tsdb/snapshot", [["skip_head", "true"]]);
    assert.equal(skip.status, 200, skip.body);
    const skipDir = join(dir, "snapshots", (JSON.parse(skip.body) as { data: { name: string } }).data.name);
    assert.deepEqual(await readdir(skipDir), s.db.blocks().map((b) => b.meta.ulid));
    assert.deepEqual(await dumpSnapshot(skipDir), await dump(s.db, 0, 2 * HOUR - 1));

    const bad = await call(s.base, "POST", "/api/v1/admin/tsdb/snapshot", [["skip_head", "yes"]]);
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), {
      status: "error",
      errorType: "bad_data",
      error: `unable to parse boolean 'skip_head' argument: strconv.ParseBool: parsing "yes": invalid syntax`,
    });

    if (!requirePeer(t, "promtool", "prometheus")) return;
    const { stdout } = await promisify(execFile)("promtool", ["tsdb", "list", snap]);
    for (const ulid of blocks) assert.match(stdout, new RegExp(ulid), stdout);
  });

  it("answers every admin endpoint with Prometheus's error when disabled", async (t) => {
    const dir = await tempDir(t);
    const s = await start(t, dir, false);
    await seed(s.db);
    for (const name of ["delete_series", "clean_tombstones", "snapshot"]) {
      for (const method of ["POST", "PUT"]) {
        const r = await call(s.base, method, `/api/v1/admin/tsdb/${name}`, [["match[]", "a"]]);
        assert.equal(r.status, 503, `${method} ${name}`);
        assert.equal(r.body, '{"status":"error","errorType":"unavailable","error":"admin APIs disabled"}');
      }
    }
    assert.deepEqual(await seriesNames(s.base), ["a", "b"]);
    assert.ok(!(await readdir(dir)).includes("snapshots"));
  });
});
