import assert from "node:assert/strict";
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { Registry } from "prom-client";
import { discovererContract, GroupCollector } from "../discoverer-contract.js";
import { DiscoveryConfigError } from "../errors.js";
import { createDiscoveryMetrics } from "../metrics.js";
import { ManualTimers, observedLogger } from "../testing.js";
import type { FileSDConfig } from "../types.js";
import { fileDiscoverer, type FileDiscovererDeps } from "./discoverer.js";

const HOUR = 3_600_000;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-file-sd-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// Writes through a rename, as config management tools do, so readers never see a half-written file.
async function put(path: string, content: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, typeof content === "string" ? content : JSON.stringify(content));
  await rename(`${path}.tmp`, path);
}

function run(t: TestContext, config: FileSDConfig, deps: FileDiscovererDeps): GroupCollector {
  const collector = new GroupCollector();
  const controller = new AbortController();
  const done = fileDiscoverer(config, deps).run(controller.signal, collector.emit);
  t.after(async () => {
    controller.abort();
    await done;
  });
  return collector;
}

// Files are written in place (not renamed) here, so the discoverer also meets half-written files.
discovererContract("fileDiscoverer", {
  async create(initial) {
    const dir = await mkdtemp(join(tmpdir(), "meridian-file-sd-contract-"));
    const { logger, next } = observedLogger();
    const path = (key: string) => join(dir, `${key}.json`);
    const contents = new Map<string, string>();
    const write = async (key: string, address: string) => {
      contents.set(key, address);
      await writeFile(path(key), JSON.stringify([{ targets: [address], labels: { key } }]));
    };
    for (const [k, a] of Object.entries(initial)) await write(k, a);
    return {
      // A refresh interval of an hour: only the directory watch can make these tests pass.
      discoverer: fileDiscoverer({ files: [join(dir, "*.json")], refreshIntervalMs: HOUR }, { logger }),
      sourceOf: (key) => `${path(key)}:0`,
      set: write,
      remove: (key) => unlink(path(key)),
      async fail() {
        const failed = next("file_sd file read failed");
        for (const key of contents.keys()) await writeFile(path(key), "{ not json");
        await failed;
      },
      async recover() {
        for (const [k, a] of contents) await write(k, a);
      },
      close: () => rm(dir, { recursive: true, force: true }),
    };
  },
});

