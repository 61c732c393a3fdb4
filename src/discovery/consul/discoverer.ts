import { ConsulClient, watch, type QueryOptions } from "../../registry/index.js";
import type { Logger } from "../../runtime/index.js";
import { DiscoveryConfigError } from "../errors.js";
import { createDiscoveryMetrics, type DiscoveryMetrics } from "../metrics.js";
import { systemTimers, type Timers } from "../timers.js";
import type { ConsulSDConfig, Discoverer, TargetGroup } from "../types.js";
import { serviceGroup, shouldWatch } from "./labels.js";

/** What `consulDiscoverer` needs from the process. */
export interface ConsulDiscovererDeps {
  readonly logger: Logger;
  /** HTTP client; the global `fetch` unless given. */
  readonly fetch?: typeof fetch;
  readonly metrics?: DiscoveryMetrics;
  /** Waits between retries of the datacenter lookup. */
  readonly timers?: Timers;
}

// Longest wait of one blocking query, as Prometheus's watchTimeout; the request itself is given
// 15 s more before it is abandoned, as Prometheus's HTTP client timeout.
const WATCH_TIMEOUT_MS = 2 * 60_000;
const REQUEST_GRACE_MS = 15_000;

/**
 * Discovers targets from a Consul (or Meridian registry) catalog as Prometheus's consul_sd does —
 * same filtering and labels, one group per service with the service name as source — but passes
 * every change on as soon as a blocking query returns: `refreshIntervalMs` is only the wait
 * before retrying a failed call.
 */
export function consulDiscoverer(config: ConsulSDConfig, deps: ConsulDiscovererDeps): Discoverer {
  if (config.server.trim() === "") throw new DiscoveryConfigError("consul SD configuration requires a server address");
  return { run: (signal, emit) => new ConsulDiscovery(config, deps).run(signal, emit) };
}

/**
 * The base URL for `server`, `scheme` and `pathPrefix`; like Consul's Go client, a server given
 * as a URL keeps its own scheme.
 */
export function consulBaseUrl(config: Pick<ConsulSDConfig, "server" | "scheme" | "pathPrefix">): string {
  const [scheme, host] = config.server.includes("://") ? (config.server.split("://", 2) as [string, string]) : [config.scheme, config.server];
  const prefix = (config.pathPrefix ?? "").replace(/\/+$/, "");
  return `${scheme}://${host}${prefix === "" || prefix.startsWith("/") ? prefix : `/${prefix}`}`;
}

// Adds what ConsulClient has no option for but Consul's Go client sends on every request: HTTP
// basic auth and the Enterprise `ns`/`partition` parameters.
function consulFetch(config: ConsulSDConfig, inner: typeof fetch): typeof fetch {
  const auth = config.username || config.password ? `Basic ${Buffer.from(`${config.username ?? ""}:${config.password ?? ""}`).toString("base64")}` : undefined;
  if (!auth && !config.namespace && !config.partition) return inner;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (config.namespace) url.searchParams.set("ns", config.namespace);
    if (config.partition) url.searchParams.set("partition", config.partition);
    const headers = new Headers(init?.headers);
    if (auth) headers.set("Authorization", auth);
    return inner(url, { ...init, headers });
  };
}

// One run's state: the watched services and their cancellers. A new run starts from scratch.
class ConsulDiscovery {
  readonly #config: ConsulSDConfig;
  readonly #client: ConsulClient;
  readonly #logger: Logger;
  readonly #metrics: DiscoveryMetrics;
  readonly #timers: Timers;
  readonly #services = new Map<string, AbortController>();

  constructor(config: ConsulSDConfig, deps: ConsulDiscovererDeps) {
    this.#config = config;
    this.#client = new ConsulClient({ baseUrl: consulBaseUrl(config), token: config.token, fetch: consulFetch(config, deps.fetch ?? fetch) });
    this.#logger = deps.logger;
    this.#metrics = deps.metrics ?? createDiscoveryMetrics();
    this.#timers = deps.timers ?? systemTimers();
  }

