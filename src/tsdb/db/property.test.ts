import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { Labels, Matcher } from "../../model/index.js";
import { SampleRejectedError } from "../../storage/index.js";
import type { TSDB } from "./index.js";
import { dumpStorage, openTsdb, tempDir } from "./test-helpers.js";

const RANGE = 1000;
const SERIES = 4;

type Cmd =
  | { readonly kind: "append"; readonly series: number; readonly dt: number; readonly v: number }
  | { readonly kind: "delete"; readonly series: number; readonly back: number; readonly len: number }
  | { readonly kind: "compact" }
  | { readonly kind: "restart" };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 20, arbitrary: fc.record({ kind: fc.constant("append" as const), series: fc.nat(SERIES - 1), dt: fc.integer({ min: -400, max: 300 }), v: fc.integer({ min: -5, max: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), series: fc.nat(SERIES - 1), back: fc.nat(1500), len: fc.nat(800) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "compact" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "restart" as const }) },
);

const labelsOf = (k: number) => Labels.fromRecord({ __name__: "p", k: String(k) });

/** The naive model: every visible sample per series, and the newest time ever accepted. */
class Model {
  readonly samples = Array.from({ length: SERIES }, () => new Map<number, number>());
  readonly maxEver: number[] = new Array<number>(SERIES).fill(-Infinity);

  dump(): Map<string, [number, number][]> {
    const out = new Map<string, [number, number][]>();
    this.samples.forEach((m, k) => {
      if (m.size > 0) out.set(labelsOf(k).toString(), [...m].sort((a, b) => a[0] - b[0]));
    });
    return out;
  }
}

describe("tsdb property: random appends, deletions, compactions and restarts match a naive model", () => {
  it("agrees with the model after every step", async (t) => {
    const seen = { blocks: 0, levelCompactions: 0, deletesOverBlocks: 0, restarts: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 20, maxLength: 150 }), async (cmds) => {
        const dir = await tempDir(t);
        let db: TSDB = await openTsdb(dir, { blockRangeMs: RANGE });
        const model = new Model();
        let now = 10_000;
        try {
          for (const c of cmds) {
            switch (c.kind) {
              case "append": {
                now += 150;
                const ts = now + c.dt;
                const app = db.appender();
                try {
                  app.append(0, labelsOf(c.series), ts, c.v);
                } catch (err) {
                  assert.ok(err instanceof SampleRejectedError, `unexpected ${String(err)}`);
                  const last = model.maxEver[c.series] as number;
                  if (err.code === "out_of_order_sample") assert.ok(ts < last, `out of order at ${ts} but newest is ${last}`);
                  if (err.code === "duplicate_sample") assert.equal(ts, last);
                  await app.rollback();
                  seen.rejected++;
                  break;
                }
                await app.commit();
                model.samples[c.series]?.set(ts, c.v);
                model.maxEver[c.series] = Math.max(model.maxEver[c.series] as number, ts);
                break;
              }
              case "delete": {
                // Kept behind the series' newest sample, so later appends cannot fall inside the
                // interval (where head tombstones would hide them, which the model does not do).
                const maxt = (model.maxEver[c.series] as number) - c.back;
                if (!Number.isFinite(maxt)) break;
                const mint = maxt - c.len;
                if (db.blocks().some((b) => b.meta.minTime <= maxt)) seen.deletesOverBlocks++;
                await db.delete([new Matcher("=", "k", String(c.series))], mint, maxt);
                for (const ts of [...(model.samples[c.series]?.keys() ?? [])]) if (ts >= mint && ts <= maxt) model.samples[c.series]?.delete(ts);
                break;
              }
              case "compact":
                await db.compact();
                break;
              case "restart":
                seen.blocks = Math.max(seen.blocks, db.blocks().length);
                seen.levelCompactions += db.stats().levelCompactions;
                seen.restarts++;
                await db.close();
                db = await openTsdb(dir, { blockRangeMs: RANGE });
                break;
            }
            assert.deepEqual(await dumpStorage(db), model.dump(), `after ${JSON.stringify(c)}`);
          }
        } finally {
          seen.blocks = Math.max(seen.blocks, db.blocks().length);
          seen.levelCompactions += db.stats().levelCompactions;
          await db.close();
        }
      }),
      { numRuns: 25 },
    );
    for (const [what, n] of Object.entries(seen)) assert.ok(n > 0, `the runs exercised ${what}`);
  });
});
