import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, it } from "node:test";
import { buildGoProgram } from "../../../test/e2e/go-program.js";
import { GroupCollector } from "../discoverer-contract.js";
import { observedLogger } from "../testing.js";
import type { TargetGroup } from "../types.js";
import { consulDiscoverer } from "./discoverer.js";
import { startRegistry } from "./test-registry.js";

interface FileTarget {
  targets: string[];
  labels: Record<string, string>;
}

// The shape test/e2e/prom-consul-sd prints: one entry per target, group labels merged in. Empty
// values are dropped: Prometheus sets the Enterprise-only labels to "", which it treats as unset.
function normalize(entries: FileTarget[]): FileTarget[] {
  return entries
    .map((e) => ({ targets: e.targets, labels: Object.fromEntries(Object.entries(e.labels).filter(([, v]) => v !== "")) }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function flatten(groups: Iterable<TargetGroup>): FileTarget[] {
  const out: FileTarget[] = [];
  for (const g of groups) {
    for (const t of g.targets) {
      const { __address__: address, ...rest } = { ...g.labels, ...t };
      out.push({ targets: [address ?? ""], labels: rest });
    }
  }
  return normalize(out);
}

describe("consulDiscoverer matches Prometheus 2.42's own Consul discovery", () => {
  it("produces the same targets and labels from the same registry", async (t) => {
    const bin = await buildGoProgram(t, "prom-consul-sd");
    if (!bin) return;
    const registry = await startRegistry(t, { nodeMeta: { rack: "r1", "zone.name": "z1" } });
    const c = registry.client;
    await c.registerService({ ID: "web-a", Name: "web", Tags: ["prod", "v1"], Address: "127.0.0.1", Port: 8080, Meta: { team: "core", "build-id": "42", "ünï": "x" }, Check: { CheckID: "a", TTL: "1h", Status: "passing" } });
    await c.registerService({ ID: "web-b", Name: "web", Tags: ["prod"], Port: 8081, Check: { CheckID: "b", TTL: "1h", Status: "critical" } });
    await c.registerService({ ID: "web-c", Name: "web", Address: "::1", Port: 8082, Check: { CheckID: "c", TTL: "1h", Status: "warning" } });
    await c.registerService({ ID: "db-1", Name: "db", Tags: ["prod"], Port: 5432 });
    await c.registerService({ ID: "batch-1", Name: "batch", Tags: ["dev"], Port: 7000 });

    const dir = await mkdtemp(join(tmpdir(), "meridian-sd-diff-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const cases = [
      { name: "all", targets: 5, yaml: { server: registry.server, refresh_interval: "1s", tag_separator: "|" }, ours: {} },
      { name: "prod", targets: 3, yaml: { server: registry.server, refresh_interval: "1s", tags: ["prod"], node_meta: { rack: "r1" } }, ours: { tags: ["prod"], nodeMeta: { rack: "r1" } } },
    ];
    for (const k of cases) {
      const collector = new GroupCollector();
      const controller = new AbortController();
      const config = { server: registry.server, tagSeparator: k.yaml.tag_separator ?? ",", scheme: "http" as const, allowStale: true, refreshIntervalMs: 1000, services: [], tags: [], nodeMeta: {}, ...k.ours };
      const done = consulDiscoverer(config, { logger: observedLogger().logger }).run(controller.signal, collector.emit);
      t.after(async () => {
        controller.abort();
        await done;
      });
      await collector.waitFor(() => flatten(collector.state.values()).length === k.targets, `our ${k.targets} targets`);

      const cfg = join(dir, `${k.name}.yml`);
      await writeFile(cfg, JSON.stringify(k.yaml));
      const child = spawn(bin, [cfg, join(dir, `${k.name}.json`)], { stdio: ["ignore", "pipe", "ignore"] });
      t.after(() => child.kill("SIGKILL"));
      const theirs = await new Promise<FileTarget[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`prom-consul-sd (${k.name}) never settled`)), 20_000);
        let last: FileTarget[];
        const lines = createInterface({ input: child.stdout });
        // Prometheus sends one group per service as each watch answers; wait until it has them all.
        lines.on("line", (line) => {
          last = normalize(JSON.parse(line) as FileTarget[]);
          if (last.length === k.targets) {
            clearTimeout(timer);
            lines.close();
            resolve(last);
          }
        });
      });
      assert.deepEqual(flatten(collector.state.values()), theirs, k.name);
    }
  });
});
