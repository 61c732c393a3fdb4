// Staleness end to end: when a series leaves a target's exposition, or the target itself leaves
// discovery, the engine writes staleness markers, so an instant query at a later time (well within
// the 5 m lookback) returns nothing for those series, while earlier times still see the values.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pollUntil } from "../peers/index.js";
import { exposition, startExporter } from "./loopback-exporters.js";
import { startMeridian } from "./meridian-process.js";

interface QueryAnswer {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[] };
}

describe("engine staleness", () => {
  it("a query after a series or its target disappears returns nothing for it", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-stale-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    let withSeries = true;
    const exporter = await startExporter(exposition(() => `stale_demo{kind="stays"} 1\n${withSeries ? 'stale_demo{kind="goes"} 2\n' : ""}`));
    t.after(() => exporter.close());
    const sdFile = join(dir, "targets.json");
    await writeFile(sdFile, JSON.stringify([{ targets: [exporter.address], labels: { env: "test" } }]));
    const config = join(dir, "prometheus.yml");
    await writeFile(
      config,
      ["global:", "  scrape_interval: 1s", "scrape_configs:", "  - job_name: demo", "    file_sd_configs:", `      - files: [${JSON.stringify(sdFile)}]`, "        refresh_interval: 1s", ""].join("\n"),
    );
    const engine = await startMeridian(["engine", "--config", config, "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data")]);
    t.after(() => engine.kill());
    const query = async (q: string, time: number): Promise<QueryAnswer> => {
      const res = await fetch(`${engine.url}/api/v1/query?query=${encodeURIComponent(q)}&time=${time / 1000}`);
      assert.equal(res.status, 200);
      return (await res.json()) as QueryAnswer;
    };
    const kinds = async (time: number): Promise<string[]> => (await query("stale_demo", time)).data.result.map((r) => r.metric["kind"] ?? "").sort();

    await pollUntil(async () => ((await kinds(Date.now())).length === 2 ? true : undefined), { timeoutMs: 20_000, what: "both series to be scraped" });
    const bothSeen = Date.now();

    // The series leaves the exposition: the next scrape marks it stale.
    withSeries = false;
    await pollUntil(async () => ((await kinds(Date.now())).join() === "stays" ? true : undefined), { timeoutMs: 20_000, what: "the dropped series to go stale" });
    const later = Date.now();
    assert.deepEqual(await kinds(later), ["stays"]);
    assert.deepEqual(await kinds(bothSeen), ["goes", "stays"], "the earlier time still sees the dropped series");

    // The target leaves discovery: its loop stops and marks every series it wrote stale.
    await writeFile(sdFile, "[]");
    await pollUntil(async () => ((await kinds(Date.now())).length === 0 ? true : undefined), { timeoutMs: 20_000, what: "the target's series to go stale" });
    assert.deepEqual(await kinds(Date.now()), []);
    assert.deepEqual(await kinds(later), ["stays"], "before the target left, its series answered");
    // The samples are still stored: a range selector over the last minute sees them.
    const range = await query('stale_demo{kind="stays"}[1m]', Date.now());
    assert.equal(range.data.resultType, "matrix");
    assert.ok((range.data.result[0]?.values?.length ?? 0) > 0);
    // And `up` for the target is stale too.
    assert.equal((await query('up{job="demo"}', Date.now())).data.result.length, 0);
  });
});
