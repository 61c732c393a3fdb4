// Shared pieces of the scrape tests: real loopback HTTP targets, a default job, and readers over a
// MemoryStorage. Nothing here is a mock: targets are node:http servers and storage is the real one.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Labels, Matcher } from "../model/index.js";
import { silentLogger, type Clock } from "../runtime/index.js";
import { isStaleNaN, type Queryable } from "../storage/index.js";
import type { ScrapeJob } from "./job.js";
import { ScrapeLoop, type LoopDeps, type ScrapeStats } from "./loop.js";
import { populateTargetLabels } from "./populate.js";
import { compileRelabel } from "./relabel/index.js";
import { Target } from "./target.js";

/** Answers one scrape request; may leave the response open, cut it, or never answer. */
export type TargetHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 with an ephemeral port, recording the requests it saw. */
export interface TestTarget {
  /** `127.0.0.1:<port>`, usable as `__address__`. */
  readonly address: string;
  /** Headers and URL of every request received, in arrival order. */
  readonly requests: { readonly url: string; readonly headers: IncomingHttpHeaders }[];
  /** Replaces the handler; later requests use the new one. */
  setHandler(handler: TargetHandler): void;
  /** Closes the server and every open connection (hanging requests included). */
  close(): Promise<void>;
}

/** Starts a loopback target serving `handler`. */
export async function startTarget(handler: TargetHandler): Promise<TestTarget> {
  let current = handler;
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? "", headers: req.headers });
    current(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    setHandler: (h) => void (current = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler that serves `body` as text 0.0.4 (or with the given content type). */
export function serve(body: string | Buffer, contentType = "text/plain; version=0.0.4; charset=utf-8"): TargetHandler {
  return (_req, res) => {
    res.writeHead(200, { "Content-Type": contentType });
    res.end(body);
  };
}

/** An address nothing listens on: a port that was bound and released again. */
export async function refusedAddress(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/** A job with Prometheus's defaults and no limits, overridden by `over`. */
export function testJob(over: Partial<ScrapeJob> = {}): ScrapeJob {
  return {
    jobName: "test",
    intervalMs: 15_000,
    timeoutMs: 10_000,
    metricsPath: "/metrics",
    scheme: "http",
    params: {},
    honorLabels: false,
    honorTimestamps: true,
    relabelConfigs: [],
    metricRelabelConfigs: [],
    sampleLimit: 0,
    labelLimit: 0,
    labelNameLengthLimit: 0,
    labelValueLengthLimit: 0,
    bodySizeLimitBytes: 0,
    targetLimit: 0,
    http: {},
    ...over,
  };
}

/** Loop dependencies over `appendable` with a silent logger and fresh stats. */
export function testDeps(appendable: LoopDeps["appendable"], clock: Clock): LoopDeps & { stats: ScrapeStats } {
  return {
    appendable,
    clock,
    logger: silentLogger(),
    userAgent: "Meridian/test",
    stats: { outOfOrder: 0, duplicate: 0, outOfBounds: 0, samplesAppended: 0 },
  };
}

/** A loop (not started) for the target at `address`, built the way a pool builds one. */
export function loopFor(address: string, job: ScrapeJob, deps: LoopDeps): ScrapeLoop {
  const result = populateTargetLabels({ __address__: address }, job, compileRelabel(job.relabelConfigs));
  if (result.kind !== "active") throw new Error(`target ${address} not active: ${result.kind}`);
  const target = new Target({
    labels: result.labels,
    discoveredLabels: result.discovered,
    scrapePool: job.jobName,
    intervalMs: job.intervalMs,
    timeoutMs: job.timeoutMs,
    params: job.params,
  });
  return new ScrapeLoop(target, job, compileRelabel(job.metricRelabelConfigs), deps);
}

/**
 * One sample as read back; a staleness marker reads as "stale" because V8 canonicalises NaN bits
 * when a NaN is stored in a plain array, so the marker cannot survive being collected.
 */
export type StoredSample = readonly [t: number, v: number | "stale"];

/** One stored series: labels as a record and its samples in time order. */
export interface StoredSeries {
  readonly labels: Record<string, string>;
  readonly samples: readonly StoredSample[];
}

/** Every series in `storage` whose labels include all of `match`, with all their samples. */
export async function readSeries(storage: Queryable, match: Readonly<Record<string, string>> = {}): Promise<StoredSeries[]> {
  const q = await storage.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  try {
    const matchers = Object.entries(match).map(([n, v]) => new Matcher("=", n, v));
    if (matchers.length === 0) matchers.push(new Matcher("=~", "__name__", ".+"));
    const set = q.select(matchers);
    const out: StoredSeries[] = [];
    while (set.next()) {
      const s = set.at();
      const it = s.iterator();
      const samples: StoredSample[] = [];
      while (it.next()) samples.push([it.at(), isStaleNaN(it.value()) ? "stale" : it.value()]);
      out.push({ labels: s.labels.toRecord(), samples });
    }
    return out;
  } finally {
    await q.close();
  }
}

/** The samples of the one series with exactly `labels`, or undefined when it does not exist. */
export async function samplesOf(storage: Queryable, labels: Readonly<Record<string, string>>): Promise<readonly StoredSample[] | undefined> {
  const want = Labels.fromRecord(labels);
  const found = (await readSeries(storage, labels)).find((s) => Labels.fromRecord(s.labels).equals(want));
  return found?.samples;
}

/**
 * Resolves once `check` returns true, polling on a short timer; rejects with `what` after
 * `deadlineMs`. Scrape loops run on their own timers and expose no events, so state is polled.
 */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, deadlineMs = 5_000): Promise<void> {
  const end = performance.now() + deadlineMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