  async run(signal: AbortSignal, emit: (groups: readonly TargetGroup[]) => void): Promise<void> {
    const dc = await this.#datacenter(signal);
    if (dc === undefined) return;
    const { services, tags, filter } = this.#config;
    const tasks = new Set<Promise<void>>();
    try {
      // Prometheus skips the catalog when the services are named and no tag narrows them; a filter
      // also needs the catalog here, because only `/v1/catalog/services` applies it.
      if (services.length > 0 && tags.length === 0 && !filter) {
        await Promise.all([...new Set(services)].map((name) => this.#watchService(name, dc, signal, emit)));
      } else {
        await this.#watchCatalog(dc, signal, emit, tasks);
      }
    } finally {
      for (const c of this.#services.values()) c.abort();
      this.#services.clear();
      await Promise.all(tasks);
    }
  }

  // The datacenter for the `__meta_consul_dc` label: configured, or the agent's own (retried until
  // the agent answers, as Prometheus does). Undefined when the run ends first.
  async #datacenter(signal: AbortSignal): Promise<string | undefined> {
    if (this.#config.datacenter) return this.#config.datacenter;
    while (!signal.aborted) {
      try {
        const self = await this.#client.agentSelf(this.#requestSignal(signal, 0));
        const dc: unknown = self?.Config?.Datacenter;
        if (typeof dc === "string") return dc;
        this.#logger.error({ value: dc }, "consul agent reported an invalid Config.Datacenter");
      } catch (err) {
        if (signal.aborted) return undefined;
        this.#metrics.consulRpcFailures.inc();
        this.#logger.error({ err }, "consul datacenter lookup failed");
      }
      await this.#timers.sleep(this.#config.refreshIntervalMs, signal);
    }
    return undefined;
  }

  async #watchCatalog(dc: string, signal: AbortSignal, emit: (groups: readonly TargetGroup[]) => void, tasks: Set<Promise<void>>): Promise<void> {
    const { services, tags, nodeMeta, filter, allowStale } = this.#config;
    await watch(
      (o) => this.#client.catalogServices(this.#query(o, { stale: allowStale, dc: this.#config.datacenter, nodeMeta, filter })),
      (catalog) => {
        if (signal.aborted) return;
        const cleared: TargetGroup[] = [];
        for (const [name, ctl] of this.#services) {
          const serviceTags = catalog[name];
          if (serviceTags !== undefined && shouldWatch(name, serviceTags, services, tags)) continue;
          ctl.abort();
          this.#services.delete(name);
          cleared.push({ source: name, targets: [], labels: {} });
        }
        for (const [name, serviceTags] of Object.entries(catalog)) {
          if (this.#services.has(name) || !shouldWatch(name, serviceTags ?? [], services, tags)) continue;
          const ctl = new AbortController();
          this.#services.set(name, ctl);
          const task = this.#watchService(name, dc, AbortSignal.any([signal, ctl.signal]), emit).finally(() => tasks.delete(task));
          tasks.add(task);
        }
        // An empty emit still tells the consumer the catalog was read and holds nothing for it.
        if (cleared.length > 0 || this.#services.size === 0) emit(cleared);
      },
      this.#watchOptions(signal, "consul service list refresh failed", {}),
    );
  }

  async #watchService(name: string, dc: string, signal: AbortSignal, emit: (groups: readonly TargetGroup[]) => void): Promise<void> {
    const { tags, nodeMeta, allowStale, tagSeparator } = this.#config;
    await watch(
      (o) => this.#client.healthService(name, { ...this.#query(o, { stale: allowStale, dc: this.#config.datacenter, nodeMeta }), tags }),
      (nodes) => {
        // A read can complete in the same tick its watch is cancelled; its result is stale then.
        if (!signal.aborted) emit([serviceGroup(name, dc, nodes ?? [], tagSeparator)]);
      },
      this.#watchOptions(signal, "consul service refresh failed", { service: name }),
    );
  }

  #watchOptions(signal: AbortSignal, message: string, context: Record<string, unknown>): Parameters<typeof watch>[2] {
    const retry = this.#config.refreshIntervalMs;
    return {
      signal,
      waitMs: WATCH_TIMEOUT_MS,
      retryMs: retry,
      maxRetryMs: retry,
      onError: (err) => {
        this.#metrics.consulRpcFailures.inc();
        this.#logger.error({ ...context, err }, message);
      },
    };
  }

  #query(o: QueryOptions, extra: Omit<QueryOptions, "index" | "waitMs" | "signal">): QueryOptions {
    return { ...extra, index: o.index, waitMs: o.waitMs, signal: this.#requestSignal(o.signal, o.waitMs ?? 0) };
  }

  // Bounds one request so a connection that silently died cannot stall discovery forever.
  #requestSignal(signal: AbortSignal | undefined, waitMs: number): AbortSignal {
    const timeout = AbortSignal.timeout(waitMs + REQUEST_GRACE_MS);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }
}
