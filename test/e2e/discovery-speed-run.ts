import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { Registry } from "prom-client";
import { parsePrometheusConfig } from "../../src/config/index.js";
import { Engine } from "../../src/engine/index.js";
import type { Labels } from "../../src/model/index.js";
import { ConsulClient, createRegistryRole } from "../../src/registry/index.js";
import { silentLogger, systemClock } from "../../src/runtime/index.js";
import { MemoryStorage, type Appendable, type Appender } from "../../src/storage/index.js";

/** Latencies (ms) from an agent registration returning to the first sample of that target. */
export interface DiscoverySpeed {
  readonly latenciesMs: number[];
}

/**
 * Registers `count` services, one at a time, on an in-process registry's agent, with an engine
 * discovering through consul SD and scraping every 1 s, and measures for each the time until the
 * first sample of the new target is appended. Appends are observed by wrapping the storage, so
 * nothing polls.
 */
export async function measureDiscoverySpeed(count: number): Promise<DiscoverySpeed> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-discovery-speed-"));
  const logger = silentLogger();
  const clock = systemClock();
  const metrics = new Registry();
  const exporter = createServer((_req, res) => res.end("# TYPE demo gauge\ndemo 1\n"));
  await new Promise<void>((r) => exporter.listen(0, "0.0.0.0", r));
  const port = (exporter.address() as AddressInfo).port;

  const role = await createRegistryRole({ logger, clock, metrics, version: "0", revision: "0", datacenter: "dc1", dataDir: join(dir, "registry"), node: "n1", address: "127.0.0.1", serverAddress: "127.0.0.1:8300", fsync: "never" });
  const app = Fastify();
  await role.routes(app);
  const base = await app.listen({ host: "127.0.0.1", port: 0 });

  const storage = new MemoryStorage();
  const firstSample = new Map<string, (t: number) => void>();
  // Reports the first appended sample of each instance we wait for.
  const observed: Appendable = {
    appender(): Appender {
      const inner = storage.appender();
      return {
        append(ref: number, labels: Labels, t: number, v: number) {
          const out = inner.append(ref, labels, t, v);
          const resolve = firstSample.get(labels.get("instance"));
          if (resolve && labels.metricName === "demo") {
            firstSample.delete(labels.get("instance"));
            resolve(performance.now());
          }
          return out;
        },
        commit: () => inner.commit(),
        rollback: () => inner.rollback(),
      };
    },
  };
  const engine = new Engine({ appendable: observed, logger, clock, metrics, userAgent: "bench" });
  for (const s of role.services) await s.start(new AbortController().signal);
  await engine.start(new AbortController().signal);
  await engine.applyConfig(
    parsePrometheusConfig(
      [
        "global: {scrape_interval: 1s, scrape_timeout: 1s}",
        "scrape_configs:",
        "  - job_name: speed",
        `    consul_sd_configs: [{server: "${new URL(base).host}"}]`,
        "    relabel_configs:",
        "      - {source_labels: [__meta_consul_service], regex: 'speed-.*', action: keep}",
      ].join("\n"),
    ),
  );
  const consul = new ConsulClient({ baseUrl: base });
  const latenciesMs: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      // Every 127.0.0.0/8 address reaches the exporter on Linux, so each registration is a new target.
      const address = `127.0.${Math.floor(i / 250)}.${(i % 250) + 2}`;
      const instance = `${address}:${port}`;
      const seen = new Promise<number>((resolve) => firstSample.set(instance, resolve));
      const start = performance.now();
      await consul.registerService({ ID: `speed-${i}`, Name: `speed-${i}`, Address: address, Port: port });
      latenciesMs.push((await seen) - start);
    }
  } finally {
    await engine.stop();
    for (const s of [...role.services].reverse()) await s.stop();
    await app.close();
    exporter.close();
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  }
  return { latenciesMs };
}
