// Appends per second through the registry journal with fsync "always", for 1 and 64 concurrent
// writers, showing what group commit buys. Run: npx tsc -p . && node dist/bench/journal-append.js
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { Journal } from "../src/registry/journal/index.js";

const DURATION_MS = 2000;
const record = { op: "register", node: "node-1", service: { id: "web-1", name: "web", port: 8080, tags: ["a", "b"] } };

async function run(writers: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-journal-bench-"));
  try {
    const { journal } = await Journal.open<unknown, typeof record>({ dir, logger: pino({ level: "silent" }), fsync: "always" });
    const deadline = performance.now() + DURATION_MS;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (performance.now() < deadline) await journal.append([record]);
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const { appendedRecords, commits } = journal.stats();
    await journal.close();
    console.log(
      `writers=${writers}\tappends/s=${Math.round(appendedRecords / seconds)}\tfsyncs/s=${Math.round(commits / seconds)}\trecords/fsync=${(appendedRecords / commits).toFixed(1)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

for (const writers of [1, 64]) await run(writers);
