import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { requirePeer } from "../../../test/peers/index.js";
import { writeBlock } from "./index.js";
import { awkwardSeries, dumpLines, testUlids } from "./testing.js";

const run = promisify(execFile);

async function promtool(...args: string[]): Promise<string> {
  const { stdout } = await run("promtool", args, { maxBuffer: 64 << 20 });
  return stdout;
}

// Checked against the real promtool (2.42 here): list, dump and analyze must load our blocks.
describe("blocks written by Meridian, read by promtool", () => {
  for (const labelIndices of [true, false]) {
    it(`list, dump and analyze agree with what was written (label indices: ${labelIndices})`, async (t) => {
      if (!requirePeer(t, "promtool", "prometheus")) return;
      const dir = await mkdtemp(join(tmpdir(), "meridian-promtool-"));
      try {
        const input = awkwardSeries();
        const written = await writeBlock(dir, input, { ulids: testUlids(), labelIndices });
        assert.ok(written);
        // promtool 2.42's dump opens the WAL directory and fails when it is missing.
        await mkdir(join(dir, "wal"));

        const sorted = [...input].sort((a, b) => a.labels.compare(b.labels));
        let i = -1;
        const want = dumpLines({ next: () => ++i < sorted.length, at: () => sorted[i] as (typeof sorted)[number], warnings: () => [] });
        const dump = (await promtool("tsdb", "dump", dir)).trimEnd().split("\n");
        assert.deepEqual(dump, want);
        assert.ok(want.some((l) => l.includes("°C") && l.includes(" -0 ")), "the comparison covers UTF-8 labels and -0");

        const rows = (await promtool("tsdb", "list", dir)).trimEnd().split("\n");
        assert.equal(rows.length, 2);
        const cols = (rows[1] as string).split(/\s+/);
        const { meta } = written;
        assert.deepEqual(
          [cols[0], cols[1], cols[2], cols[4], cols[5], cols[6]],
          [meta.ulid, meta.minTime, meta.maxTime, meta.stats.numSamples, meta.stats.numChunks, meta.stats.numSeries].map(String),
        );
        assert.equal(meta.stats.numSamples, 400 + 10 + 4 + 1);

        const analyze = await promtool("tsdb", "analyze", dir);
        assert.match(analyze, new RegExp(`Block ID: ${meta.ulid}`));
        assert.match(analyze, /Series: 4\n/);
        assert.match(analyze, /Label names: 6\n/);
        assert.match(analyze, /Highest cardinality metric names:\n2 temperature\n/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
