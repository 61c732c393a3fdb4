import assert from "node:assert/strict";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ManualClock, silentLogger } from "../../runtime/index.js";
import { crc32c } from "../encoding/index.js";
import { WalCorruptionError } from "./errors.js";
import { FRAGMENT_HEADER_SIZE, PAGE_SIZE } from "./layout.js";
import { replayWal } from "./replay.js";
import { captureLogger, payload, readAll, tempDir } from "./test-helpers.js";
import { WalWriter } from "./writer.js";

async function writeLog(dir: string, groups: readonly (readonly Uint8Array[])[], segmentSize = 4 * PAGE_SIZE): Promise<void> {
  const w = await WalWriter.open({ dir, logger: silentLogger(), clock: new ManualClock(0), segmentSize });
  for (const [i, g] of groups.entries()) {
    if (i > 0) await w.nextSegment();
    await w.log(g);
  }
  await w.close();
}

async function replayAll(dir: string, logger = silentLogger()) {
  const seen: Uint8Array[] = [];
  const result = await replayWal(dir, (r) => void seen.push(r.data), { logger });
  return { seen, result };
}

describe("wal corruption and repair", () => {
  it("frames a record exactly as Prometheus does", async (t) => {
    const dir = await tempDir(t);
    await writeLog(dir, [[Buffer.from("abc")]]);
    const bytes = await readFile(join(dir, "00000000"));
    const crc = crc32c(Buffer.from("abc"));
    assert.deepEqual([...bytes.subarray(0, 10)], [1, 0, 3, crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff, 0x61, 0x62, 0x63]);
    assert.equal(bytes.length, PAGE_SIZE);
    assert.ok(bytes.subarray(10).every((b) => b === 0));
  });

  it("truncates a torn last record at every byte offset, and reports one record lost", async (t) => {
    const base = await tempDir(t);
    const src = join(base, "src");
    // The last record starts 100 bytes before a page boundary, so it has a first and a last fragment.
    const first = [payload(50, 1), payload(60, 2)];
    const filler = payload(PAGE_SIZE - 100 - FRAGMENT_HEADER_SIZE - 2 * FRAGMENT_HEADER_SIZE - 110, 3);
    const last = payload(300, 4);
    await writeLog(src, [[payload(10, 0)], [...first, filler, last]]);
    const seg1 = await readFile(join(src, "00000001"));
    const start = PAGE_SIZE - 100;
    const end = PAGE_SIZE + 2 * FRAGMENT_HEADER_SIZE + 300 - 100;
    assert.equal(seg1[start], 2, "first fragment where expected");
    assert.equal(seg1[PAGE_SIZE], 4, "last fragment opens the next page");
    const seg0 = await readFile(join(src, "00000000"));

    for (let cut = start; cut <= end; cut++) {
      const dir = join(base, `cut-${cut}`);
      await mkdir(dir);
      await writeFile(join(dir, "00000000"), seg0);
      await writeFile(join(dir, "00000001"), seg1.subarray(0, cut));
      const { seen, result } = await replayAll(dir);
      const whole = cut === start || cut === end;
      assert.equal(seen.length, whole && cut === end ? 5 : 4, `cut ${cut}`);
      if (whole) {
        assert.equal(result.repair, undefined, `cut ${cut}`);
      } else {
        assert.equal(result.repair?.kind, "torn-tail", `cut ${cut}`);
        assert.equal(result.repair?.segment, 1);
        assert.equal(result.repair?.truncatedAt, start, `cut ${cut}`);
        assert.equal(result.repair?.bytesLost, cut - start, `cut ${cut}`);
        assert.equal(result.repair?.recordsLost, 1, `cut ${cut}`);
        assert.deepEqual(result.repair?.deletedSegments, []);
        assert.equal((await stat(join(dir, "00000001"))).size, PAGE_SIZE, "padded to the page");
        const again = await replayAll(dir);
        assert.equal(again.seen.length, 4);
        assert.equal(again.result.repair, undefined);
      }
      await rm(dir, { recursive: true });
    }
  });

  it("reports a checksum mismatch with its position and repairs at the last good record", async (t) => {
    const dir = await tempDir(t);
    const recs = Array.from({ length: 10 }, (_, i) => payload(100, i));
    await writeLog(dir, [recs]);
    const path = join(dir, "00000000");
    const bytes = await readFile(path);
    const bad = 5 * (FRAGMENT_HEADER_SIZE + 100);
    const at = bad + FRAGMENT_HEADER_SIZE + 42;
    bytes[at] = (bytes[at] as number) ^ 0x01;
    await writeFile(path, bytes);

    await assert.rejects(readAll(dir), (err: unknown) => {
      assert.ok(err instanceof WalCorruptionError);
      assert.equal(err.code, "wal_corruption");
      assert.equal(err.segment, 0);
      assert.equal(err.offset, bad);
      assert.equal(err.lastGoodOffset, bad);
      assert.match(err.message, new RegExp(`corruption in segment .*/00000000 at ${bad}: unexpected checksum`));
      return true;
    });
    const { logger, lines } = captureLogger();
    const { seen, result } = await replayAll(dir, logger);
    assert.equal(seen.length, 5);
    assert.equal(result.repair?.kind, "torn-tail");
    assert.equal(result.repair?.recordsLost, 5, "the damaged record and the four readable after it");
    assert.ok(lines.some((l) => l.level === 40 && /torn/.test(l.msg)));
    assert.equal((await readAll(dir)).length, 5);
  });

  it("repairs corruption in a middle segment by deleting later segments, loudly", async (t) => {
    const dir = await tempDir(t);
    const groups = [0, 1, 2, 3].map((s) => Array.from({ length: 4 }, (_, i) => payload(200, s * 10 + i)));
    await writeLog(dir, groups);
    const path = join(dir, "00000001");
    const bytes = await readFile(path);
    const at = 2 * (FRAGMENT_HEADER_SIZE + 200) + FRAGMENT_HEADER_SIZE;
    bytes[at] = (bytes[at] as number) ^ 0xff;
    await writeFile(path, bytes);

    const { logger, lines } = captureLogger();
    const { seen, result } = await replayAll(dir, logger);
    assert.equal(seen.length, 4 + 2);
    assert.equal(result.repair?.kind, "mid-log");
    assert.deepEqual(result.repair?.deletedSegments.map((d) => [d.index, d.records]), [[2, 4], [3, 4]]);
    assert.equal(result.repair?.recordsLost, 2 + 8);
    assert.equal(result.repair?.bytesLost, PAGE_SIZE - 2 * (FRAGMENT_HEADER_SIZE + 200) + 2 * PAGE_SIZE);
    assert.deepEqual((await readdir(dir)).sort(), ["00000000", "00000001"]);
    const errors = lines.filter((l) => l.level === 50);
    assert.ok(errors.some((l) => /dropping all data after the corruption/.test(l.msg)));
    assert.deepEqual(errors.filter((l) => /deletes segment/.test(l.msg)).map((l) => l.segment), [2, 3]);

    // Writing resumes in a fresh segment after the repaired one, and everything reads back.
    const w = await WalWriter.open({ dir, logger, clock: new ManualClock(0), segmentSize: 4 * PAGE_SIZE });
    assert.equal(w.segment, 2);
    await w.log([payload(7, 99)]);
    await w.close();
    assert.equal((await readAll(dir)).length, 7);
  });

  it("rejects fragments out of order and junk in page padding", async (t) => {
    const dir = await tempDir(t);
    await writeLog(dir, [[payload(10, 1)]]);
    const path = join(dir, "00000000");
    const bytes = await readFile(path);
    bytes[500] = 7;
    await writeFile(path, bytes);
    await assert.rejects(readAll(dir), { code: "wal_corruption", offset: 500, reason: "unexpected non-zero byte in padded page" });
    const orphan = Buffer.alloc(PAGE_SIZE);
    orphan.set([4, 0, 0, 0, 0, 0, 0]);
    await writeFile(path, orphan);
    await assert.rejects(readAll(dir), { code: "wal_corruption", offset: 0, reason: "unexpected last fragment without a first fragment" });
  });

  it("refuses zstd records with a typed error instead of calling them corrupt", async (t) => {
    const dir = await tempDir(t);
    const page = Buffer.alloc(PAGE_SIZE);
    const data = Buffer.from("x");
    page.set([1 | 0x10, 0, 1]);
    page.writeUInt32BE(crc32c(data), 3);
    page.set(data, 7);
    await writeFile(join(dir, "00000000"), page);
    await assert.rejects(readAll(dir), { code: "wal_compression_unsupported" });
    await assert.rejects(replayAll(dir), { code: "wal_compression_unsupported" });
  });
});
