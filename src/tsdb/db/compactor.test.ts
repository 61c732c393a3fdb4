import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import type { BlockMeta } from "../meta/index.js";
import { compactionRanges, planCompaction } from "./index.js";
import { dumpStorage, openTsdb, tempDir } from "./test-helpers.js";

const H = 3_600_000;

function meta(minTime: number, maxTime: number): { meta: BlockMeta } {
  return { meta: { ulid: `${minTime}-${maxTime}`, minTime, maxTime, stats: {}, compaction: { level: 1 }, version: 1 } };
}

describe("level compaction", () => {
  it("derives ranges as Prometheus, bounded by a tenth of retention", () => {
    assert.deepEqual(compactionRanges(2 * H).slice(0, 4), [2 * H, 6 * H, 18 * H, 54 * H]);
    assert.ok(compactionRanges(2 * H).every((r) => r <= 31 * 24 * H));
    assert.deepEqual(compactionRanges(2 * H, 100 * H), [2 * H, 6 * H]);
    assert.deepEqual(compactionRanges(2 * H, 10 * H), [2 * H]);
  });

  it("plans as Prometheus's selectDirs", () => {
    const ranges = [2 * H, 6 * H, 18 * H];
    const cases: [string, { meta: BlockMeta }[], string[] | undefined][] = [
      ["nothing to do with one block", [meta(0, 2 * H)], undefined],
      ["the newest block is never taken", [meta(0, 2 * H), meta(2 * H, 4 * H)], undefined],
      ["a partial window waits while it may still fill", [meta(0, 2 * H), meta(2 * H, 4 * H), meta(6 * H, 8 * H)], undefined],
      [
        "a partial window older than the newest candidate",
        [meta(0, 2 * H), meta(2 * H, 4 * H), meta(6 * H, 8 * H), meta(8 * H, 10 * H)],
        [`0-${2 * H}`, `${2 * H}-${4 * H}`],
      ],
      ["a full 6h window", [meta(0, 2 * H), meta(2 * H, 4 * H), meta(4 * H, 6 * H), meta(6 * H, 8 * H)], [`0-${2 * H}`, `${2 * H}-${4 * H}`, `${4 * H}-${6 * H}`]],
      ["the 6h window holding the newest block waits", [meta(6 * H, 8 * H), meta(8 * H, 10 * H), meta(10 * H, 12 * H)], undefined],
      [
        "then 18h from 6h blocks",
        [meta(0, 6 * H), meta(6 * H, 12 * H), meta(12 * H, 18 * H), meta(18 * H, 20 * H)],
        [`0-${6 * H}`, `${6 * H}-${12 * H}`, `${12 * H}-${18 * H}`],
      ],
    ];
    for (const [name, blocks, want] of cases) assert.deepEqual(planCompaction(blocks, ranges)?.map((b) => b.meta.ulid), want, name);
  });

  it("merges head blocks into larger ones, keeps every sample, and can be turned off", async (t) => {
    for (const compaction of [true, false]) {
      const dir = await tempDir(t);
      const db = await openTsdb(dir, { blockRangeMs: 1000, compaction });
      const ls = Labels.fromRecord({ __name__: "lc" });
      for (let s = 0; s < 12; s++) {
        const app = db.appender();
        for (let ts = s * 1000; ts < (s + 1) * 1000; ts += 250) app.append(0, ls, ts, ts);
        await app.commit();
        await db.compact();
      }
      const levels = db.blocks().map((b) => b.meta.compaction.level);
      if (compaction) {
        assert.ok(levels.some((l) => l >= 2), `levels ${levels.join(",")}`);
        assert.ok(db.stats().levelCompactions > 0);
      } else assert.ok(levels.every((l) => l === 1));
      const samples = (await dumpStorage(db)).get('{__name__="lc"}') ?? [];
      assert.deepEqual(samples.map(([ts]) => ts), Array.from({ length: 48 }, (_, i) => i * 250));
      await db.close();
      const again = await openTsdb(dir, { blockRangeMs: 1000, compaction });
      assert.deepEqual((await dumpStorage(again)).get('{__name__="lc"}'), samples);
      await again.close();
    }
  });
});
