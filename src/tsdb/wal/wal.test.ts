import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ManualClock, silentLogger } from "../../runtime/index.js";
import { FRAGMENT_HEADER_SIZE, PAGE_SIZE } from "./layout.js";
import { WalReader } from "./reader.js";
import { payload, readAll, tempDir } from "./test-helpers.js";
import { WalWriter, type WalWriterOptions } from "./writer.js";

const SEGMENT = 4 * PAGE_SIZE;

function options(dir: string, extra: Partial<WalWriterOptions> = {}): WalWriterOptions {
  return { dir, logger: silentLogger(), clock: new ManualClock(0), segmentSize: SEGMENT, ...extra };
}

describe("wal writer and reader", () => {
  it("round-trips records that span pages and segments, never a record across segments", async (t) => {
    const dir = await tempDir(t);
    const sizes = [0, 1, 100, PAGE_SIZE - FRAGMENT_HEADER_SIZE, PAGE_SIZE - 2 * FRAGMENT_HEADER_SIZE - 3, PAGE_SIZE, 70_000, 5, 90_000, 5 * PAGE_SIZE, 12];
    const records = sizes.map((n, i) => payload(n, i));
    const w = await WalWriter.open(options(dir));
    await w.log(records.slice(0, 4));
    for (const r of records.slice(4)) await w.log([r]);
    await w.close();

    const names = (await readdir(dir)).sort();
    assert.ok(names.length >= 3, `expected several segments, got ${names.join(",")}`);
    for (const [i, name] of names.entries()) assert.equal(name, String(i).padStart(8, "0"));
    for (const name of names) assert.equal((await stat(join(dir, name))).size % PAGE_SIZE, 0, `${name} is padded to a page`);

    const back = await readAll(dir);
    assert.equal(back.length, records.length);
    back.forEach((r, i) => {
      assert.deepEqual(Buffer.from(r.data), Buffer.from(records[i] as Uint8Array), `record ${i}`);
      assert.ok(r.end > r.offset);
    });
    // Only a record larger than a whole segment overflows it (into a segment of its own), as in Prometheus.
    for (const r of back) assert.ok(r.end <= SEGMENT || (r.offset === 0 && r.data.length > SEGMENT), `record at ${r.segment}:${r.offset}`);
    assert.ok(back.some((r) => r.end > SEGMENT));
  });

  it("starts a new segment after the existing ones when reopened, and reads across both", async (t) => {
    const dir = await tempDir(t);
    const w1 = await WalWriter.open(options(dir));
    await w1.log([payload(10, 1)]);
    await w1.close();
    const w2 = await WalWriter.open(options(dir));
    assert.equal(w2.segment, 1);
    await w2.log([payload(20, 2)]);
    assert.equal(await w2.nextSegment(), 2);
    await w2.log([payload(30, 3)]);
    await w2.close();
    const back = await readAll(dir);
    assert.deepEqual(back.map((r) => [r.segment, r.data.length]), [[0, 10], [1, 20], [2, 30]]);
  });

  it("writes concurrent log calls as one group with one fsync under the always policy", async (t) => {
    const dir = await tempDir(t);
    const w = await WalWriter.open(options(dir, { fsync: "always" }));
    await w.log([payload(1, 0)]);
    const before = w.stats();
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.log([payload(100, i)])));
    const after = w.stats();
    // The first call of the burst starts a group; the other 49 queue behind it and form one more.
    assert.ok(after.writes - before.writes <= 2, `writes: ${after.writes - before.writes}`);
    assert.ok(after.fsyncs - before.fsyncs <= 2, `fsyncs: ${after.fsyncs - before.fsyncs}`);
    assert.equal(after.records, 51);
    await w.close();
    assert.equal((await readAll(dir)).length, 51);
  });

  it("fsyncs by interval using the injected clock, and never on append under never", async (t) => {
    const dir = await tempDir(t);
    const clock = new ManualClock(0);
    const w = await WalWriter.open(options(dir, { fsync: 60_000, clock }));
    await w.log([payload(5, 1)]);
    assert.equal(w.stats().fsyncs, 0);
    clock.advance(60_000);
    await w.log([payload(5, 2)]);
    assert.equal(w.stats().fsyncs, 1);
    await w.log([payload(5, 3)]);
    assert.equal(w.stats().fsyncs, 1);
    await w.close();

    const dir2 = await tempDir(t);
    const n = await WalWriter.open(options(dir2, { fsync: "never" }));
    for (let i = 0; i < 5; i++) await n.log([payload(5, i)]);
    assert.equal(n.stats().fsyncs, 0);
    await n.close();
    assert.equal(n.stats().fsyncs, 1, "close makes the segment durable");
  });

  it("leaves the last page partial while open, so a reader sees records already written", async (t) => {
    const dir = await tempDir(t);
    const w = await WalWriter.open(options(dir));
    await w.log([payload(10, 1), payload(20, 2)]);
    assert.equal((await readFile(join(dir, "00000000"))).length, 2 * FRAGMENT_HEADER_SIZE + 30);
    assert.equal((await readAll(dir)).length, 2);
    await w.close();
    await assert.rejects(w.log([payload(1, 1)]), { code: "wal_write" });
  });

  it("honours abort signals before a group is written", async (t) => {
    const dir = await tempDir(t);
    const w = await WalWriter.open(options(dir));
    const ac = new AbortController();
    ac.abort(new Error("stop"));
    await assert.rejects(w.log([payload(1, 1)], ac.signal), /stop/);
    await assert.rejects(w.sync(ac.signal), /stop/);
    const reader = await WalReader.open(dir);
    await assert.rejects(async () => {
      for await (const _ of reader.records(ac.signal)) void _;
    }, /stop/);
    await w.close();
  });

  it("rejects a segment size that is not a multiple of the page size", async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(WalWriter.open(options(dir, { segmentSize: PAGE_SIZE + 1 })), { code: "wal_write" });
  });

  it("reads back any sequence of records written in any grouping (property)", async (t) => {
    const base = await tempDir(t);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.oneof(fc.nat({ max: 64 }), fc.nat({ max: 3 * PAGE_SIZE })), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (groups, cutBetween) => {
          const dir = join(base, String(run++));
          const w = await WalWriter.open(options(dir, { segmentSize: 2 * PAGE_SIZE }));
          const expected: Uint8Array[] = [];
          let seed = 0;
          for (const g of groups) {
            const recs = g.map((n) => payload(n, seed++));
            expected.push(...recs);
            await w.log(recs);
            if (cutBetween) await w.nextSegment();
          }
          await w.close();
          const back = await readAll(dir);
          assert.equal(back.length, expected.length);
          back.forEach((r, i) => assert.ok(Buffer.from(r.data).equals(expected[i] as Uint8Array), `record ${i}`));
        },
      ),
      { numRuns: 40 },
    );
  });
});
