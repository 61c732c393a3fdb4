import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pollUntil } from "../peers/index.js";
import { runMeridian, startMeridian, within } from "./meridian-process.js";

interface TargetsAnswer {
  data: { activeTargets: { labels: Record<string, string>; health: string; lastScrape: string; scrapePool: string }[]; droppedTargets: { discoveredLabels: Record<string, string> }[] };
}

describe("meridian engine", () => {
  it("refuses to start with a bad prometheus.yml, naming the field and line", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-engine-bad-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "prometheus.yml");
    await writeFile(file, "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: a\n    scrape_intervall: 5s\n");
    const { code, output } = await runMeridian(["engine", "--config", file, "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data")]);
    assert.equal(code, 1);
    assert.match(output, /prometheus\.yml:5: field scrape_intervall not found/);
  });

  it("scrapes itself, serves targets and metadata, reloads a changed config and keeps a bad one out", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-engine-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "prometheus.yml");
    // The engine learns its own port only after start, so the first config scrapes nothing real.
    await writeFile(file, "global:\n  scrape_interval: 1s\nscrape_configs: []\n");
    const engine = await startMeridian(["engine", "--config", file, "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data")]);
    t.after(() => engine.kill());
    const self = new URL(engine.url).host;
    const targets = async () => (await (await fetch(`${engine.url}/api/v1/targets`)).json()) as TargetsAnswer;

    await writeFile(
      file,
      [
        "global:",
        "  scrape_interval: 1s",
        "scrape_configs:",
        "  - job_name: self",
        "    static_configs:",
        `      - targets: ["${self}"]`,
        "        labels: {team: core}",
        "  - job_name: dropped",
        "    static_configs:",
        '      - targets: ["drop.invalid:1"]',
        "    relabel_configs:",
        "      - {source_labels: [__address__], regex: 'drop.*', action: drop}",
        "",
      ].join("\n"),
    );
    const reload = await fetch(`${engine.url}/-/reload`, { method: "POST" });
    assert.equal(reload.status, 200, await reload.text());
    const up = await pollUntil(async () => {
      const a = await targets();
      const s = a.data.activeTargets.find((x) => x.scrapePool === "self");
      return s?.health === "up" ? a : undefined;
    }, { timeoutMs: 20_000, what: "the self target to be scraped" });
    assert.deepEqual(up.data.activeTargets.map((x) => x.labels), [{ instance: self, job: "self", team: "core" }]);
    assert.deepEqual(up.data.droppedTargets.map((x) => x.discoveredLabels["__address__"]), ["drop.invalid:1"]);

    const meta = (await (await fetch(`${engine.url}/api/v1/targets/metadata?metric=meridian_build_info&match_target=${encodeURIComponent('{job="self"}')}`)).json()) as {
      data: { target: Record<string, string>; metric: string; type: string; help: string }[];
    };
    assert.equal(meta.data.length, 1);
    assert.equal(meta.data[0]?.type, "gauge");
    assert.match(meta.data[0]?.help ?? "", /constant '1' value/);

    const series = (await (await fetch(`${engine.url}/api/v1/series?match[]=${encodeURIComponent('up{job="self"}')}`)).json()) as { data: Record<string, string>[] };
    assert.deepEqual(series.data, [{ __name__: "up", instance: self, job: "self", team: "core" }]);

    // A bad file is refused with its line; the running jobs stay.
    const before = (await targets()).data.activeTargets[0]?.lastScrape;
    await writeFile(file, "scrape_configs:\n  - job_name: self\n    relabel_configs:\n      - action: hashmod\n");
    const bad = await fetch(`${engine.url}/-/reload`, { method: "POST" });
    assert.equal(bad.status, 500);
    assert.match(await bad.text(), /prometheus\.yml:4/);
    await pollUntil(async () => ((await targets()).data.activeTargets[0]?.lastScrape ?? "") > (before ?? "") || undefined, { timeoutMs: 10_000, what: "scraping to go on" });

    // The admin API is off unless --web.enable-admin-api is given, as in Prometheus.
    const admin = await fetch(`${engine.url}/api/v1/admin/tsdb/snapshot`, { method: "POST" });
    assert.equal(admin.status, 503);
    assert.deepEqual(await admin.json(), { status: "error", errorType: "unavailable", error: "admin APIs disabled" });

    engine.child.kill("SIGTERM");
    assert.equal(await within(engine.exited(), 5000, "exit after SIGTERM"), 0);
  });

  it("serves the TSDB admin API with --web.enable-admin-api and keeps scraped data across a restart", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-engine-admin-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, "prometheus.yml");
    await writeFile(file, "global:\n  scrape_interval: 1s\nscrape_configs: []\n");
    const args = ["engine", "--config", file, "--listen", "127.0.0.1:0", "--data-dir", join(dir, "data"), "--web.enable-admin-api"];
    let engine = await startMeridian(args);
    t.after(() => engine.kill());
    const self = new URL(engine.url).host;
    await writeFile(file, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ["${self}"]\n`);
    assert.equal((await fetch(`${engine.url}/-/reload`, { method: "POST" })).status, 200);
    const series = async (url: string, match: string) =>
      ((await (await fetch(`${url}/api/v1/series?match[]=${encodeURIComponent(match)}`)).json()) as { data: unknown[] }).data;
    await pollUntil(async () => (await series(engine.url, 'up{job="self"}')).length === 1 || undefined, { timeoutMs: 20_000, what: "a scrape of itself" });

    const snap = await fetch(`${engine.url}/api/v1/admin/tsdb/snapshot`, { method: "POST" });
    assert.equal(snap.status, 200);
    assert.match(((await snap.json()) as { data: { name: string } }).data.name, /^\d{8}T\d{6}Z-[0-9a-f]{16}$/);
    const del = await fetch(`${engine.url}/api/v1/admin/tsdb/delete_series?match[]=${encodeURIComponent('{__name__="meridian_build_info"}')}`, { method: "POST" });
    assert.equal(del.status, 204);

    // kill -9 and restart: scraped series come back from the WAL; the deletion holds.
    engine.child.kill("SIGKILL");
    await engine.exited();
    await writeFile(file, "global:\n  scrape_interval: 1s\nscrape_configs: []\n");
    engine = await startMeridian(args);
    assert.equal((await series(engine.url, 'up{job="self"}')).length, 1);
    assert.deepEqual(await series(engine.url, "meridian_build_info"), []);
  });
});
