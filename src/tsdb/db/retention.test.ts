import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { dirBytes } from "./dir-bytes.js";
import { blocksBeyondRetention } from "./index.js";
import { openTsdb, tempDir } from "./test-helpers.js";

describe("retention", () => {
  it("picks blocks as Prometheus's BeyondTimeRetention and BeyondSizeRetention do", () => {
    const b = (minTime: number, maxTime: number, bytes: number) => ({ meta: { ulid: String(minTime), minTime, maxTime, stats: {}, compaction: { level: 1 }, version: 1 as const }, bytes });
    const blocks = [b(0, 10, 5), b(10, 20, 5), b(20, 30, 5)];
    const cases: [string, Parameters<typeof blocksBeyondRetention>[1], number, string[]][] = [
      ["unlimited", {}, 1000, []],
      ["time: end exactly retention before the newest end goes", { retentionMs: 10 }, 0, ["0:time", "10:time"]],
      ["time", { retentionMs: 15 }, 0, ["0:time"]],
      ["size drops oldest first", { retentionBytes: 10 }, 0, ["0:size"]],
      ["size: exactly at the limit stays", { retentionBytes: 15 }, 0, []],
      ["size counts the wal", { retentionBytes: 15 }, 6, ["0:size", "10:size"]],
      ["size: the wal alone at the limit leaves no block", { retentionBytes: 15 }, 15, ["0:size", "10:size", "20:size"]],
      ["time ignores the wal", { retentionMs: 15 }, 100, ["0:time"]],
      ["both", { retentionMs: 15, retentionBytes: 5 }, 0, ["0:time", "10:size"]],
      ["both, with the wal", { retentionMs: 15, retentionBytes: 9 }, 4, ["0:time", "10:size"]],
    ];
    for (const [name, policy, walBytes, want] of cases) {
      assert.deepEqual(blocksBeyondRetention(blocks, policy, walBytes).map((x) => `${x.block.meta.minTime}:${x.reason}`), want, name);
    }
  });

  it("counts the WAL and its checkpoints against retentionBytes, dropping the oldest blocks", async (t) => {
    const dir = await tempDir(t);
    const db = await openTsdb(dir, { blockRangeMs: 1000, compaction: false });
    // Five one-range blocks of 3 series, [0, 1000) … [4000, 5000); the head keeps [5000, 6000].
    await append(db, 3, 0, 6000);
    await db.compact();
    // Many series in the head's appendable window make the WAL far bigger than the blocks.
    await append(db, 2000, 5500, 6000, "wide");
    const bytes = db.blocks().map((b) => b.bytes);
    assert.deepEqual(db.blocks().map((b) => b.meta.minTime), [0, 1000, 2000, 3000, 4000]);
    await db.close();
    const wal = await dirBytes(join(dir, "wal"));
    const [b0, b1, b2, b3, b4] = bytes as [number, number, number, number, number];
    // Room for the WAL, the two newest blocks and half the third newest.
    const limit = wal + b4 + b3 + Math.floor(b2 / 2);
    assert.ok(b0 + b1 + b2 + b3 + b4 <= limit, "the blocks alone fit: only the WAL pushes them over");

    const sized = await openTsdb(dir, { blockRangeMs: 1000, compaction: false, retentionBytes: limit });
    t.after(() => sized.close());
    assert.deepEqual(sized.blocks().map((b) => b.meta.minTime), [3000, 4000]);
    assert.equal(sized.stats().retentionDeletions, 3);
    assert.equal(sized.stats().sizeRetentions, 1);
    assert.equal(sized.stats().timeRetentions, 0);
    const usage = await sized.storageBytes();
    assert.equal(usage.blocks, b3 + b4);
    assert.ok(usage.wal >= wal && usage.blocks + usage.wal <= limit, JSON.stringify({ usage, limit }));
    const q = await sized.querier(5000, 6000);
    try {
      let series = 0;
      for (const set = q.select([]); set.next(); ) series++;
      assert.equal(series, 2003, "the head and its WAL are untouched");
    } finally {
      await q.close();
    }
  });
});

// Series `${name}{i}` with a sample every 100 ms in [from, to], committed at once.
async function append(db: Awaited<ReturnType<typeof openTsdb>>, n: number, from: number, to: number, name = "m"): Promise<void> {
  const app = db.appender();
  for (let i = 0; i < n; i++) {
    const ls = Labels.fromRecord({ __name__: name, i: String(i) });
    let ref = 0;
    for (let t = from; t <= to; t += 100) ref = app.append(ref, ls, t, t / 1000 + i);
  }
  await app.commit();
}
