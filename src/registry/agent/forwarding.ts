import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Clock } from "../../runtime/index.js";
import type { Scheduler } from "./checks/index.js";
import { LruCache } from "./lru.js";

/** Options of `registerForwardingRoutes`; durations in milliseconds. */
export interface ForwardingOptions {
  /** Base URL of the server reads and writes are forwarded to. */
  readonly serverUrl: string;
  readonly fetch?: typeof fetch;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  /** Most GET answers kept for when the server is away (LRU); 1000 by default. */
  readonly cacheEntries?: number;
  /** Oldest cached answer still served; 72 h by default, like Consul's agent cache. */
  readonly cacheTtlMs?: number;
  /** How long a blocking GET waits, when the server is away, before answering from cache; 1 s. */
  readonly blockingFallbackMs?: number;
  /** Told after every forwarded request whether the server answered. */
  readonly onContact?: (reachable: boolean) => void;
}

interface CachedAnswer {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: Buffer;
  readonly atMs: number;
}

const PREFIXES = ["/v1/catalog/*", "/v1/health/*", "/v1/status/*", "/v1/acl/*"];
const FORWARDED_REQUEST_HEADERS = ["x-consul-token", "authorization", "content-type", "accept"];

/**
 * Registers client-mode `/v1/catalog/*`, `/v1/health/*`, `/v1/status/*` and `/v1/acl/*`
 * routes that proxy to the server, keeping query string, token and the server's status, body
 * and `X-Consul-*` headers. The last good answer of each GET (per token and query, without
 * `index`/`wait`) is kept, and served with `X-Consul-KnownLeader: false` and a growing
 * `X-Consul-LastContact` while the server is unreachable; without one the answer is Consul's
 * 500 "No known Consul servers".
 */
export function registerForwardingRoutes(app: FastifyInstance, opts: ForwardingOptions): void {
  const fetchFn = opts.fetch ?? fetch;
  const cache = new LruCache<string, CachedAnswer>(opts.cacheEntries ?? 1000);
  const ttlMs = opts.cacheTtlMs ?? 72 * 3_600_000;
  const fallbackMs = opts.blockingFallbackMs ?? 1000;

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const isGet = req.method === "GET" || req.method === "HEAD";
    const headers: Record<string, string> = {};
    for (const h of FORWARDED_REQUEST_HEADERS) {
      const v = req.headers[h];
      if (typeof v === "string") headers[h] = v;
    }
    const ac = new AbortController();
    const onClose = () => ac.abort();
    reply.raw.once("close", onClose);
    const key = isGet ? cacheKey(req) : undefined;
    let res: Response;
    try {
      res = await fetchFn(new URL(req.url, opts.serverUrl), {
        method: req.method,
        headers,
        body: isGet || req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: ac.signal,
      });
    } catch {
      if (ac.signal.aborted) return reply;
      opts.onContact?.(false);
      if (key !== undefined) {
        // A blocking client would retry at once and spin; make it wait a little first.
        if (Number(new URL(req.url, "http://x").searchParams.get("index") ?? 0) > 0) await delay(opts.scheduler, fallbackMs, ac.signal);
        const hit = cache.get(key);
        if (hit && opts.clock.now() - hit.atMs <= ttlMs) return sendCached(reply, hit, opts.clock.now());
      }
      return reply.code(500).type("text/plain; charset=utf-8").send("No known Consul servers");
    } finally {
      reply.raw.off("close", onClose);
    }
    opts.onContact?.(true);
    const body = Buffer.from(await res.arrayBuffer());
    const kept: [string, string][] = [];
    for (const [k, v] of res.headers) if (k.startsWith("x-consul-") || k === "content-type") kept.push([k, v]);
    if (key !== undefined && res.status === 200) cache.set(key, { status: res.status, headers: kept, body, atMs: opts.clock.now() });
    for (const [k, v] of kept) reply.header(k, v);
    return reply.code(res.status).send(body);
  };

  for (const url of PREFIXES) app.all(url, handler);
}

// One entry per token (answers are ACL-filtered) and query, blocking parameters left out so a
// watcher's every next `?index=` finds the last answer.
function cacheKey(req: FastifyRequest): string {
  const url = new URL(req.url, "http://x");
  url.searchParams.delete("index");
  url.searchParams.delete("wait");
  url.searchParams.delete("token");
  url.searchParams.sort();
  const token = req.headers["x-consul-token"] ?? req.headers["authorization"] ?? (req.query as Record<string, unknown>)["token"] ?? "";
  return `${String(token)}\n${url.pathname}?${url.searchParams.toString()}`;
}

function sendCached(reply: FastifyReply, hit: CachedAnswer, nowMs: number): FastifyReply {
  for (const [k, v] of hit.headers) reply.header(k, v);
  reply.header("X-Consul-KnownLeader", "false");
  reply.header("X-Consul-LastContact", String(Math.max(0, nowMs - hit.atMs)));
  return reply.code(hit.status).send(hit.body);
}

function delay(scheduler: Scheduler, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const handle = scheduler.setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      scheduler.clearTimeout(handle);
      resolve();
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
