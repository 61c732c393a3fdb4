import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tsdbFixturesDir } from "../testing/fixtures.js";
import { addInterval, decodeTombstones, encodeTombstones, isDeleted } from "./index.js";

describe("tombstones", () => {
  it("writes the empty file as Prometheus does, and reads promtool's", async (t) => {
    assert.deepEqual([...encodeTombstones(new Map())], [0x01, 0x30, 0xba, 0x30, 0x01, 0, 0, 0, 0]);
    const fixtures = tsdbFixturesDir(t);
    if (fixtures === undefined) return;
    const data = join(fixtures, "small", "data");
    const [block] = await readdir(data);
    assert.equal(decodeTombstones(await readFile(join(data, block as string, "tombstones"))).size, 0);
  });

  it("round-trips intervals, negative times included, and merges overlaps", () => {
    const ts = new Map([
      [6, [{ mint: -5, maxt: 10 }]],
      [2, [{ mint: 100, maxt: 200 }, { mint: 300, maxt: 2 ** 45 }]],
    ]);
    assert.deepEqual(decodeTombstones(encodeTombstones(ts)), new Map([...ts].sort((a, b) => a[0] - b[0])));
    assert.deepEqual(addInterval([{ mint: 0, maxt: 5 }, { mint: 20, maxt: 30 }], { mint: 6, maxt: 19 }), [{ mint: 0, maxt: 30 }]);
    assert.deepEqual(addInterval([{ mint: 10, maxt: 20 }], { mint: 0, maxt: 5 }), [{ mint: 0, maxt: 5 }, { mint: 10, maxt: 20 }]);
    assert.ok(isDeleted([{ mint: 0, maxt: 5 }], 5));
    assert.ok(!isDeleted([{ mint: 0, maxt: 5 }], 6));
  });

  it("rejects a bad checksum or magic", () => {
    const b = encodeTombstones(new Map([[1, [{ mint: 1, maxt: 2 }]]]));
    const bad = b.slice();
    bad[6] = (bad[6] as number) ^ 1;
    assert.throws(() => decodeTombstones(bad), { code: "tsdb_corruption" });
    assert.throws(() => decodeTombstones(new Uint8Array(9)), { code: "tsdb_corruption" });
  });
});
