import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels, Matcher } from "../model/index.js";
import { runStorageContract } from "./contract.js";
import { InvalidSampleError, OutOfBoundsError, StorageClosedError } from "./errors.js";
import type { SeriesSet } from "./interface.js";
import { MemoryStorage } from "./memory-storage.js";

runStorageContract("MemoryStorage", async () => new MemoryStorage());

const up = (job: string) => Labels.fromRecord({ __name__: "up", job });
const all = [new Matcher("=~", "__name__", ".+")];

function times(set: SeriesSet): number[][] {
  const out: number[][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    const ts: number[] = [];
    while (it.next()) ts.push(it.at());
    out.push(ts);
  }
  return out;
}

describe("MemoryStorage", () => {
  it("truncates old samples, collects emptied series and refuses appends before the cut", async () => {
    const db = new MemoryStorage();
    const app = db.appender();
    for (let t = 0; t < 100; t++) app.append(0, up("a"), t, t);
    app.append(0, up("old"), 5, 1);
    await app.commit();
    assert.deepEqual(db.stats(), { series: 2, samples: 101, minTime: 0, maxTime: 99 });
    db.truncate(90);
    assert.deepEqual(db.stats(), { series: 1, samples: 10, minTime: 90, maxTime: 99 });
    assert.deepEqual(await (await db.querier(0, 1000)).labelValues("job"), ["a"]);
    assert.throws(() => db.appender().append(0, up("b"), 89, 1), OutOfBoundsError);
  });

  it("keeps what a select returned when later appends and truncation reallocate the buffers", async () => {
    const db = new MemoryStorage();
    let app = db.appender();
    for (let t = 0; t < 10; t++) app.append(0, up("a"), t, t);
    await app.commit();
    const set = (await db.querier(0, 1e9)).select(all);
    app = db.appender();
    for (let t = 10; t < 1000; t++) app.append(0, up("a"), t, t);
    await app.commit();
    db.truncate(995);
    assert.deepEqual(times(set), [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    assert.deepEqual(times((await db.querier(0, 1e9)).select(all)), [[995, 996, 997, 998, 999]]);
  });

  it("applies retention relative to the newest sample", async () => {
    const db = new MemoryStorage({ retentionMs: 1000 });
    let app = db.appender();
    for (let t = 0; t <= 5000; t += 100) app.append(0, up("a"), t, 1);
    await app.commit();
    assert.equal(db.stats().minTime, 4000);
    app = db.appender();
    assert.throws(() => app.append(0, up("b"), 3999, 1), OutOfBoundsError);
    await app.rollback();
  });

  it("forgets series created by a rolled back batch", async () => {
    const db = new MemoryStorage();
    const app = db.appender();
    app.append(0, up("a"), 1, 1);
    assert.equal(db.stats().series, 1);
    await app.rollback();
    assert.equal(db.stats().series, 0);
  });

  it("drops at commit samples another appender has overtaken", async () => {
    const db = new MemoryStorage();
    const slow = db.appender();
    const fast = db.appender();
    slow.append(0, up("a"), 10, 1);
    fast.append(0, up("a"), 20, 2);
    await fast.commit();
    await slow.commit();
    assert.deepEqual(times((await db.querier(0, 100)).select(all)), [[20]]);
  });

  it("resolves a stale or foreign reference by labels", async () => {
    const db = new MemoryStorage();
    const app = db.appender();
    const a = app.append(0, up("a"), 1, 1);
    const b = app.append(a, up("b"), 1, 1);
    assert.notEqual(a, b);
    assert.equal(app.append(999, up("a"), 2, 1), a);
    await app.commit();
  });

  it("rejects empty label sets and non-integer times as invalid samples", () => {
    const app = new MemoryStorage().appender();
    assert.throws(() => app.append(0, Labels.EMPTY, 1, 1), { message: "empty labelset: invalid sample" });
    assert.throws(() => app.append(0, up("a"), 1.5, 1), InvalidSampleError);
    assert.throws(() => app.append(0, up("a"), NaN, 1), InvalidSampleError);
  });

  it("refuses appenders and queriers after close", async () => {
    const db = new MemoryStorage();
    await db.close();
    assert.throws(() => db.appender(), StorageClosedError);
    await assert.rejects(db.querier(0, 1), StorageClosedError);
  });
});
