// `meridian tsdb` against the golden output promtool 2.42 produced for the shared fixture blocks.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { testUlids } from "../block/testing.js";
import { tsdbFixturesDir } from "../testing/fixtures.js";
import { analyzeBlock, backfillOpenMetrics, DUMP_ALL_SERIES, dumpSamples, listBlocks, memorySink } from "./index.js";
import { assertSameAnalysis, listColumns } from "./testing.js";

const FIXTURES = ["small", "two-blocks"];
const INT64 = { min: -(2 ** 63), max: 2 ** 63 };

async function fixture(t: TestContext, name: string): Promise<string | undefined> {
  const root = tsdbFixturesDir(t);
  return root === undefined ? undefined : join(root, name);
}

async function golden(dir: string, file: string): Promise<string> {
  return readFile(join(dir, file), "utf8");
}

async function dump(dataDir: string, selector = DUMP_ALL_SERIES, mint = INT64.min, maxt = INT64.max): Promise<string> {
  const out = memorySink();
  await dumpSamples({ dataDir, mint, maxt, selector, out });
  return out.text;
}

describe("tsdb list, dump and analyze on promtool's blocks", () => {
  for (const name of FIXTURES) {
    it(`${name}: list prints list.txt byte for byte`, async (t) => {
      const dir = await fixture(t, name);
      if (dir === undefined) return;
      const out = memorySink();
      await listBlocks({ dataDir: join(dir, "data"), humanReadable: false, out });
      assert.equal(out.text, await golden(dir, "list.txt"));
    });

    it(`${name}: dump prints dump.txt byte for byte (NaN, ±Inf, -0, UTF-8 labels)`, async (t) => {
      const dir = await fixture(t, name);
      if (dir === undefined) return;
      assert.equal(await dump(join(dir, "data")), await golden(dir, "dump.txt"));
    });
  }

  it("list -r prints dates and KiB sizes in the same columns", async (t) => {
    const dir = await fixture(t, "two-blocks");
    if (dir === undefined) return;
    const out = memorySink();
    await listBlocks({ dataDir: join(dir, "data"), humanReadable: true, out });
    const lines = out.text.trimEnd().split("\n");
    assert.deepEqual(listColumns(lines[1] as string), [
      "01M87V9KMK734QVM0A1NPCEWVM",
      "2023-11-14 23:20:00 +0000 UTC",
      "2023-11-14 23:59:45 +0000 UTC",
      "39m45.001s",
      "349",
      "3",
      "3",
      "2KiB272B",
    ]);
    // Every row starts each column at the same offset.
    assert.equal(lines[0]?.indexOf("MAX TIME"), lines[2]?.indexOf("2023-11-15 00:34:45"));
  });

  it("dump --match, --min-time and --max-time select what promtool would", async (t) => {
    const dir = await fixture(t, "two-blocks");
    if (dir === undefined) return;
    const all = (await golden(dir, "dump.txt")).trimEnd().split("\n");
    const parsed = all.map((l) => ({ line: l, t: Number(l.slice(l.lastIndexOf(" ") + 1)) }));
    const cases: { selector: string; mint: number; maxt: number; keep: (l: string, t: number) => boolean }[] = [
      { selector: 'temperature{unit="°C"}', mint: INT64.min, maxt: INT64.max, keep: (l) => l.startsWith('{__name__="temperature"') },
      { selector: '{code=~"5.."}', mint: INT64.min, maxt: INT64.max, keep: (l) => l.includes('code="500"') },
      { selector: '{room=""}', mint: INT64.min, maxt: INT64.max, keep: (l) => !l.includes("room=") },
      // Both bounds are inclusive, and the range crosses the block boundary at 1700006400000.
      { selector: DUMP_ALL_SERIES, mint: 1700006385000, maxt: 1700006400000, keep: (_, ts) => ts >= 1700006385000 && ts <= 1700006400000 },
      { selector: "{}", mint: INT64.min, maxt: INT64.max, keep: () => false },
    ];
    for (const c of cases) {
      const want = parsed.filter((p) => c.keep(p.line, p.t)).map((p) => `${p.line}\n`).join("");
      assert.equal(await dump(join(dir, "data"), c.selector, c.mint, c.maxt), want, c.selector);
    }
  });

  it("analyze agrees with analyze-last-block.txt section by section (ties in any order)", async (t) => {
    const dir = await fixture(t, "two-blocks");
    if (dir === undefined) return;
    const want = await golden(dir, "analyze-last-block.txt");
    for (const blockId of [undefined, "01M87V9KNFB8S7ES1QG7JGJHJJ"]) {
      const out = memorySink();
      await analyzeBlock({ dataDir: join(dir, "data"), ...(blockId === undefined ? {} : { blockId }), limit: 20, extended: false, out });
      assertSameAnalysis(out.text, want);
      // Lists built from sorted label names keep that order for ties in promtool too, so they match exactly.
      const section = (text: string, title: string) => text.split(`${title}:\n`)[1]?.split("\n\n")[0];
      for (const title of ["Label names with highest cumulative label value length", "Highest cardinality labels"]) {
        assert.equal(section(out.text, title), section(want, title), title);
      }
    }
  });

  it("analyze --limit cuts every list", async (t) => {
    const dir = await fixture(t, "two-blocks");
    if (dir === undefined) return;
    const out = memorySink();
    await analyzeBlock({ dataDir: join(dir, "data"), limit: 1, extended: false, out });
    assert.match(out.text, /Highest cardinality metric names:\n2 http_requests_total\n$/);
    assert.match(out.text, /Most common label pairs:\n2 [^\n]+\n\n/);
  });
});

