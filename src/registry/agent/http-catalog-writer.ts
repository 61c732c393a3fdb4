import type { DeregisterRequest, HealthCheck, NodeService, RegisterRequest } from "../types.js";
import { CatalogRejectedError, ServerUnreachableError, type CatalogWriter, type NodeState } from "./catalog-writer.js";

/** Options of `httpCatalogWriter`. */
export interface HttpCatalogWriterOptions {
  /** Base URL of a Consul (or Meridian registry) server, e.g. `http://10.0.0.1:8500`. */
  readonly serverUrl: string;
  /** ACL token sent as `X-Consul-Token`; none when empty. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
  /** Bound of one request in ms (10 s by default), so a hung server cannot stall the sync loop. */
  readonly timeoutMs?: number;
}

/**
 * A CatalogWriter over Consul's public HTTP API, so a Meridian agent can sit in front of a real
 * Consul server as well as a Meridian registry.
 */
export function httpCatalogWriter(opts: HttpCatalogWriterOptions): CatalogWriter {
  const fetchFn = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.token) headers["x-consul-token"] = opts.token;

  const call = async (method: string, path: string, signal: AbortSignal, body?: unknown): Promise<Response> => {
    const url = new URL(path, opts.serverUrl);
    let res: Response;
    try {
      res = await fetchFn(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new ServerUnreachableError(`${method} ${url.pathname}: ${describe(err)}`, { cause: err });
    }
    if (res.ok) return res;
    const text = (await res.text().catch(() => "")).trim();
    if (res.status >= 500) throw new ServerUnreachableError(`${method} ${url.pathname}: ${res.status} ${text}`);
    throw new CatalogRejectedError(res.status, `${method} ${url.pathname}: ${res.status} ${text}`);
  };

  return {
    async register(req: RegisterRequest, signal: AbortSignal): Promise<void> {
      await (await call("PUT", "/v1/catalog/register", signal, req)).arrayBuffer();
    },
    async deregister(req: DeregisterRequest, signal: AbortSignal): Promise<void> {
      await (await call("PUT", "/v1/catalog/deregister", signal, req)).arrayBuffer();
    },
    async nodeState(node: string, signal: AbortSignal): Promise<NodeState | undefined> {
      const name = encodeURIComponent(node);
      const nodeRes = await json<{ Services?: Record<string, NodeService> }>(await call("GET", `/v1/catalog/node/${name}`, signal));
      if (!nodeRes) return undefined;
      const checks = (await json<HealthCheck[]>(await call("GET", `/v1/health/node/${name}`, signal))) ?? [];
      return { services: Object.values(nodeRes.Services ?? {}), checks };
    },
  };
}

// Consul answers an unknown node with `null`; an empty body is read the same way.
async function json<T>(res: Response): Promise<T | undefined> {
  const text = await res.text();
  if (text.trim() === "") return undefined;
  try {
    return (JSON.parse(text) as T | null) ?? undefined;
  } catch (err) {
    throw new ServerUnreachableError(`${res.url}: unreadable answer: ${(err as Error).message}`, { cause: err });
  }
}

// fetch hides the socket error (ECONNREFUSED…) in `cause`; that is the useful part of a log line.
function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message;
}
