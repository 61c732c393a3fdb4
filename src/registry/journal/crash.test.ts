import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { Journal } from "./index.js";

const writerPath = fileURLToPath(new URL("./testdata/writer.js", import.meta.url));
const logger = pino({ level: "silent" });
const root = await mkdtemp(join(tmpdir(), "meridian-journal-crash-"));
after(() => rm(root, { recursive: true, force: true }));

interface Round {
  /** Concurrent appenders in the child. */
  readonly writers: number;
  /** Automatic snapshot interval in records. */
  readonly snapshotEvery: number;
  /** Acknowledgements to wait for before killing (0 kills as soon as the journal is open). */
  readonly minAcks: number;
  /**
   * When set, wait past `minAcks` for an automatic snapshot to start, then for this many more
   * acknowledgements: appends go on during the snapshot, so this lands the kill inside its steps.
   */
  readonly afterSnap?: number;
}

// Runs the writer until the round's kill point, SIGKILLs it, and returns the highest index it
// acknowledged (reading on after the kill: anything printed before death was acknowledged).
async function killRound(dir: string, round: Round): Promise<number> {
  const child = spawn(process.execPath, [writerPath, dir, String(round.writers), String(round.snapshotEvery)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit");
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let acks = 0;
  let maxAck = 0;
  let killed = false;
  let sinceSnap: number | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.startsWith("ack ")) {
      acks++;
      maxAck = Math.max(maxAck, Number(line.slice(4)));
      if (sinceSnap !== undefined) sinceSnap++;
    }
    if (line === "snap" && acks >= round.minAcks) sinceSnap ??= 0;
    const due = acks >= round.minAcks && (round.afterSnap === undefined || (sinceSnap ?? -1) >= round.afterSnap);
    if (!killed && due) killed = child.kill("SIGKILL");
  }
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  assert.equal(signal, "SIGKILL", `writer exited on its own (code ${code}): ${stderr}`);
  return maxAck;
}

// Every round continues the same directory, so each one also replays what the previous kills left.
const rounds: Round[] = [
  { writers: 1, snapshotEvery: 0, minAcks: 150 },
  { writers: 1, snapshotEvery: 10, minAcks: 60, afterSnap: 1 },
  { writers: 1, snapshotEvery: 10, minAcks: 60, afterSnap: 2 },
  { writers: 16, snapshotEvery: 40, minAcks: 100, afterSnap: 0 },
  { writers: 4, snapshotEvery: 25, minAcks: 333 },
  { writers: 8, snapshotEvery: 20, minAcks: 100, afterSnap: 3 },
  { writers: 32, snapshotEvery: 10, minAcks: 200, afterSnap: 1 },
  { writers: 8, snapshotEvery: 0, minAcks: 0 },
  { writers: 2, snapshotEvery: 7, minAcks: 50, afterSnap: 2 },
];

describe("Journal under kill -9", () => {
  it("keeps every acknowledged record, in order, across repeated kills", { timeout: 20_000 }, async () => {
    const dir = join(root, "journal");
    let acknowledged = 0;
    for (const [i, round] of rounds.entries()) {
      acknowledged = Math.max(acknowledged, await killRound(dir, round));
      const opened = await Journal.open<number[], number>({ dir, logger });
      await opened.journal.close();
      const all = [...(opened.snapshot ?? []), ...opened.records];
      assert.ok(opened.lastIndex >= acknowledged, `round ${i}: last index ${opened.lastIndex} < acknowledged ${acknowledged}`);
      assert.equal(all.length, opened.lastIndex, `round ${i}: replayed ${all.length} values for index ${opened.lastIndex}`);
      all.forEach((v, j) => assert.equal(v, j + 1, `round ${i}: value at position ${j + 1}`));
    }
    assert.ok(acknowledged > 500, `only ${acknowledged} records were acknowledged`);
  });
});
