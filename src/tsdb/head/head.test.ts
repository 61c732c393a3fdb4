import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Labels, Matcher } from "../../model/index.js";
import { OutOfBoundsError, OutOfOrderSampleError, runStorageContract, type SeriesSet, type Storage } from "../../storage/index.js";
import { decodeRecord } from "../wal/index.js";
import { Head, type HeadLog } from "./index.js";

const HOUR = 3_600_000;

function headStorage(head: Head): Storage {
  return {
    appender: () => head.appender(),
    querier: async (mint, maxt) => head.querier(mint, maxt),
    close: async () => head.close(),
  };
}

runStorageContract("tsdb head", async () => headStorage(new Head({ chunkRange: 2 * HOUR })));

function collect(set: SeriesSet): [string, [number, number][]][] {
  const out: [string, [number, number][]][] = [];
  while (set.next()) {
    const it = set.at().iterator();
    const samples: [number, number][] = [];
    while (it.next()) samples.push([it.at(), it.value()]);
    out.push([set.at().labels.toString(), samples]);
  }
  return out;
}

const all = [new Matcher("=~", "__name__", ".+")];

describe("tsdb head", () => {
  it("cuts chunks at 120 samples and at chunk range boundaries", async () => {
    const head = new Head({ chunkRange: 1000 });
    const app = head.appender();
    const ls = Labels.fromRecord({ __name__: "c" });
    // 300 samples 1ms apart inside one range: 120 + 120 + 60.
    for (let t = 0; t < 300; t++) app.append(0, ls, t, t);
    // Crossing 1000 cuts even though the chunk holds only 2 samples.
    app.append(0, ls, 999, 1);
    app.append(0, ls, 1000, 2);
    await app.commit();
    assert.equal(head.stats().chunks, 4);
    const got = collect(head.querier(0, 2000).select(all));
    assert.equal(got[0]?.[1].length, 302);
    assert.deepEqual(got[0]?.[1].slice(-2), [[999, 1], [1000, 2]]);
  });

  it("counts rejected samples by reason", async () => {
    const head = new Head({ chunkRange: 2 * HOUR });
    const ls = Labels.fromRecord({ __name__: "x" });
    const app = head.appender();
    app.append(0, ls, 10 * HOUR, 1);
    await app.commit();
    const app2 = head.appender();
    assert.throws(() => app2.append(0, ls, 10 * HOUR - 1, 1), OutOfOrderSampleError);
    assert.throws(() => app2.append(0, ls, 10 * HOUR, 2), { code: "duplicate_sample" });
    assert.throws(() => app2.append(0, ls, 8 * HOUR, 2), OutOfBoundsError, "more than half a chunk range behind the newest sample");
    await app2.rollback();
    const s = head.stats();
    assert.deepEqual([s.outOfOrder, s.duplicate, s.outOfBounds], [1, 1, 1]);
  });

  it("logs series then samples before making them visible, each series once", async () => {
    const logged: Uint8Array[][] = [];
    let release: () => void = () => {};
    const wal: HeadLog = {
      log: (records) => {
        logged.push(records.map((r) => r.slice()));
        return new Promise((resolve) => (release = resolve));
      },
    };
    const head = new Head({ chunkRange: 2 * HOUR, wal });
    const ls = Labels.fromRecord({ __name__: "w", i: "1" });
    const app = head.appender();
    app.append(0, ls, 1, 1);
    app.append(0, ls, 2, 2);
    const committing = app.commit();
    await new Promise(setImmediate);
    assert.deepEqual(collect(head.querier(0, 10).select(all)), [], "not visible while the WAL write is pending");
    release();
    await committing;
    assert.equal(collect(head.querier(0, 10).select(all))[0]?.[1].length, 2);
    const app2 = head.appender();
    app2.append(0, ls, 3, 3);
    const second = app2.commit();
    release();
    await second;
    const kinds = logged.map((recs) => recs.map((r) => decodeRecord(r).type));
    assert.deepEqual(kinds, [["series", "samples"], ["samples"]]);
  });

  it("truncates whole chunks, collects empty series and refuses older samples", async () => {
    const head = new Head({ chunkRange: 100 });
    const app = head.appender();
    app.append(0, Labels.fromRecord({ __name__: "old" }), 10, 1);
    app.append(0, Labels.fromRecord({ __name__: "both" }), 50, 1);
    app.append(0, Labels.fromRecord({ __name__: "both" }), 150, 2);
    await app.commit();
    head.truncate(100);
    assert.equal(head.stats().series, 1);
    assert.equal(head.minTime, 150);
    assert.deepEqual(collect(head.querier(0, 1000).select(all)), [['{__name__="both"}', [[150, 2]]]]);
    assert.deepEqual(await head.querier(0, 1000).labelValues("__name__"), ["both"]);
    assert.throws(() => head.appender().append(0, Labels.fromRecord({ __name__: "new" }), 99, 1), OutOfBoundsError);
  });

  it("replays series and samples, aliasing a repeated series record", () => {
    const head = new Head({ chunkRange: 2 * HOUR });
    head.replaySeries(7, Labels.fromRecord({ __name__: "r" }));
    head.replaySeries(9, Labels.fromRecord({ __name__: "r" }));
    const unknown = head.replaySamples(Float64Array.of(7, 9, 3), Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3));
    assert.equal(unknown, 1);
    assert.ok(head.hasSeries(9));
    assert.deepEqual(collect(head.querier(0, 10).select(all)), [['{__name__="r"}', [[1, 1], [2, 2]]]]);
    const ref = head.appender().append(0, Labels.fromRecord({ __name__: "new" }), 5, 1);
    assert.equal(ref, 10, "new references follow the replayed ones");
  });
});
