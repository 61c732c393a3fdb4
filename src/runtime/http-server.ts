import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from "fastify";
import type { Logger } from "pino";
import { Counter, Histogram, type Registry } from "prom-client";
import { formatHostPort, parseListenAddress, type ListenAddress } from "./listen-address.js";
import type { Service } from "./service.js";

/** Adds routes of a role to the shared HTTP server. */
export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>;

/** Options of `HttpServer`. */
export interface HttpServerOptions {
  /** `host:port` to listen on. */
  readonly listen: string;
  readonly logger: Logger;
  /** The process registry served at `/metrics`; HTTP metrics are registered in it too. */
  readonly registry: Registry;
  /** Whether the process is ready (answers `/-/ready`). */
  readonly ready: () => boolean;
  /** Reloads the configuration (answers `POST /-/reload`); rejects when the new one is bad. */
  readonly reload: () => Promise<unknown>;
  /** Name used in `/-/healthy` and `/-/ready` answers. */
  readonly product?: string;
  /** Role routes, registered before listening. */
  readonly routes?: readonly RouteRegistrar[];
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
}

/**
 * The process's HTTP listener: health, readiness, reload and `/metrics` as Prometheus serves them,
 * plus whatever routes the roles register. A Service, so RunGroup starts it last and stops it first.
 */
export class HttpServer implements Service {
  readonly name = "http";
  readonly #options: HttpServerOptions;
  readonly #address: ListenAddress;
  #app: FastifyInstance | undefined;
  #url: string | undefined;

  constructor(options: HttpServerOptions) {
    this.#options = options;
    this.#address = parseListenAddress(options.listen);
  }

  /** The base URL once listening (`http://127.0.0.1:9090`), with the real port when 0 was asked. */
  get url(): string {
    if (!this.#url) throw new Error("http server is not listening");
    return this.#url;
  }

  async start(): Promise<void> {
    const { logger, registry, ready, reload, product = "Meridian", routes = [], bodyLimit = 10 << 20 } = this.#options;
    const app = Fastify({
      loggerInstance: logger.child({ component: "http" }) as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit,
      // Long polls (Consul blocking queries wait minutes) would hold close() open; a stop must
      // finish in bounded time, so closing cuts every connection.
      forceCloseConnections: true,
    });
    instrument(app, registry);

    app.get("/-/healthy", async (_req, reply) => reply.type("text/plain; charset=utf-8").send(`${product} is Healthy.\n`));
    app.get("/-/ready", async (_req, reply) => {
      const ok = ready();
      return reply
        .code(ok ? 200 : 503)
        .type("text/plain; charset=utf-8")
        .send(ok ? `${product} is Ready.\n` : "Service Unavailable\n");
    });
    const reloadHandler = async (_req: unknown, reply: FastifyReply) => {
      try {
        await reload();
        return reply.code(200).type("text/plain; charset=utf-8").send("");
      } catch (err) {
        return reply
          .code(500)
          .type("text/plain; charset=utf-8")
          .send(`failed to reload config: ${(err as Error).message}\n`);
      }
    };
    app.post("/-/reload", reloadHandler);
    app.put("/-/reload", reloadHandler);
    app.get("/metrics", async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
    for (const register of routes) await register(app);

    await app.listen({ host: this.#address.host, port: this.#address.port });
    const bound = app.server.address();
    const port = typeof bound === "object" && bound ? bound.port : this.#address.port;
    const host = this.#address.host === "0.0.0.0" ? "127.0.0.1" : this.#address.host === "::" ? "::1" : this.#address.host;
    this.#url = `http://${formatHostPort(host, port)}`;
    this.#app = app;
  }

  async stop(): Promise<void> {
    const app = this.#app;
    this.#app = undefined;
    if (!app) return;
    await app.close();
  }

  ready(): boolean {
    return this.#app !== undefined;
  }
}

// Counts requests per route as Prometheus's prometheus_http_requests_total does, keyed by the
// route pattern (not the raw URL) so label cardinality stays bounded.
function instrument(app: FastifyInstance, registry: Registry): void {
  const requests = new Counter({
    name: "meridian_http_requests_total",
    help: "Counter of HTTP requests.",
    labelNames: ["handler", "code"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "meridian_http_request_duration_seconds",
    help: "Histogram of latencies for HTTP requests.",
    labelNames: ["handler"],
    buckets: [0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120],
    registers: [registry],
  });
  app.addHook("onResponse", async (request, reply) => {
    const handler = request.routeOptions.url ?? "unmatched";
    requests.inc({ handler, code: String(reply.statusCode) });
    duration.observe({ handler }, reply.elapsedTime / 1000);
  });
}
