import assert from "node:assert/strict";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Labels } from "../../model/index.js";
import { ManualClock, silentLogger } from "../../runtime/index.js";
import { checkpoint } from "./checkpoint.js";
import { PAGE_SIZE } from "./layout.js";
import { decodeRecord, encodeSamples, encodeSeries, encodeTombstones, type DecodedRecord } from "./records.js";
import { replayWal } from "./replay.js";
import { tempDir } from "./test-helpers.js";
import { WalWriter } from "./writer.js";

const STALE = (() => {
  const v = new Float64Array(1);
  new DataView(v.buffer).setBigUint64(0, 0x7ff0000000000002n, true);
  return v;
})();

async function replayDecoded(dir: string): Promise<{ records: DecodedRecord[]; checkpoint: number | undefined }> {
  const records: DecodedRecord[] = [];
  const result = await replayWal(dir, (r) => void records.push(decodeRecord(r.data)), { logger: silentLogger() });
  assert.equal(result.repair, undefined);
  return { records, checkpoint: result.checkpoint };
}

describe("wal checkpoints", () => {
  it("keeps live series and recent samples, then deletes covered segments and older checkpoints", async (t) => {
    const dir = await tempDir(t);
    const opts = { logger: silentLogger(), clock: new ManualClock(0) };
    const w = await WalWriter.open({ dir, ...opts, segmentSize: 2 * PAGE_SIZE });
    // Segment s holds series 10s..10s+3 and one sample for each at times 100s..100s+3.
    for (let s = 0; s < 5; s++) {
      if (s > 0) await w.nextSegment();
      const refs = [0, 1, 2, 3].map((i) => 10 * s + i);
      await w.log([
        encodeSeries(refs.map((ref) => ({ ref, labels: Labels.fromRecord({ __name__: "m", ref: String(ref) }) }))),
        encodeSamples({ refs, timestamps: refs.map((r) => 100 * s + (r % 10)), values: Float64Array.from(refs) }),
        encodeTombstones([{ ref: refs[0] as number, mint: 0, maxt: 100 * s }]),
      ]);
    }
    await w.log([encodeSamples({ refs: [41], timestamps: [500], values: STALE })]);
    await w.close();

    const keep = (ref: number): boolean => ref % 2 === 1;
    const first = await checkpoint(dir, 0, 1, keep, 101, opts);
    assert.deepEqual(
      { ...first, deletedSegments: [...first.deletedSegments], deletedCheckpoints: [...first.deletedCheckpoints] },
      {
        index: 1,
        totalSeries: 8,
        droppedSeries: 4,
        totalSamples: 8,
        droppedSamples: 5,
        totalTombstones: 2,
        droppedTombstones: 2,
        droppedOtherRecords: 0,
        deletedSegments: [0, 1],
        deletedCheckpoints: [],
      },
    );
    assert.deepEqual((await readdir(dir)).sort(), ["00000002", "00000003", "00000004", "checkpoint.00000001"]);

    // A second checkpoint folds in the first; `from` below the first's end is moved past it.
    const second = await checkpoint(dir, 0, 3, keep, 301, opts);
    assert.equal(second.totalSeries, 4 + 8);
    assert.deepEqual(second.deletedSegments, [2, 3]);
    assert.deepEqual(second.deletedCheckpoints, [1]);
    assert.deepEqual((await readdir(dir)).sort(), ["00000004", "checkpoint.00000003"]);

    const { records, checkpoint: cp } = await replayDecoded(dir);
    assert.equal(cp, 3);
    const series = records.flatMap((r) => (r.type === "series" ? r.series.map((s) => s.ref) : []));
    assert.deepEqual(series, [1, 3, 11, 13, 21, 23, 31, 33, 40, 41, 42, 43]);
    const samples = records.flatMap((r) => (r.type === "samples" ? [...r.samples.timestamps] : []));
    assert.deepEqual(samples, [301, 302, 303, 400, 401, 402, 403, 500]);
    const last = records.at(-1);
    assert.ok(last?.type === "samples");
    assert.equal(new DataView(last.samples.values.buffer, last.samples.values.byteOffset).getBigUint64(0, true), 0x7ff0000000000002n);
    const stones = records.flatMap((r) => (r.type === "tombstones" ? r.tombstones.map((s) => s.maxt) : []));
    assert.deepEqual(stones, [400]);
  });

  it("removes stale temporary checkpoints and rejects a gap after the last checkpoint", async (t) => {
    const dir = await tempDir(t);
    const opts = { logger: silentLogger(), clock: new ManualClock(0) };
    const w = await WalWriter.open({ dir, ...opts, segmentSize: 2 * PAGE_SIZE });
    for (let s = 0; s < 4; s++) {
      if (s > 0) await w.nextSegment();
      await w.log([encodeSeries([{ ref: s, labels: Labels.fromRecord({ a: String(s) }) }])]);
    }
    await w.close();
    await mkdir(join(dir, "checkpoint.00000000.tmp"));
    await writeFile(join(dir, "checkpoint.00000000.tmp", "00000000"), "junk");
    await checkpoint(dir, 0, 0, () => true, 0, opts);
    assert.deepEqual((await readdir(dir)).sort(), ["00000001", "00000002", "00000003", "checkpoint.00000000"]);
    await assert.rejects(checkpoint(dir, 3, 3, () => true, 0, opts), { code: "wal_layout" });
  });
});
