import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Labels, Matcher } from "../../model/index.js";
import { silentLogger } from "../../runtime/index.js";
import { OutOfBoundsError, runStorageContract, type Storage } from "../../storage/index.js";
import { captureLogger } from "../wal/test-helpers.js";
import { TSDB } from "./index.js";
import { dumpStorage, openTsdb, tempDir } from "./test-helpers.js";

const HOUR = 3_600_000;

runStorageContract("tsdb", async () => {
  const dir = await mkdtemp(join(tmpdir(), "meridian-tsdb-contract-"));
  const db = await openTsdb(dir);
  const storage: Storage = {
    appender: () => db.appender(),
    querier: (mint, maxt) => db.querier(mint, maxt),
    close: async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return storage;
});

async function appendSeries(db: TSDB, n: number, from: number, to: number, step: number): Promise<void> {
  const app = db.appender();
  for (let i = 0; i < n; i++) {
    const ls = Labels.fromRecord({ __name__: "m", i: String(i) });
    let ref = 0;
    for (let t = from; t <= to; t += step) ref = app.append(ref, ls, t, t / 1000 + i);
  }
  await app.commit();
}

describe("tsdb", () => {
  it("keeps committed samples across a restart through the WAL", async (t) => {
    const dir = await tempDir(t);
    const db = await openTsdb(dir);
    await appendSeries(db, 3, 0, 60_000, 15_000);
    const before = await dumpStorage(db);
    await db.close();
    const again = await openTsdb(dir);
    assert.deepEqual(await dumpStorage(again), before);
    assert.ok(again.stats().walRecordsReplayed >= 2);
    await again.close();
  });

  it("cuts the oldest block range once the head spans 1.5 ranges, truncating head and WAL", async (t) => {
    const dir = await tempDir(t);
    const db = await openTsdb(dir);
    await appendSeries(db, 4, 0, 3 * HOUR + 60_000, 60_000);
    await db.compact();
    const blocks = db.blocks();
    assert.equal(blocks.length, 1);
    assert.deepEqual([blocks[0]?.meta.minTime, blocks[0]?.meta.maxTime], [0, 2 * HOUR], "aligned to the range end, as Prometheus");
    assert.equal(db.stats().head.minTime, 2 * HOUR);
    const all = await dumpStorage(db);
    assert.equal(all.size, 4);
    for (const samples of all.values()) assert.equal(samples.length, 182, "nothing lost or doubled across block and head");
    assert.throws(() => db.appender().append(0, Labels.fromRecord({ __name__: "m", i: "0" }), HOUR, 1), OutOfBoundsError);
    const walEntries = await readdir(join(dir, "wal"));
    assert.ok(walEntries.some((e) => e.startsWith("checkpoint.")), `checkpoint written: ${walEntries.join(",")}`);
    await db.close();

    const again = await openTsdb(dir);
    assert.deepEqual(await dumpStorage(again), all, "blocks plus checkpointed WAL give back the same data");
    assert.equal(again.blocks().length, 1);
    await again.close();
  });

  it("compacts in the background after commits", async (t) => {
    const dir = await tempDir(t);
    const db = await openTsdb(dir, { blockRangeMs: 1000 });
    for (let s = 0; s < 5; s++) await appendSeries(db, 2, s * 1000, s * 1000 + 900, 100);
    await db.compact();
    assert.ok(db.stats().headCompactions >= 3);
    const all = await dumpStorage(db);
    for (const samples of all.values()) assert.equal(samples.length, 50);
    await db.close();
  });

  it("drops blocks beyond time and size retention", async (t) => {
    const dir = await tempDir(t);
    const db = await openTsdb(dir, { blockRangeMs: 1000, retentionMs: 2000 });
    await appendSeries(db, 1, 0, 6000, 100);
    await db.compact();
    const mins = db.blocks().map((b) => b.meta.minTime);
    assert.deepEqual(mins, [3000, 4000]);
    assert.ok(db.stats().retentionDeletions >= 3);
    const samples = [...(await dumpStorage(db)).values()][0] ?? [];
    assert.equal(samples[0]?.[0], 3000);
    await db.close();

    const sized = await openTsdb(dir, { blockRangeMs: 1000, retentionBytes: 1 });
    assert.equal(sized.blocks().length, 0, "every block is over a 1-byte bound");
    await sized.close();
  });

  it("deletes series through block and head tombstones that survive a restart", async (t) => {
    const dir = await tempDir(t);
    const db = await openTsdb(dir, { blockRangeMs: 1000 });
    await appendSeries(db, 2, 0, 2400, 100);
    await db.compact();
    assert.equal(db.blocks().length, 1);
    const blockDir = db.blocks()[0]?.dir as string;
    const q = await db.querier(0, 10_000);
    await db.delete([new Matcher("=", "i", "1")], 500, 2000);
    const want = (await dumpStorage(db)).get('{__name__="m", i="1"}')?.map(([ts]) => ts);
    assert.deepEqual(want, [0, 100, 200, 300, 400, 2100, 2200, 2300, 2400]);
    assert.equal((await dumpStorage(db)).get('{__name__="m", i="0"}')?.length, 25, "other series untouched");
    assert.ok((await stat(join(blockDir, "tombstones"))).size > 9, "the block got a tombstone");
    await q.close();
    await db.close();

    const again = await openTsdb(dir, { blockRangeMs: 1000 });
    assert.deepEqual((await dumpStorage(again)).get('{__name__="m", i="1"}')?.map(([ts]) => ts), want, "head tombstones replayed from the WAL");
    await again.close();
  });

  it("repairs a torn WAL tail on open and reports the loss", async (t) => {
    const dir = await tempDir(t);
    const db = await openTsdb(dir, { walFsync: "always" });
    for (let k = 0; k < 10; k++) await appendSeries(db, 2, k * 1000, k * 1000, 1000);
    await db.close();
    const seg = join(dir, "wal", "00000000");
    const size = (await stat(seg)).size;
    // Closing padded the last page; cut into the records themselves.
    const { lines, logger } = captureLogger();
    const content = (await import("node:fs/promises")).readFile;
    const bytes = await content(seg);
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    assert.ok(end < size);
    await truncate(seg, end - 5);
    const again = await TSDB.open({ dir, logger, clock: { now: () => 0 }, compaction: true });
    const repair = again.stats().walRepair;
    assert.ok(repair !== undefined, "repair reported");
    assert.ok(repair.recordsLost >= 1);
    assert.ok(lines.some((l) => l.msg === "wal was damaged; repaired with data loss"));
    const samples = [...(await dumpStorage(again)).values()];
    assert.equal(samples[0]?.length, 9, "all but the torn last commit");
    await again.close();
  });

  it("reports a corrupted WAL byte and keeps what precedes it", async (t) => {
    const dir = await tempDir(t);
    const db = await openTsdb(dir);
    for (let k = 0; k < 10; k++) await appendSeries(db, 2, k * 1000, k * 1000, 1000);
    await db.close();
    const seg = join(dir, "wal", "00000000");
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(seg);
    let end = bytes.length;
    while (end > 0 && bytes[end - 1] === 0) end--;
    bytes[end - 3] = (bytes[end - 3] as number) ^ 0xff;
    await writeFile(seg, bytes);
    const again = await openTsdb(dir, { logger: silentLogger() });
    assert.equal(again.stats().walRepair?.kind, "torn-tail");
    const samples = [...(await dumpStorage(again)).values()];
    assert.equal(samples[0]?.length, 9);
    await again.close();
  });
});
