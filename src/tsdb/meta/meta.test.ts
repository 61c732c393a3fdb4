import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { tsdbFixturesDir } from "../testing/fixtures.js";
import { UlidGenerator, encodeUlid, formatBlockMeta, parseBlockMeta, ulidTime } from "./index.js";

describe("block meta", () => {
  it("reads and rewrites promtool 2.42's meta.json byte for byte", async (t) => {
    const fixtures = tsdbFixturesDir(t);
    if (fixtures === undefined) return;
    const data = join(fixtures, "small", "data");
    const [block] = await readdir(data);
    const text = await readFile(join(data, block as string, "meta.json"), "utf8");
    const meta = parseBlockMeta(text);
    assert.equal(meta.ulid, block);
    assert.deepEqual(meta.stats, { numSamples: 9, numSeries: 3, numChunks: 3 });
    assert.equal(formatBlockMeta(meta), text);
  });

  it("keeps fields added by Thanos", () => {
    const text = formatBlockMeta({
      ulid: "01M87V94SCHVQ7WWT7C75FZACN",
      minTime: 0,
      maxTime: 1,
      stats: { numSamples: 0 },
      compaction: { level: 1, sources: [] },
      version: 1,
      extra: { thanos: { labels: { region: "eu" }, downsample: { resolution: 0 }, source: "sidecar" } },
    });
    const meta = parseBlockMeta(text);
    assert.deepEqual(meta.extra, { thanos: { labels: { region: "eu" }, downsample: { resolution: 0 }, source: "sidecar" } });
    assert.equal(formatBlockMeta(meta), text);
    assert.ok(!text.includes("stats") && !text.includes("sources"), "zeros and empty lists are left out");
    assert.throws(() => parseBlockMeta(text.replace('"version": 1', '"version": 2')), { code: "tsdb_corruption" });
  });

  it("makes ULIDs from an injected clock and randomness", () => {
    const gen = new UlidGenerator({ now: () => 1700000000000, random: (n) => new Uint8Array(n).fill(0xff) });
    const id = gen.next();
    assert.match(id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(ulidTime(id), 1700000000000);
    assert.ok(id.endsWith("ZZZZZZZZZZZZZZZZ"));
    assert.equal(encodeUlid(0, new Uint8Array(10)), "0".repeat(26));
    assert.equal(ulidTime("01M87V94SCHVQ7WWT7C75FZACN") > 1.6e12, true);
    assert.throws(() => ulidTime("not-a-ulid"), { code: "invalid_ulid" });
  });
});
