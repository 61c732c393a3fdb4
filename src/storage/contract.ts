/**
 * The storage contract: behaviour every Storage must show, run by each implementation's tests
 * (MemoryStorage now, the TSDB later), as Thanos runs one acceptance suite over all its stores.
 * Only what `interface.ts` promises is checked; e.g. label names and values may include series
 * outside the queried range, because a block-based store answers them per block.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { Labels, Matcher, type MatchType } from "../model/index.js";
import { DuplicateSampleError, OutOfOrderSampleError } from "./errors.js";
import { isStaleNaN, staleNaN, type SeriesSet, type Storage } from "./interface.js";

type Sample = readonly [t: number, v: number];

interface Collected {
  readonly labels: string;
  readonly samples: Sample[];
}

/** Registers the contract's node:test cases for the storage `open` creates (a fresh one per case). */
export function runStorageContract(name: string, open: () => Promise<Storage>): void {
  describe(`storage contract: ${name}`, () => {
    let db: Storage;
    beforeEach(async () => {
      db = await open();
    });
    afterEach(async () => {
      await db.close();
    });

    const write = async (series: readonly (readonly [Record<string, string>, readonly Sample[]])[]) => {
      const app = db.appender();
      for (const [labels, samples] of series) {
        const ls = Labels.fromRecord(labels);
        let ref = 0;
        for (const [t, v] of samples) ref = app.append(ref, ls, t, v);
      }
      await app.commit();
    };
    const select = async (matchers: readonly Matcher[], mint = -1e15, maxt = 1e15) => {
      const q = await db.querier(mint, maxt);
      try {
        return collect(q.select(matchers));
      } finally {
        await q.close();
      }
    };
    const m = (type: MatchType, n: string, v: string) => new Matcher(type, n, v);

    it("makes samples visible on commit, not before", async () => {
      const app = db.appender();
      const ls = Labels.fromRecord({ __name__: "up", job: "a" });
      const ref = app.append(0, ls, 1000, 1);
      assert.notEqual(ref, 0);
      assert.equal(app.append(ref, ls, 2000, 0), ref, "the reference is stable for the same labels");
      assert.deepEqual(await select([m("=", "__name__", "up")]), []);
      await app.commit();
      assert.deepEqual(await select([m("=", "__name__", "up")]), [
        { labels: '{__name__="up", job="a"}', samples: [[1000, 1], [2000, 0]] },
      ]);
    });

    it("accepts a reference from an earlier appender", async () => {
      const ls = Labels.fromRecord({ __name__: "x" });
      const first = db.appender();
      const ref = first.append(0, ls, 1, 1);
      await first.commit();
      const second = db.appender();
      assert.equal(second.append(ref, ls, 2, 2), ref);
      await second.commit();
      assert.deepEqual((await select([m("=", "__name__", "x")]))[0]?.samples, [[1, 1], [2, 2]]);
    });

    it("discards a rolled back batch", async () => {
      const ls = Labels.fromRecord({ __name__: "x", a: "1" });
      const app = db.appender();
      app.append(0, ls, 10, 1);
      await app.rollback();
      assert.deepEqual(await select([m("=", "__name__", "x")]), []);
      assert.deepEqual(await (await db.querier(0, 100)).labelValues("a"), []);
      const again = db.appender();
      again.append(0, ls, 10, 2);
      await again.commit();
      assert.deepEqual((await select([m("=", "__name__", "x")]))[0]?.samples, [[10, 2]]);
    });

    it("returns series sorted by labels and samples sorted by time", async () => {
      await write([
        [{ __name__: "b", x: "1" }, [[5, 1]]],
        [{ __name__: "a", y: "1" }, [[5, 1]]],
        [{ __name__: "a", x: "2" }, [[5, 1]]],
        [{ __name__: "a", x: "10" }, [[5, 1]]],
        [{ __name__: "a" }, [[5, 1]]],
      ]);
      await write([[{ __name__: "a" }, [[6, 2], [7, 3]]]]);
      const got = await select([m("=~", "__name__", "a|b")]);
      assert.deepEqual(
        got.map((s) => s.labels),
        ['{__name__="a"}', '{__name__="a", x="10"}', '{__name__="a", x="2"}', '{__name__="a", y="1"}', '{__name__="b", x="1"}'],
      );
      assert.deepEqual(got[0]?.samples, [[5, 1], [6, 2], [7, 3]]);
    });

    describe("matchers", () => {
      const fixture: Record<string, string>[] = [
        { __name__: "m", job: "a", env: "prod" },
        { __name__: "m", job: "ab", env: "dev" },
        { __name__: "m", job: "b" },
        { __name__: "m", env: "prod" },
        { __name__: "other", job: "a" },
      ];
      // Indexes into `fixture` of the series each selector must return.
      const cases: [string, Matcher[], number[]][] = [
        ["=", [m("=", "job", "a")], [0, 4]],
        ["= and =", [m("=", "__name__", "m"), m("=", "job", "a")], [0]],
        ["= on a missing label name", [m("=", "nope", "x")], []],
        ["= on a missing value", [m("=", "job", "zzz")], []],
        ["!= keeps series without the label", [m("=", "__name__", "m"), m("!=", "job", "a")], [1, 2, 3]],
        ["!= on a missing label name keeps everything", [m("=", "__name__", "m"), m("!=", "nope", "x")], [0, 1, 2, 3]],
        ["=~ is anchored", [m("=~", "job", "a")], [0, 4]],
        ["=~ alternation", [m("=~", "job", "a|b")], [0, 2, 4]],
        ["=~ pattern", [m("=~", "job", "a.+")], [1]],
        ["=~ .+ requires the label", [m("=", "__name__", "m"), m("=~", "env", ".+")], [0, 1, 3]],
        ["=~ .* matches everything", [m("=", "__name__", "m"), m("=~", "env", ".*")], [0, 1, 2, 3]],
        ["!~", [m("=", "__name__", "m"), m("!~", "job", "a.*")], [2, 3]],
        ["!~ .* matches nothing", [m("=", "__name__", "m"), m("!~", "job", ".*")], []],
        ["!~ .+ selects series without the label", [m("=", "__name__", "m"), m("!~", "env", ".+")], [2]],
        ['="" selects series without the label', [m("=", "__name__", "m"), m("=", "env", "")], [2]],
        ['!="" requires the label', [m("!=", "env", "")], [0, 1, 3]],
        ["=~ matching empty or a value", [m("=", "__name__", "m"), m("=~", "env", "dev|")], [1, 2]],
        ["!~ matching empty", [m("=", "__name__", "m"), m("!~", "env", "prod")], [1, 2]],
        ["only empty-matching matchers", [m("=", "env", "")], [2, 4]],
        ["contradiction", [m("=", "job", "a"), m("=", "job", "b")], []],
        ["metric name regex", [m("=~", "__name__", "o.*")], [4]],
      ];
      for (const [title, matchers, want] of cases) {
        it(`${title}: ${matchers.join(", ")}`, async () => {
          await write(fixture.map((l, i) => [l, [[i + 1, i]]]));
          const got = await select(matchers);
          const expected = want.map((i) => Labels.fromRecord(fixture[i] as Record<string, string>));
          expected.sort((a, b) => a.compare(b));
          assert.deepEqual(got.map((s) => s.labels), expected.map(String));
        });
      }
    });

    it("lists label names and values, with and without matchers", async () => {
      await write([
        [{ __name__: "up", job: "a", zone: "z1" }, [[1, 1]]],
        [{ __name__: "up", job: "b" }, [[1, 1]]],
        [{ __name__: "down", job: "b", extra: "e" }, [[1, 1]]],
      ]);
      const q = await db.querier(0, 10);
      assert.deepEqual(await q.labelNames(), ["__name__", "extra", "job", "zone"]);
      assert.deepEqual(await q.labelNames([m("=", "__name__", "up")]), ["__name__", "job", "zone"]);
      assert.deepEqual(await q.labelNames([m("=", "job", "none")]), []);
      assert.deepEqual(await q.labelValues("job"), ["a", "b"]);
      assert.deepEqual(await q.labelValues("__name__"), ["down", "up"]);
      assert.deepEqual(await q.labelValues("job", [m("=", "__name__", "up"), m("!=", "zone", "z1")]), ["b"]);
      assert.deepEqual(await q.labelValues("zone", [m("=", "job", "b")]), []);
      assert.deepEqual(await q.labelValues("missing"), []);
      await q.close();
    });

    it("bounds the range inclusively at both ends", async () => {
      await write([
        [{ __name__: "s" }, [[10, 1], [20, 2], [30, 3], [40, 4], [50, 5]]],
        [{ __name__: "s", old: "1" }, [[1, 1], [9, 2]]],
      ]);
      assert.deepEqual(await select([m("=", "__name__", "s")], 20, 40), [
        { labels: '{__name__="s"}', samples: [[20, 2], [30, 3], [40, 4]] },
      ]);
      assert.deepEqual(await select([m("=", "__name__", "s")], 50, 50), [{ labels: '{__name__="s"}', samples: [[50, 5]] }]);
      assert.deepEqual(await select([m("=", "__name__", "s")], 41, 49), []);
      assert.equal((await select([m("=", "__name__", "s")], 9, 10)).length, 2);
    });

    it("rejects out-of-order and duplicate samples with Prometheus's reasons, keeping the rest of the batch", async () => {
      const ls = Labels.fromRecord({ __name__: "c" });
      await write([[{ __name__: "c" }, [[100, 1]]]]);
      const app = db.appender();
      assert.throws(() => app.append(0, ls, 99, 1), (e: unknown) => e instanceof OutOfOrderSampleError && e.message === "out of order sample");
      assert.throws(() => app.append(0, ls, 100, 2), (e: unknown) => e instanceof DuplicateSampleError && e.message === "duplicate sample for timestamp");
      app.append(0, ls, 100, 1);
      app.append(0, ls, 200, 2);
      assert.throws(() => app.append(0, ls, 150, 1), OutOfOrderSampleError, "checked against the batch too");
      assert.throws(() => app.append(0, ls, 200, 3), DuplicateSampleError);
      app.append(0, ls, 200, 2);
      app.append(0, ls, 300, 3);
      await app.commit();
      assert.deepEqual((await select([m("=", "__name__", "c")]))[0]?.samples, [[100, 1], [200, 2], [300, 3]]);
    });

    it("treats a NaN at an equal time as a duplicate unless its bits are the same", async () => {
      const ls = Labels.fromRecord({ __name__: "n" });
      const app = db.appender();
      app.append(0, ls, 1, NaN);
      app.append(0, ls, 1, NaN);
      assert.throws(() => app.append(0, ls, 1, staleNaN()), DuplicateSampleError);
      await app.commit();
    });

    it("seeks iterators forward only", async () => {
      await write([[{ __name__: "s" }, [[10, 1], [20, 2], [30, 3]]]]);
      const set = (await db.querier(0, 100)).select([m("=", "__name__", "s")]);
      assert.ok(set.next());
      const it1 = set.at().iterator();
      assert.ok(it1.seek(15), "seek before next starts the iterator");
      assert.deepEqual([it1.at(), it1.value()], [20, 2]);
      assert.ok(it1.seek(20));
      assert.equal(it1.at(), 20, "seek to the current time stays");
      assert.ok(it1.seek(5));
      assert.equal(it1.at(), 20, "seek never goes back");
      assert.ok(it1.next());
      assert.equal(it1.at(), 30);
      assert.equal(it1.seek(31), false);
      assert.equal(it1.next(), false);
      const it2 = set.at().iterator();
      assert.ok(it2.seek(10));
      assert.equal(it2.at(), 10, "each iterator() starts afresh");
      assert.equal(set.at().iterator().seek(1000), false);
      assert.equal(set.next(), false);
      assert.deepEqual([...set.warnings()], []);
    });

    it("round-trips staleness markers bit for bit", async () => {
      const ls = Labels.fromRecord({ __name__: "stale" });
      const app = db.appender();
      app.append(0, ls, 1, 5);
      app.append(0, ls, 2, staleNaN());
      app.append(0, ls, 3, NaN);
      app.append(0, ls, 4, 6);
      await app.commit();
      const set = (await db.querier(0, 10)).select([m("=", "__name__", "stale")]);
      assert.ok(set.next());
      const iter = set.at().iterator();
      const flags: [number, boolean, boolean][] = [];
      while (iter.next()) flags.push([iter.at(), Number.isNaN(iter.value()), isStaleNaN(iter.value())]);
      assert.deepEqual(flags, [
        [1, false, false],
        [2, true, true],
        [3, true, false],
        [4, false, false],
      ]);
    });

    it("handles many series", async () => {
      const app = db.appender();
      for (let i = 0; i < 3000; i++) {
        const ls = Labels.fromRecord({ __name__: "many", i: String(i), mod: String(i % 7) });
        for (let t = 0; t < 5; t++) app.append(0, ls, t * 1000, i + t);
      }
      await app.commit();
      const all = await select([m("=", "__name__", "many")]);
      assert.equal(all.length, 3000);
      for (let k = 1; k < all.length; k++) {
        const a = Labels.fromRecord({ i: String(all[k - 1]?.samples[0]?.[1]) });
        const b = Labels.fromRecord({ i: String(all[k]?.samples[0]?.[1]) });
        assert.ok(a.compare(b) < 0, "sorted by labels");
      }
      assert.equal((await select([m("=", "mod", "3"), m("=~", "i", "1.*")])).length, [...Array(3000).keys()].filter((i) => i % 7 === 3 && String(i).startsWith("1")).length);
      assert.equal((await (await db.querier(0, 4000)).labelValues("i")).length, 3000);
    });

    it("refuses appends after close", async () => {
      const app = db.appender();
      await db.close();
      assert.throws(() => app.append(0, Labels.fromRecord({ __name__: "x" }), 1, 1));
    });
  });
}

function collect(set: SeriesSet): Collected[] {
  const out: Collected[] = [];
  while (set.next()) {
    const s = set.at();
    const samples: Sample[] = [];
    const iter = s.iterator();
    while (iter.next()) samples.push([iter.at(), iter.value()]);
    out.push({ labels: s.labels.toString(), samples });
  }
  return out;
}
