import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { Journal, JournalClosedError, JournalCorruptError, JournalRecordTooLargeError, type JournalOptions, type OpenedJournal } from "./index.js";
import { segmentName, snapshotName } from "./files.js";
import { encodeFrame, encodeSegmentHeader } from "./segment-format.js";
import { encodeSnapshotFile } from "./snapshot-format.js";

type Rec = { n: number };
type State = number[];

const logger = pino({ level: "silent" });
const root = await mkdtemp(join(tmpdir(), "meridian-journal-"));
after(() => rm(root, { recursive: true, force: true }));

let dirs = 0;
function freshDir(): string {
  return join(root, `d${++dirs}`);
}

function recs(from: number, to: number): Rec[] {
  const out: Rec[] = [];
  for (let n = from; n <= to; n++) out.push({ n });
  return out;
}

function range(from: number, to: number): number[] {
  return recs(from, to).map((r) => r.n);
}

function open(dir: string, extra: Partial<JournalOptions<State>> = {}): Promise<OpenedJournal<State, Rec>> {
  return Journal.open<State, Rec>({ dir, logger, ...extra });
}

// Everything the journal holds, flattened: the snapshot's numbers followed by the replayed records.
function contents(opened: OpenedJournal<State, Rec>): number[] {
  return [...(opened.snapshot ?? []), ...opened.records.map((r) => r.n)];
}

// Opens, reads and closes again, for checks that need only what a reopen would see.
async function readAll(dir: string): Promise<number[]> {
  const opened = await open(dir);
  await opened.journal.close();
  return contents(opened);
}

async function writeSegment(dir: string, first: number, items: Rec[]): Promise<void> {
  const frames = items.map((r) => encodeFrame(Buffer.from(JSON.stringify(r))));
  await writeFile(join(dir, segmentName(first)), Buffer.concat([encodeSegmentHeader(first), ...frames]));
}

async function writeSnapshot(dir: string, index: number, state: State): Promise<void> {
  await writeFile(join(dir, snapshotName(index)), encodeSnapshotFile(index, Buffer.from(JSON.stringify(state))));
}

async function closedJournal(items: Rec[]): Promise<string> {
  const dir = freshDir();
  const { journal } = await open(dir);
  await journal.append(items);
  await journal.close();
  return dir;
}