describe("tsdb create-blocks-from openmetrics on the fixtures' input.om", () => {
  for (const name of FIXTURES) {
    it(`${name}: our blocks dump to promtool's dump.txt, and the printed rows match promtool's but for ULID, chunks and size`, async (t) => {
      const dir = await fixture(t, name);
      if (dir === undefined) return;
      const out = await mkdtemp(join(tmpdir(), "meridian-backfill-"));
      try {
        const printed = memorySink();
        await backfillOpenMetrics({ inputFile: join(dir, "input.om"), outputDir: out, humanReadable: false, quiet: false, ulids: testUlids(), out: printed });
        assert.equal(await dump(out), await golden(dir, "dump.txt"));

        // promtool cuts head chunks by time and encodes them slightly differently, so chunk counts
        // and sizes may differ; what was stored (range, samples, series) must not.
        const ignore = (line: string) => listColumns(line).filter((_, i) => i !== 0 && i !== 5 && i !== 7);
        const mine = printed.text.trimEnd().split("\n");
        const theirs = (await golden(dir, "list.txt")).trimEnd().split("\n");
        assert.equal(mine[0], theirs[0]);
        assert.deepEqual(mine.slice(1).map(ignore), theirs.slice(1).map(ignore));

        const listed = memorySink();
        await listBlocks({ dataDir: out, humanReadable: false, out: listed });
        assert.equal(listed.text, printed.text, "create prints the rows list prints");
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    });
  }

  for (const name of FIXTURES) {
    it(`${name}: reading the input 7 bytes at a time (lines split across reads) writes and prints the same blocks`, async (t) => {
      const dir = await fixture(t, name);
      if (dir === undefined) return;
      const run = async (readChunkBytes?: number) => {
        const out = await mkdtemp(join(tmpdir(), "meridian-backfill-"));
        try {
          const printed = memorySink();
          await backfillOpenMetrics({ inputFile: join(dir, "input.om"), outputDir: out, humanReadable: false, quiet: false, ulids: testUlids(), out: printed, ...(readChunkBytes === undefined ? {} : { readChunkBytes }) });
          return { printed: printed.text, dumped: await dump(out) };
        } finally {
          await rm(out, { recursive: true, force: true });
        }
      };
      const small = await run(7);
      assert.deepEqual(small, await run());
      assert.equal(small.dumped, await golden(dir, "dump.txt"));
    });
  }

  it("-q prints nothing and --max-block-duration 24h makes one 18h-aligned block where 2h windows made two", async (t) => {
    const dir = await fixture(t, "two-blocks");
    if (dir === undefined) return;
    const out = await mkdtemp(join(tmpdir(), "meridian-backfill-"));
    try {
      const printed = memorySink();
      await backfillOpenMetrics({
        inputFile: join(dir, "input.om"),
        outputDir: out,
        maxBlockDurationMs: 24 * 3_600_000,
        humanReadable: false,
        quiet: true,
        ulids: testUlids(),
        out: printed,
      });
      assert.equal(printed.text, "");
      const listed = memorySink();
      await listBlocks({ dataDir: out, humanReadable: false, out: listed });
      const rows = listed.text.trimEnd().split("\n").slice(1).map(listColumns);
      assert.deepEqual(rows.map((r) => [r[1], r[2], r[4], r[6]]), [["1700004000000", "1700008485001", "650", "3"]]);
      assert.equal(await dump(out), await golden(dir, "dump.txt"));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
