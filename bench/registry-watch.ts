// Registry benchmark: 1,000 services × 10 instances registered over the Consul HTTP API, then
// 500 concurrent blocking watchers (one per service) and the latency from a registration to the
// return of that service's watcher. Also memory per registered instance.
//
// Run: npm run build && node --expose-gc dist/bench/registry-watch.js
// No real Consul is installable on these machines (no Debian package, no binary download), so
// the figures are absolute, not ratios; compare runs on the same machine.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { Registry } from "prom-client";
import { openAcl } from "../src/registry/http/acl.js";
import { registerCatalogRoutes } from "../src/registry/http/catalog-routes.js";
import { consulScope } from "../src/registry/http/consul-scope.js";
import { consulFilterCompiler } from "../src/registry/http/filter-compiler.js";
import { RegistryServer } from "../src/registry/server/index.js";
import { silentLogger, systemClock } from "../src/runtime/index.js";

const SERVICES = 1000;
const INSTANCES = 10;
const WATCHERS = 500;
const ROUNDS = 300;
const CONCURRENCY = 64;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-bench-registry-"));
  const server = new RegistryServer({ datacenter: "dc1", dataDir: dir, logger: silentLogger(), clock: systemClock(), metrics: new Registry(), fsync: "always" });
  await server.start(new AbortController().signal);
  const app = Fastify();
  await app.register(async (scope) => {
    consulScope(scope);
    registerCatalogRoutes(scope, {
      store: server.store,
      write: (op) => server.write(op),
      filter: consulFilterCompiler,
      acl: openAcl(),
      router: server.wan,
      serverAddress: "127.0.0.1:8300",
      random: Math.random,
      lastContactMs: () => 0,
      knownLeader: () => true,
    });
  });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const register = (service: number, instance: number) =>
    fetch(`${base}/v1/catalog/register`, {
      method: "PUT",
      body: JSON.stringify({
        Node: `node-${instance}-${service % 100}`,
        Address: `10.${instance}.${service % 250}.1`,
        Service: { ID: `svc-${service}-${instance}`, Service: `svc-${service}`, Tags: ["bench", `i${instance}`], Port: 8000 + instance, Meta: { shard: String(service % 7) } },
      }),
    }).then(async (r) => {
      if (r.status !== 200) throw new Error(`register: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    });

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const jobs: [number, number][] = [];
  for (let i = 0; i < INSTANCES; i++) for (let s = 0; s < SERVICES; s++) jobs.push([s, i]);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const [s, i] = jobs[next++] as [number, number];
        await register(s, i);
      }
    }),
  );
  const regSeconds = (performance.now() - t0) / 1000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;

  // 500 watchers, one per service, each re-arming at the index it last saw.
  const indexes = new Map<number, number>();
  for (let s = 0; s < WATCHERS; s++) {
    const r = await fetch(`${base}/v1/health/service/svc-${s}`);
    indexes.set(s, Number(r.headers.get("x-consul-index")));
    await r.arrayBuffer();
  }
  const waiters = new Map<number, (t: number) => void>();
  const ac = new AbortController();
  const watchLoop = async (s: number) => {
    while (!ac.signal.aborted) {
      try {
        const r = await fetch(`${base}/v1/health/service/svc-${s}?index=${indexes.get(s)}&wait=5m`, { signal: ac.signal });
        await r.arrayBuffer();
        const at = performance.now();
        indexes.set(s, Number(r.headers.get("x-consul-index")));
        waiters.get(s)?.(at);
      } catch {
        return;
      }
    }
  };
  const loops = Array.from({ length: WATCHERS }, (_, s) => watchLoop(s));
  // Let every watcher reach the server before measuring.
  while (server.store.keys.waiting() < WATCHERS) await new Promise((r) => setTimeout(r, 10));

  const latencies: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const s = (round * 7) % WATCHERS;
    const woke = new Promise<number>((resolve) => waiters.set(s, resolve));
    const start = performance.now();
    await register(s, INSTANCES + round);
    latencies.push((await woke) - start);
    waiters.delete(s);
    while (server.store.keys.waiting() < WATCHERS) await new Promise((r) => setImmediate(r));
  }
  ac.abort();
  await Promise.allSettled(loops);
  latencies.sort((a, b) => a - b);

  const instances = SERVICES * INSTANCES;
  console.log(JSON.stringify({
    instances,
    registration: { seconds: +regSeconds.toFixed(2), perSecond: Math.round(instances / regSeconds), concurrency: CONCURRENCY, fsync: "always" },
    watchers: WATCHERS,
    wakeLatencyMs: { p50: +percentile(latencies, 50).toFixed(2), p99: +percentile(latencies, 99).toFixed(2), max: +(latencies.at(-1) ?? NaN).toFixed(2), rounds: ROUNDS },
    heapBytesPerInstance: Math.round((heapAfter - heapBefore) / instances),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === "function",
  }, null, 2));
  await app.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

await main();
