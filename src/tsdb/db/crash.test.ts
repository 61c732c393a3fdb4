import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { dumpStorage, openTsdb, tempDir } from "./test-helpers.js";

const WRITER = fileURLToPath(new URL("./testdata/crash-writer.js", import.meta.url));
const SERIES = 10;
const STEP = 100;
const RANGE = 10_000;

/** Runs the writer until it has acknowledged `acks` commits, SIGKILLs it, and returns the acknowledged ranges. */
async function runAndKill(dir: string, acks: number): Promise<[number, number][]> {
  const child = spawn(process.execPath, [WRITER, dir, String(RANGE)], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const acked: [number, number][] = [];
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const m = /^ack (\d+) (\d+)$/.exec(line);
    if (m === null) continue;
    acked.push([Number(m[1]), Number(m[2])]);
    if (acked.length === acks) child.kill("SIGKILL");
  }
  const code = await exited;
  assert.equal(code, null, "the writer died by the signal, not by an error");
  assert.ok(acked.length >= acks);
  return acked;
}

describe("tsdb crash safety", () => {
  it("keeps every acknowledged sample exactly once across SIGKILLs at varied points", async (t) => {
    const dir = await tempDir(t);
    const acked: [number, number][] = [];
    for (let round = 0; round < 12; round++) {
      // Varied kill points: right after start, mid-range, across several block cuts.
      acked.push(...(await runAndKill(dir, 1 + ((round * 37) % 90))));
      const db = await openTsdb(dir, { blockRangeMs: RANGE });
      try {
        const data = await dumpStorage(db);
        assert.equal(data.size, SERIES);
        for (const [labels, samples] of data) {
          const i = Number(/i="(\d+)"/.exec(labels)?.[1]);
          for (let k = 1; k < samples.length; k++) {
            assert.ok((samples[k] as [number, number])[0] > (samples[k - 1] as [number, number])[0], `${labels}: no sample twice, in order`);
          }
          const byTime = new Map(samples);
          for (const [first, last] of acked) {
            for (let ts = first; ts <= last; ts += STEP) assert.equal(byTime.get(ts), ts * 2 + i, `round ${round}: ${labels} lost acknowledged sample ${ts}`);
          }
        }
        assert.equal(db.stats().walSamplesWithoutSeries, 0);
        if (round === 11) assert.ok(db.blocks().length > 3, "kills also landed around block cuts and WAL checkpoints");
      } finally {
        await db.close();
      }
    }
    assert.ok(acked.length > 12);
  });
});
