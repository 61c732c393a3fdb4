import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Labels, Matcher } from "../../model/index.js";
import { isStaleNaN, seriesFromSamples } from "../../storage/index.js";
import { IndexReader } from "../index/index.js";
import { encodeTombstones } from "../tombstones/index.js";
import { tsdbFixturesDir } from "../testing/fixtures.js";
import { memoryBlockFile } from "../files/index.js";
import { BlockReader, writeBlock } from "./index.js";
import { awkwardSeries, dumpAll, dumpLines, testUlids } from "./testing.js";

const all = [new Matcher("=~", "__name__", ".*")];

async function withTmp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-block-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("block reader", () => {
  for (const fixture of ["small", "two-blocks"]) {
    it(`reproduces promtool 2.42's dump and list of the ${fixture} fixture`, async (t) => {
      const fixtures = tsdbFixturesDir(t);
      if (fixtures === undefined) return;
      const data = join(fixtures, fixture, "data");
      const readers = await Promise.all((await readdir(data)).sort().map((b) => BlockReader.open(join(data, b))));
      try {
        const got = dumpAll(readers.map((r) => r.querier(-(2 ** 53), 2 ** 53).select(all)));
        const want = (await readFile(join(fixtures, fixture, "dump.txt"), "utf8")).trimEnd().split("\n");
        assert.deepEqual(got, want);
        const list = (await readFile(join(fixtures, fixture, "list.txt"), "utf8")).trimEnd().split("\n").slice(1);
        assert.deepEqual(
          readers.map((r) => [r.meta.ulid, r.meta.minTime, r.meta.maxTime, r.meta.stats.numSamples, r.meta.stats.numChunks, r.meta.stats.numSeries].join(" ")),
          list.map((row) => row.split(/\s+/).filter((_, i) => [0, 1, 2, 4, 5, 6].includes(i)).join(" ")),
        );
      } finally {
        await Promise.all(readers.map((r) => r.close()));
      }
    });
  }

  it("round-trips awkward data through writeBlock, bit for bit, from disk and from memory files", async () => {
    await withTmp(async (dir) => {
      const input = awkwardSeries();
      const written = await writeBlock(dir, input, { ulids: testUlids() });
      assert.ok(written !== undefined);
      assert.deepEqual(await readdir(dir), [written.meta.ulid]);
      assert.equal(written.meta.stats.numSeries, 4);
      assert.equal(written.meta.stats.numChunks, 4 + 3, "400 samples make 4 chunks of at most 120");
      const want = dumpLines(listOf(input));
      const reader = await BlockReader.open(written.dir);
      assert.deepEqual(dumpLines(reader.querier(-(2 ** 53), 2 ** 53).select(all)), want);
      await reader.close();

      const files = async (rel: string) => memoryBlockFile(rel, await readFile(join(written.dir, rel)));
      const mem = await BlockReader.open({
        meta: await files("meta.json"),
        index: await files("index"),
        chunks: [await files("chunks/000001")],
        tombstones: await files("tombstones"),
      });
      const set = mem.querier(-(2 ** 53), 2 ** 53).select([new Matcher("=", "__name__", "temperature"), new Matcher("=", "unit", "°C")]);
      assert.ok(set.next());
      const it = set.at().iterator();
      const stale: boolean[] = [];
      const negZero: boolean[] = [];
      while (it.next()) {
        stale.push(isStaleNaN(it.value()));
        negZero.push(Object.is(it.value(), -0));
      }
      assert.deepEqual(stale.map((s, i) => (s ? i : -1)).filter((i) => i >= 0), [4]);
      assert.deepEqual(negZero.map((s, i) => (s ? i : -1)).filter((i) => i >= 0), [3]);
      await mem.close();
    });
  });

  it("bounds the range inclusively, seeks, and applies tombstones", async () => {
    await withTmp(async (dir) => {
      const times = Array.from({ length: 300 }, (_, i) => i * 10);
      const written = await writeBlock(dir, [seriesFromSamples(Labels.fromRecord({ __name__: "s" }), times, times)], { ulids: testUlids() });
      assert.ok(written);
      const files = async (rel: string) => memoryBlockFile(rel, await readFile(join(written.dir, rel)));
      const open = async (tomb?: Uint8Array) =>
        BlockReader.open({
          meta: await files("meta.json"),
          index: await files("index"),
          chunks: [await files("chunks/000001")],
          ...(tomb ? { tombstones: memoryBlockFile("tombstones", tomb) } : {}),
        });
      const r = await open();
      const ts = (mint: number, maxt: number) => {
        const set = r.querier(mint, maxt).select(all);
        const out: number[] = [];
        while (set.next()) {
          const it = set.at().iterator();
          while (it.next()) out.push(it.at());
        }
        return out;
      };
      assert.deepEqual(ts(1195, 1220), [1200, 1210, 1220], "a range across the first chunk boundary");
      assert.deepEqual(ts(1201, 1209), [], "no series without a sample in range");
      assert.deepEqual(ts(2990, 5000), [2990]);
      const it = r.querier(0, 3000).select(all);
      assert.ok(it.next());
      const s = it.at().iterator();
      assert.ok(s.seek(2005));
      assert.equal(s.at(), 2010);
      assert.ok(s.seek(0));
      assert.equal(s.at(), 2010, "seek never goes back");
      assert.equal(s.seek(3001), false);
      assert.equal(s.next(), false);
      assert.deepEqual(await r.querier(0, 1).labelValues("__name__"), ["s"]);
      await r.close();

      const id = IndexReader.open(await readFile(join(written.dir, "index"))).allPostings()[0] as number;
      const tr = await open(encodeTombstones(new Map([[id, [{ mint: 0, maxt: 1195 }, { mint: 2000, maxt: 2990 }]]])));
      const set = tr.querier(0, 3000).select(all);
      assert.ok(set.next());
      const left: number[] = [];
      const iter = set.at().iterator();
      assert.ok(iter.seek(1900));
      do left.push(iter.at());
      while (iter.next());
      assert.deepEqual(left, Array.from({ length: 10 }, (_, i) => 1900 + i * 10));
      assert.equal(tr.querier(0, 1195).select(all).next(), false, "a fully deleted range yields no series");
      await tr.close();
    });
  });

  it("writes nothing for input without samples and refuses unsorted samples", async () => {
    await withTmp(async (dir) => {
      assert.equal(await writeBlock(dir, [seriesFromSamples(Labels.fromRecord({ a: "b" }), [], [])], { ulids: testUlids() }), undefined);
      await assert.rejects(writeBlock(dir, [seriesFromSamples(Labels.fromRecord({ a: "b" }), [2, 1], [1, 1])], { ulids: testUlids() }), {
        code: "tsdb_invalid_write",
      });
      assert.deepEqual(await readdir(dir), [], "no temporary directory is left behind");
    });
  });
});

function listOf(series: ReturnType<typeof awkwardSeries>) {
  const sorted = [...series].sort((a, b) => a.labels.compare(b.labels));
  let i = -1;
  return { next: () => ++i < sorted.length, at: () => sorted[i] as (typeof sorted)[number], warnings: () => [] };
}
