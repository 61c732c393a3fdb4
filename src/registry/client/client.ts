import { MeridianError } from "../../model/index.js";
import type { CatalogNode, CheckServiceNode, HealthCheck, NodeService, ServiceNode } from "../types.js";

/** A Consul API call answered with a non-2xx status; `body` is Consul's plain-text reason. */
export class ConsulApiError extends MeridianError {
  readonly status: number;
  readonly body: string;

  constructor(method: string, path: string, status: number, body: string) {
    super("consul_api_error", `${method} ${path}: ${status} ${body.trim()}`);
    this.status = status;
    this.body = body;
  }
}

/** Options of a read. */
export interface QueryOptions {
  /** Blocks until the result's index moves past this one (Consul's `?index=`). */
  readonly index?: number;
  /** Longest wait of a blocking read, in ms (Consul's `?wait=`). */
  readonly waitMs?: number;
  /** Lets any server answer (Consul's `?stale`). */
  readonly stale?: boolean;
  /** Datacenter to ask (Consul's `?dc=`). */
  readonly dc?: string;
  /** A `filter=` expression. */
  readonly filter?: string;
  /** `node-meta` pairs every node must carry. */
  readonly nodeMeta?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** A read's value with the blocking-query metadata of its answer. */
export interface QueryResult<T> {
  readonly value: T;
  /** `X-Consul-Index`: pass it back as `index` to wait for the next change. */
  readonly index: number;
  readonly knownLeader: boolean;
  readonly lastContactMs: number;
}

/** A service definition for `PUT /v1/agent/service/register`. */
export interface ServiceRegistration {
  ID?: string;
  Name: string;
  Tags?: string[];
  Address?: string;
  Port?: number;
  Meta?: Record<string, string>;
  EnableTagOverride?: boolean;
  Check?: CheckRegistration;
  Checks?: CheckRegistration[];
}

/** A check definition inside a service registration. */
export interface CheckRegistration {
  CheckID?: string;
  Name?: string;
  Interval?: string;
  Timeout?: string;
  TTL?: string;
  HTTP?: string;
  TCP?: string;
  Status?: "passing" | "warning" | "critical";
  Notes?: string;
  DeregisterCriticalServiceAfter?: string;
  SuccessBeforePassing?: number;
  FailuresBeforeCritical?: number;
}

/** Options of `ConsulClient`. */
export interface ConsulClientOptions {
  /** Base URL of an agent or server, e.g. `http://127.0.0.1:8500`. */
  readonly baseUrl: string;
  /** ACL token sent as `X-Consul-Token`. */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

/**
 * A small Consul HTTP API client for Meridian's own use: registering exporters and watching the
 * catalog with blocking queries. It speaks only the public API, so it works against real Consul.
 */
export class ConsulClient {
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ConsulClientOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Registers a service with the agent. */
  async registerService(service: ServiceRegistration, signal?: AbortSignal): Promise<void> {
    await this.#call("PUT", "/v1/agent/service/register", undefined, service, signal);
  }

  /** Removes a service from the agent. */
  async deregisterService(id: string, signal?: AbortSignal): Promise<void> {
    await this.#call("PUT", `/v1/agent/service/deregister/${encodeURIComponent(id)}`, undefined, undefined, signal);
  }

  /** Sets a TTL check passing (`pass`), warning or critical (`fail`). */
  async updateTtl(checkId: string, state: "pass" | "warn" | "fail", note?: string, signal?: AbortSignal): Promise<void> {
    const q = new URLSearchParams();
    if (note !== undefined) q.set("note", note);
    await this.#call("PUT", `/v1/agent/check/${state}/${encodeURIComponent(checkId)}`, q, undefined, signal);
  }

  /** The agent's own services, keyed by ID. */
  async agentServices(signal?: AbortSignal): Promise<Record<string, NodeService>> {
    return (await this.#call("GET", "/v1/agent/services", undefined, undefined, signal)).json as Record<string, NodeService>;
  }

  /** The agent's configuration and member record (Prometheus reads `Config.Datacenter`). */
  async agentSelf(signal?: AbortSignal): Promise<{ Config: { Datacenter: string; NodeName: string } }> {
    return (await this.#call("GET", "/v1/agent/self", undefined, undefined, signal)).json as { Config: { Datacenter: string; NodeName: string } };
  }

  /** `/v1/catalog/services`: service names and their tags. */
  catalogServices(opts: QueryOptions = {}): Promise<QueryResult<Record<string, string[]>>> {
    return this.#query("/v1/catalog/services", opts);
  }

  /** `/v1/catalog/service/:name`. */
  catalogService(name: string, opts: QueryOptions & { tags?: readonly string[] } = {}): Promise<QueryResult<ServiceNode[]>> {
    return this.#query(`/v1/catalog/service/${encodeURIComponent(name)}`, opts, (q) => opts.tags?.forEach((t) => q.append("tag", t)));
  }

  /** `/v1/catalog/nodes`. */
  catalogNodes(opts: QueryOptions = {}): Promise<QueryResult<CatalogNode[]>> {
    return this.#query("/v1/catalog/nodes", opts);
  }

  /** `/v1/health/service/:name`: instances with their checks; `passing` keeps healthy ones only. */
  healthService(name: string, opts: QueryOptions & { tags?: readonly string[]; passing?: boolean } = {}): Promise<QueryResult<CheckServiceNode[]>> {
    return this.#query(`/v1/health/service/${encodeURIComponent(name)}`, opts, (q) => {
      opts.tags?.forEach((t) => q.append("tag", t));
      if (opts.passing) q.set("passing", "1");
    });
  }

  /** `/v1/health/checks/:service`. */
  healthChecks(service: string, opts: QueryOptions = {}): Promise<QueryResult<HealthCheck[]>> {
    return this.#query(`/v1/health/checks/${encodeURIComponent(service)}`, opts);
  }

  async #query<T>(path: string, opts: QueryOptions, extra?: (q: URLSearchParams) => void): Promise<QueryResult<T>> {
    const q = new URLSearchParams();
    if (opts.index !== undefined && opts.index > 0) q.set("index", String(opts.index));
    if (opts.waitMs !== undefined) q.set("wait", `${Math.max(1, Math.round(opts.waitMs))}ms`);
    if (opts.stale) q.set("stale", "");
    if (opts.dc) q.set("dc", opts.dc);
    if (opts.filter) q.set("filter", opts.filter);
    for (const [k, v] of Object.entries(opts.nodeMeta ?? {})) q.append("node-meta", `${k}:${v}`);
    extra?.(q);
    const res = await this.#call("GET", path, q, undefined, opts.signal);
    return {
      value: res.json as T,
      index: Number(res.headers.get("x-consul-index") ?? "0"),
      knownLeader: res.headers.get("x-consul-knownleader") === "true",
      lastContactMs: Number(res.headers.get("x-consul-lastcontact") ?? "0"),
    };
  }

  async #call(method: string, path: string, query: URLSearchParams | undefined, body: unknown, signal: AbortSignal | undefined): Promise<{ json: unknown; headers: Headers }> {
    const url = `${this.#base}${path}${query && [...query].length > 0 ? `?${query.toString()}` : ""}`;
    const headers: Record<string, string> = {};
    if (this.#token) headers["X-Consul-Token"] = this.#token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await this.#fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    const text = await res.text();
    if (!res.ok) throw new ConsulApiError(method, path, res.status, text);
    return { json: text === "" ? undefined : (JSON.parse(text) as unknown), headers: res.headers };
  }
}
