// Shared fixtures of the db tests (not exported from index.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { Matcher } from "../../model/index.js";
import { ManualClock, silentLogger } from "../../runtime/index.js";
import type { Storage } from "../../storage/index.js";
import { TSDB, type TsdbOptions } from "./index.js";

/** A fresh temp directory removed after the test. */
export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-tsdb-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Opens a TSDB with a silent logger and a manual clock unless overridden. */
export function openTsdb(dir: string, extra: Partial<TsdbOptions> = {}): Promise<TSDB> {
  return TSDB.open({ dir, logger: silentLogger(), clock: new ManualClock(1_700_000_000_000), compaction: true, ...extra });
}

/** Every sample of every series as `labels → [t, v][]`, read through a fresh querier. */
export async function dumpStorage(db: Storage, mint = -(2 ** 53), maxt = 2 ** 53): Promise<Map<string, [number, number][]>> {
  const q = await db.querier(mint, maxt);
  try {
    const out = new Map<string, [number, number][]>();
    const set = q.select([new Matcher("=~", "__name__", ".*")]);
    while (set.next()) {
      const s = set.at();
      const it = s.iterator();
      const samples: [number, number][] = [];
      while (it.next()) samples.push([it.at(), it.value()]);
      out.set(s.labels.toString(), samples);
    }
    return out;
  } finally {
    await q.close();
  }
}
