import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { XorChunk } from "../chunkenc/index.js";
import { DecodeBuffer } from "../encoding/index.js";
import { memoryBlockFile, openLocalBlockFile, type SyncBlockFile } from "../files/index.js";
import { tsdbFixturesDir } from "../testing/fixtures.js";
import { ChunkReader, ChunkWriter, chunkRef, splitChunkRef } from "./index.js";

async function openSegments(dir: string): Promise<SyncBlockFile[]> {
  const names = (await readdir(dir)).sort();
  return Promise.all(names.map(async (n) => openLocalBlockFile(join(dir, n), n)));
}

describe("chunk segments", () => {
  it("writes segments with Prometheus's header and cuts them at the size limit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-chunks-"));
    try {
      const w = await ChunkWriter.create(join(dir, "chunks"), { segmentBytes: 70 });
      const payloads = Array.from({ length: 7 }, (_, i) => new Uint8Array(20 + i).fill(i));
      const refs: number[] = [];
      for (const p of payloads) refs.push(await w.write(1, p));
      await w.close();
      assert.deepEqual(await readdir(join(dir, "chunks")), ["000001", "000002", "000003", "000004"]);
      assert.equal(refs[0], 8, "the first chunk follows the 8-byte header");
      assert.deepEqual(splitChunkRef(refs[2] as number), { segment: 1, offset: 8 });
      assert.equal(chunkRef(3, 8), 3 * 2 ** 32 + 8);
      const head = await readFile(join(dir, "chunks", "000001"));
      assert.deepEqual([...head.subarray(0, 8)], [0x85, 0xbd, 0x40, 0xdd, 1, 0, 0, 0]);
      const segments = await openSegments(join(dir, "chunks"));
      const r = ChunkReader.open(segments);
      refs.forEach((ref, i) => assert.deepEqual(r.chunk(ref), { encoding: 1, data: payloads[i] }));
      await Promise.all(segments.map((s) => s.close()));

      // One flipped data byte must fail the checksum.
      const bad = Buffer.from(head);
      bad[12] = (bad[12] as number) ^ 1;
      await writeFile(join(dir, "bad"), bad);
      const badFile = await openLocalBlockFile(join(dir, "bad"));
      assert.throws(() => ChunkReader.open([badFile]).chunk(8), { code: "tsdb_corruption" });
      await badFile.close();
      assert.throws(() => ChunkReader.open([memoryBlockFile("x", new Uint8Array(8))]), { code: "tsdb_corruption" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("re-encodes every chunk promtool 2.42 wrote to identical bytes", async (t) => {
    const fixtures = tsdbFixturesDir(t);
    if (fixtures === undefined) return;
    let checked = 0;
    for (const fixture of ["small", "two-blocks"]) {
      const data = join(fixtures, fixture, "data");
      for (const block of await readdir(data)) {
        const bytes = await readFile(join(data, block, "chunks", "000001"));
        const reader = ChunkReader.open([memoryBlockFile("000001", bytes)]);
        let off = 8;
        while (off < bytes.length) {
          const d = new DecodeBuffer(bytes.subarray(off));
          const len = d.uvarint();
          const stored = reader.chunk(off);
          assert.equal(stored.encoding, 1);
          const mine = new XorChunk();
          const app = mine.appender();
          const it = XorChunk.fromBytes(stored.data).iterator();
          while (it.next()) app.append(it.at(), it.value());
          assert.deepEqual(Buffer.from(mine.bytes()), Buffer.from(stored.data), `${fixture}/${block} chunk at ${off}`);
          off += d.offset + 1 + len + 4;
          checked++;
        }
      }
    }
    assert.equal(checked, 3 + 3 + 4);
  });
});