describe("Journal", () => {
  it("replays appended records after close and reopen, continuing the index", async () => {
    const dir = freshDir();
    const first = await open(dir);
    assert.deepEqual([first.snapshot, first.records, first.lastIndex], [undefined, [], 0]);
    assert.equal(await first.journal.append(recs(1, 3)), 3);
    assert.equal(await first.journal.append([{ n: 4 }]), 4);
    await first.journal.close();

    const second = await open(dir);
    assert.deepEqual(second.records, recs(1, 4));
    assert.equal(second.lastIndex, 4);
    assert.equal(await second.journal.append([{ n: 5 }]), 5);
    await second.journal.close();
    assert.deepEqual(await readAll(dir), range(1, 5));
  });

  it("groups concurrent appends into few flushes and keeps call order", async () => {
    const dir = freshDir();
    const { journal } = await open(dir);
    const indexes = await Promise.all(recs(1, 200).map((r) => journal.append([r])));
    assert.deepEqual(indexes, range(1, 200));
    const stats = journal.stats();
    assert.equal(stats.appendedRecords, 200);
    assert.ok(stats.commits <= 5, `expected grouped commits, got ${stats.commits}`);
    assert.equal(await journal.append([]), 200);
    await journal.close();
    assert.deepEqual(await readAll(dir), range(1, 200));
  });

  it("cuts a torn last record at every byte offset down to exactly the complete records", async () => {
    const source = await closedJournal(recs(1, 3));
    const whole = await readFile(join(source, segmentName(1)));
    const lastFrame = encodeFrame(Buffer.from(JSON.stringify({ n: 3 }))).length;
    for (let cut = whole.length - lastFrame; cut < whole.length; cut++) {
      const dir = freshDir();
      await open(dir).then((o) => o.journal.close());
      await writeFile(join(dir, segmentName(1)), whole.subarray(0, cut));
      const opened = await open(dir);
      assert.deepEqual(opened.records, recs(1, 2), `cut at ${cut}`);
      assert.equal(opened.journal.stats().tornTails, cut === whole.length - lastFrame ? 0 : 1);
      // The repaired segment must take new records where the good ones end.
      await opened.journal.append([{ n: 3 }]);
      await opened.journal.close();
      assert.deepEqual(await readAll(dir), range(1, 3), `reappend after cut at ${cut}`);
    }
  });

  it("drops a last record whose checksum fails and counts it", async () => {
    const dir = await closedJournal(recs(1, 3));
    const path = join(dir, segmentName(1));
    const bytes = await readFile(path);
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] as number) ^ 0xff;
    await writeFile(path, bytes);
    const opened = await open(dir);
    assert.deepEqual(opened.records, recs(1, 2));
    assert.equal(opened.journal.stats().truncatedBytes, encodeFrame(Buffer.from('{"n":3}')).length);
    await opened.journal.close();
  });

  it("replays several segments in order", async () => {
    const dir = freshDir();
    await open(dir).then((o) => o.journal.close());
    await writeSegment(dir, 1, recs(1, 3));
    await writeSegment(dir, 4, recs(4, 6));
    await writeSegment(dir, 7, []);
    assert.deepEqual(await readAll(dir), range(1, 6));
  });

  const corruptCases: { name: string; damage: (dir: string) => Promise<void>; file: string; offset?: number }[] = [
    {
      name: "a flipped byte in a middle segment",
      damage: async (dir) => {
        const path = join(dir, segmentName(1));
        const bytes = await readFile(path);
        bytes[16 + 8 + 2] = 0x41;
        await writeFile(path, bytes);
      },
      file: segmentName(1),
      offset: 16,
    },
    {
      name: "a torn middle segment",
      damage: (dir) => truncate(join(dir, segmentName(1)), 40),
      file: segmentName(1),
      offset: 16 + 15,
    },
    {
      name: "a damaged header of a segment that holds records",
      damage: async (dir) => {
        const path = join(dir, segmentName(4));
        const bytes = await readFile(path);
        bytes[0] = 0;
        await writeFile(path, bytes);
      },
      file: segmentName(4),
    },
    { name: "a missing middle segment (gap)", damage: (dir) => rm(join(dir, segmentName(4))), file: segmentName(7) },
    { name: "a missing first segment without snapshot", damage: (dir) => rm(join(dir, segmentName(1))), file: segmentName(4) },
  ];
  for (const c of corruptCases) {
    it(`refuses to open with ${c.name}`, async () => {
      const dir = freshDir();
      await open(dir).then((o) => o.journal.close());
      await writeSegment(dir, 1, recs(1, 3));
      await writeSegment(dir, 4, recs(4, 6));
      await writeSegment(dir, 7, recs(7, 7));
      await c.damage(dir);
      const before = await readdir(dir);
      await assert.rejects(open(dir), (err: unknown) => {
        assert.ok(err instanceof JournalCorruptError, String(err));
        assert.equal(err.code, "journal_corrupt");
        assert.equal(err.file, join(dir, c.file));
        if (c.offset !== undefined) assert.equal(err.offset, c.offset);
        return true;
      });
      assert.deepEqual(await readdir(dir), before, "a refused open must not touch the files");
    });
  }

  it("replays a snapshot plus later records and deletes what the snapshot covers", async () => {
    const dir = freshDir();
    const { journal } = await open(dir);
    await journal.append(recs(1, 5));
    await journal.snapshot(range(1, 5));
    await journal.append(recs(6, 8));
    await journal.close();
    assert.deepEqual(await readdir(dir), [segmentName(6), snapshotName(5)]);

    const opened = await open(dir);
    assert.deepEqual(opened.snapshot, range(1, 5));
    assert.equal(opened.snapshotIndex, 5);
    assert.deepEqual(opened.records, recs(6, 8));
    assert.equal(opened.lastIndex, 8);
    await opened.journal.close();
  });

  it("takes a snapshot while appends continue, placing later records after it", async () => {
    const dir = freshDir();
    const { journal } = await open(dir);
    const state: number[] = [];
    const pending: Promise<unknown>[] = [];
    for (let n = 1; n <= 50; n++) {
      state.push(n);
      pending.push(journal.append([{ n }]));
      if (n % 7 === 0) pending.push(journal.snapshot([...state]));
    }
    await Promise.all(pending);
    await journal.close();
    const opened = await open(dir);
    assert.equal(opened.snapshotIndex, 49);
    assert.deepEqual(contents(opened), range(1, 50));
    await opened.journal.close();
  });

  it("snapshots automatically every N records", async () => {
    const dir = freshDir();
    const state: number[] = [];
    const { journal } = await open(dir, { snapshotEvery: 10, captureState: () => state });
    for (let n = 1; n <= 35; n++) {
      state.push(n);
      await journal.append([{ n }]);
    }
    await journal.close();
    assert.ok(journal.stats().snapshots >= 3, `snapshots: ${journal.stats().snapshots}`);
    const opened = await open(dir);
    assert.ok(opened.snapshotIndex >= 30);
    assert.deepEqual(contents(opened), range(1, 35));
    await opened.journal.close();
  });

  // Each state is what a crash leaves at one step of snapshot(range(1, 10)) after records 1..10.
  const crashSteps: { name: string; files: (bytes: { seg1: Buffer; seg11: Buffer; snap: Buffer }) => Record<string, Buffer>; snapshotIndex: number }[] = [];
  for (let k = 0; k <= 16; k++) {
    crashSteps.push({
      name: `new segment header torn at ${k} bytes`,
      files: (b) => ({ [segmentName(1)]: b.seg1, [segmentName(11)]: b.seg11.subarray(0, k) }),
      snapshotIndex: 0,
    });
  }
  crashSteps.push(
    {
      name: "snapshot temp file half written",
      files: (b) => ({ [segmentName(1)]: b.seg1, [segmentName(11)]: b.seg11, [snapshotName(10) + ".tmp"]: b.snap.subarray(0, 20) }),
      snapshotIndex: 0,
    },
    {
      name: "snapshot renamed, old segment not yet deleted",
      files: (b) => ({ [segmentName(1)]: b.seg1, [segmentName(11)]: b.seg11, [snapshotName(10)]: b.snap }),
      snapshotIndex: 10,
    },
    {
      name: "old segment deleted",
      files: (b) => ({ [segmentName(11)]: b.seg11, [snapshotName(10)]: b.snap }),
      snapshotIndex: 10,
    },
  );
  for (const step of crashSteps) {
    it(`recovers every record after a crash during a snapshot: ${step.name}`, async () => {
      const bytes = {
        seg1: await readFile(join(await closedJournal(recs(1, 10)), segmentName(1))),
        seg11: encodeSegmentHeader(11),
        snap: encodeSnapshotFile(10, Buffer.from(JSON.stringify(range(1, 10)))),
      };
      const dir = freshDir();
      await open(dir).then((o) => o.journal.close());
      await rm(join(dir, segmentName(1)));
      for (const [name, content] of Object.entries(step.files(bytes))) await writeFile(join(dir, name), content);

      const opened = await open(dir);
      assert.equal(opened.snapshotIndex, step.snapshotIndex);
      assert.deepEqual(contents(opened), range(1, 10));
      await opened.journal.append([{ n: 11 }]);
      await opened.journal.snapshot(range(1, 11));
      await opened.journal.append([{ n: 12 }]);
      await opened.journal.close();
      const again = await open(dir);
      assert.deepEqual(contents(again), range(1, 12));
      assert.deepEqual(await readdir(dir), [segmentName(12), snapshotName(11)]);
      await again.journal.close();
    });
  }

  it("falls back to an older snapshot when the newest is damaged and the log reaches back", async () => {
    const dir = freshDir();
    await open(dir).then((o) => o.journal.close());
    await rm(join(dir, segmentName(1)));
    await writeSnapshot(dir, 2, range(1, 2));
    await writeSegment(dir, 3, recs(3, 5));
    await writeSegment(dir, 6, recs(6, 6));
    await writeFile(join(dir, snapshotName(5)), Buffer.from("garbage that is not a snapshot at all"));
    const opened = await open(dir);
    assert.equal(opened.snapshotIndex, 2);
    assert.deepEqual(contents(opened), range(1, 6));
    assert.equal(opened.journal.stats().corruptSnapshots, 1);
    await opened.journal.close();
  });

  it("refuses to open when the only snapshot covering deleted segments is damaged", async () => {
    const dir = freshDir();
    await open(dir).then((o) => o.journal.close());
    await rm(join(dir, segmentName(1)));
    await writeSnapshot(dir, 5, range(1, 5));
    await writeSegment(dir, 6, recs(6, 7));
    const path = join(dir, snapshotName(5));
    const bytes = await readFile(path);
    bytes[bytes.length - 1] = 0x20;
    await writeFile(path, bytes);
    await assert.rejects(open(dir), (err: unknown) => err instanceof JournalCorruptError && /records 1\.\.5 are missing/.test(err.message));
  });

  it("refuses appends after close and records over the size limit", async () => {
    const dir = freshDir();
    const { journal } = await open(dir, { maxRecordBytes: 64 });
    await assert.rejects(journal.append([{ n: 1 }, { n: "x".repeat(100) as unknown as number }]), JournalRecordTooLargeError);
    assert.equal(journal.lastIndex, 0, "a refused batch must not use up indexes");
    await journal.close();
    await assert.rejects(journal.append([{ n: 1 }]), JournalClosedError);
    await assert.rejects(journal.snapshot([]), JournalClosedError);
  });

  it("leaves no trace of a snapshot aborted by its signal", async () => {
    const dir = freshDir();
    const { journal } = await open(dir);
    await journal.append(recs(1, 2));
    await assert.rejects(journal.snapshot(range(1, 2), AbortSignal.abort()), { name: "AbortError" });
    await journal.append([{ n: 3 }]);
    await journal.close();
    assert.equal(journal.stats().snapshotFailures, 1);
    assert.ok((await readdir(dir)).every((f) => !f.startsWith("snapshot-")));
    assert.deepEqual(await readAll(dir), range(1, 3));
  });
});