describe("fileDiscoverer", () => {
  it("reads JSON and YAML files matching globs, with __meta_filepath and <path>:<index> sources", async (t) => {
    const dir = await tempDir(t);
    await put(join(dir, "a.json"), [{ targets: ["10.0.0.1:9100", "10.0.0.2:9100"], labels: { env: "prod" } }, { targets: ["10.0.0.3:9100"] }]);
    await put(join(dir, "b.yml"), "- targets: ['db:5432']\n  labels:\n    port: 5432\n    tls: true\n");
    await put(join(dir, "c.yaml"), "- targets: [cache:6379]\n");
    await put(join(dir, "ignored.txt"), "not a target file");
    await mkdir(join(dir, "sub"));
    await put(join(dir, "sub", "nested.json"), [{ targets: ["nested:1"] }]);
    const collector = run(t, { files: [join(dir, "*.json"), join(dir, "*.yml"), join(dir, "c.yaml")], refreshIntervalMs: HOUR }, { logger: observedLogger().logger });
    await collector.waitFor(() => collector.history.length > 0, "the first emit");
    assert.deepEqual(collector.history[0], [
      { source: `${dir}/a.json:0`, targets: [{ __address__: "10.0.0.1:9100" }, { __address__: "10.0.0.2:9100" }], labels: { env: "prod", __meta_filepath: `${dir}/a.json` } },
      { source: `${dir}/a.json:1`, targets: [{ __address__: "10.0.0.3:9100" }], labels: { __meta_filepath: `${dir}/a.json` } },
      { source: `${dir}/b.yml:0`, targets: [{ __address__: "db:5432" }], labels: { port: "5432", tls: "true", __meta_filepath: `${dir}/b.yml` } },
      { source: `${dir}/c.yaml:0`, targets: [{ __address__: "cache:6379" }], labels: { __meta_filepath: `${dir}/c.yaml` } },
    ]);
  });

  it("re-emits only the file that changed, and clears groups a file no longer has", async (t) => {
    const dir = await tempDir(t);
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    await put(a, [{ targets: ["a:1"] }, { targets: ["a:2"] }]);
    await put(b, [{ targets: ["b:1"] }]);
    const collector = run(t, { files: [join(dir, "*.json")], refreshIntervalMs: HOUR }, { logger: observedLogger().logger });
    await collector.waitFor(() => collector.state.size === 3, "three groups");
    const seen = collector.history.length;
    await put(a, [{ targets: ["a:3"] }]);
    await collector.waitFor(() => collector.addresses(`${a}:0`).join() === "a:3" && collector.state.get(`${a}:1`)?.targets.length === 0, "a shrunk to one group");
    const batches = collector.history.slice(seen);
    assert.ok(batches.every((batch) => batch.every((g) => g.source.startsWith(a))), `unchanged b.json was not re-emitted: ${JSON.stringify(batches)}`);
  });

  it("keeps an invalid file's previous groups, logging and counting the error, and takes it back once fixed", async (t) => {
    const dir = await tempDir(t);
    const a = join(dir, "a.yaml");
    await put(a, "- targets: ['a:1']\n");
    const { logger, next, lines } = observedLogger();
    const registry = new Registry();
    const collector = run(t, { files: [join(dir, "*.yaml")], refreshIntervalMs: HOUR }, { logger, metrics: createDiscoveryMetrics(registry) });
    await collector.waitFor(() => collector.addresses(`${a}:0`).length === 1, "the first group");
    const failed = next("file_sd file read failed");
    await put(a, "- targets: ['a:2']\n  labels: {'bad-name': x}\n  extra: 1\n");
    await failed;
    assert.deepEqual(collector.addresses(`${a}:0`), ["a:1"]);
    assert.match(JSON.stringify(lines.at(-1)), /unknown field \\"extra\\"/);
    assert.match(await registry.metrics(), /prometheus_sd_file_read_errors_total 1/);
    await put(a, "- targets: ['a:2']\n");
    await collector.waitFor(() => collector.addresses(`${a}:0`).join() === "a:2", "the fixed file");
  });

  it("rejects a file with an invalid label name under the legacy scheme, and an empty one under utf8", async (t) => {
    const dir = await tempDir(t);
    await put(join(dir, "legacy.json"), [{ targets: ["x:1"], labels: { "bad-name": "v" } }]);
    await put(join(dir, "utf8.json"), [{ targets: ["y:1"], labels: { "": "v" } }]);
    await put(join(dir, "ok.json"), [{ targets: ["z:1"], labels: { "dotted.name": "v" } }]);
    const legacy = observedLogger();
    const l = run(t, { files: [join(dir, "legacy.json"), join(dir, "ok.json")], refreshIntervalMs: HOUR }, { logger: legacy.logger, validationScheme: "legacy" });
    await l.waitFor(() => l.history.length > 0, "the first emit");
    assert.deepEqual([...l.state.keys()], [], "both rejected: dotted.name is not a legacy name either");
    assert.equal(legacy.lines.filter((x) => x.msg.includes("read failed")).length, 2);
    assert.match(JSON.stringify(legacy.lines[0]), /\\"bad-name\\" is not a valid label name/);
    const u = run(t, { files: [join(dir, "utf8.json"), join(dir, "ok.json")], refreshIntervalMs: HOUR }, { logger: observedLogger().logger });
    await u.waitFor(() => u.history.length > 0, "the first emit");
    assert.deepEqual([...u.state.keys()], [`${dir}/ok.json:0`]);
    assert.equal(u.state.get(`${dir}/ok.json:0`)?.labels["dotted.name"], "v");
  });

  it("clears every group of a deleted file and sees a new file appear", async (t) => {
    const dir = await tempDir(t);
    const a = join(dir, "a.json");
    await put(a, [{ targets: ["a:1"] }, { targets: ["a:2"] }]);
    const collector = run(t, { files: [join(dir, "*.json")], refreshIntervalMs: HOUR }, { logger: observedLogger().logger });
    await collector.waitFor(() => collector.state.size === 2, "two groups");
    await unlink(a);
    await collector.waitFor(() => [...collector.state.values()].every((g) => g.targets.length === 0), "both groups cleared");
    assert.deepEqual([...collector.state.keys()].sort(), [`${a}:0`, `${a}:1`]);
    await put(join(dir, "new.json"), [{ targets: ["n:1"] }]);
    await collector.waitFor(() => collector.addresses(`${dir}/new.json:0`).join() === "n:1", "the new file");
  });

  it("falls back to the refresh interval for a directory it cannot watch yet", async (t) => {
    const dir = await tempDir(t);
    const later = join(dir, "later");
    const timers = new ManualTimers();
    const collector = run(t, { files: [join(later, "*.json")], refreshIntervalMs: 30_000 }, { logger: observedLogger().logger, timers });
    await collector.waitFor(() => collector.history.length === 1, "the first, empty emit");
    assert.deepEqual(collector.history[0], []);
    await mkdir(later);
    await put(join(later, "x.json"), [{ targets: ["x:1"] }]);
    assert.equal(timers.waiting, 1);
    timers.fire(30_000);
    await collector.waitFor(() => collector.addresses(`${later}/x.json:0`).join() === "x:1", "the file found on the interval");
    // The directory is watched from then on: a change arrives without another tick.
    await put(join(later, "x.json"), [{ targets: ["x:2"] }]);
    await collector.waitFor(() => collector.addresses(`${later}/x.json:0`).join() === "x:2", "the change seen through the new watch");
  });

  it("refuses patterns Prometheus refuses", () => {
    const deps = { logger: observedLogger().logger };
    for (const files of [["targets.txt"], ["dir*/x.json"], ["*/x.yml"]]) {
      assert.throws(() => fileDiscoverer({ files, refreshIntervalMs: HOUR }, deps), DiscoveryConfigError, files[0]);
    }
    fileDiscoverer({ files: ["a/b/*.json", "c.YAML", "x*y*.yml"], refreshIntervalMs: HOUR }, deps);
  });
});
