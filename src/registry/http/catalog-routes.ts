import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CatalogStore, type CatalogOp, type Indexed } from "../catalog/index.js";
import { BadRequestError } from "../errors.js";
import type { DeregisterRequest, RegisterRequest } from "../types.js";
import type { Acl } from "./acl.js";
import { all, flag, first, nodeMeta } from "./blocking.js";
import { CATALOG_DEREGISTER, CATALOG_REGISTER } from "./bodies.js";
import { blockingRead, type BlockingOptions } from "./consul-scope.js";
import { decodeObject } from "./decode.js";

/** Which documented field set a `?filter=` expression is checked against. */
export type FilterEndpoint = "catalog-services" | "catalog-service" | "catalog-nodes" | "catalog-node-services" | "health-service" | "health-checks";

/** Compiles a `?filter=` expression for an endpoint; throws a 400-mapped error when invalid. */
export type FilterCompiler = (endpoint: FilterEndpoint, expr: string) => (value: unknown) => boolean;

/** Routes `?dc=` requests to other datacenters' servers. */
export interface DatacenterRouter {
  /** Every known datacenter, the local one first. */
  datacenters(): string[];
  /** Base URL of a server of `dc`, or undefined when there is no path to it. */
  serverFor(dc: string): string | undefined;
}

/** What the catalog, health and status routes need. */
export interface CatalogRoutesOptions extends Omit<BlockingOptions, "keys"> {
  readonly store: CatalogStore;
  /** Applies a write durably and resolves with its index once it is acknowledged. */
  readonly write: (op: CatalogOp) => Promise<number>;
  readonly filter: FilterCompiler;
  readonly acl: Acl;
  readonly router: DatacenterRouter;
  /** The `host:port` this server reports as leader and peer. */
  readonly serverAddress: string;
}

/**
 * Registers Consul's `/v1/catalog/*`, `/v1/health/*` and `/v1/status/*` endpoints over a local
 * catalog, with blocking queries, `?filter=`, ACL filtering and `?dc=` forwarding.
 */
export function registerCatalogRoutes(app: FastifyInstance, opts: CatalogRoutesOptions): void {
  const { store, filter, acl } = opts;
  const blocking: BlockingOptions = { ...opts, keys: store.keys };

  // Runs a read locally, or forwards it when `?dc=` names another datacenter.
  const read = <T>(
    keys: string[],
    compute: () => Indexed<T>,
    shape?: { endpoint: FilterEndpoint; items: (v: T, keep: (x: unknown) => boolean) => T },
  ) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const q = req.query as Record<string, unknown>;
      const dc = first(q["dc"]);
      if (dc && dc !== store.datacenter) return forward(req, reply, dc, opts.router);
      const expr = first(q["filter"]);
      const keep = expr ? filter(shape?.endpoint ?? "catalog-service", expr) : undefined;
      const value = await blockingRead(req, reply, blocking, { keys, compute });
      return keep && shape ? shape.items(value, keep) : value;
    };

  const list = <T>(endpoint: FilterEndpoint) => ({ endpoint, items: (v: T[], keep: (x: unknown) => boolean) => v.filter(keep) });

  app.get("/v1/catalog/datacenters", async () => opts.router.datacenters());

  app.get("/v1/catalog/services", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const token = acl.token(req);
    const expr = first(q["filter"]);
    const keep = expr ? filter("catalog-services", expr) : undefined;
    return read(CatalogStore.keysFor({ kind: "services" }), () => {
      const r = store.services({ nodeMeta: nodeMeta(q) });
      const value = keep ? servicesMatching(store, Object.keys(r.value), nodeMeta(q), keep) : r.value;
      return { index: r.index, value: acl.filterRecord(token, "service", value, reply) };
    })(req, reply);
  });

  app.get<{ Params: { name: string } }>("/v1/catalog/service/:name", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const token = acl.token(req);
    acl.requireRead(token, "service", req.params.name);
    return read(
      CatalogStore.keysFor({ kind: "service", name: req.params.name }),
      () => store.serviceNodes(req.params.name, { tags: all(q["tag"]), nodeMeta: nodeMeta(q) }),
      list("catalog-service"),
    )(req, reply);
  });

  app.get("/v1/catalog/nodes", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const token = acl.token(req);
    return read(CatalogStore.keysFor({ kind: "nodes" }), () => {
      const r = store.nodes({ nodeMeta: nodeMeta(q) });
      return { index: r.index, value: r.value.filter((n) => acl.allows(token, "node", n.Node, "read", reply)) };
    }, list("catalog-nodes"))(req, reply);
  });

  app.get<{ Params: { node: string } }>("/v1/catalog/node/:node", async (req, reply) => {
    const token = acl.token(req);
    acl.requireRead(token, "node", req.params.node);
    const value = await read(CatalogStore.keysFor({ kind: "node", name: req.params.node }), () => store.node(req.params.node), {
      endpoint: "catalog-node-services",
      items: (v, keep) => {
        if (!v) return v;
        const services = Object.fromEntries(Object.entries(v.Services).filter(([, s]) => keep(s)));
        return { ...v, Services: services };
      },
    })(req, reply);
    // Consul answers `null` for an unknown node; Fastify would send an empty body for undefined.
    return value === undefined ? reply.type("application/json").send("null") : value;
  });

  app.get<{ Params: { name: string } }>("/v1/health/service/:name", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const token = acl.token(req);
    acl.requireRead(token, "service", req.params.name);
    const passingOnly = flag(q, "passing");
    return read(
      CatalogStore.keysFor({ kind: "service", name: req.params.name }),
      () => store.checkServiceNodes(req.params.name, { tags: all(q["tag"]), nodeMeta: nodeMeta(q), passingOnly }),
      list("health-service"),
    )(req, reply);
  });

  app.get<{ Params: { service: string } }>("/v1/health/checks/:service", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    acl.requireRead(acl.token(req), "service", req.params.service);
    return read(
      CatalogStore.keysFor({ kind: "service", name: req.params.service }),
      () => store.serviceChecks(req.params.service, { nodeMeta: nodeMeta(q) }),
      list("health-checks"),
    )(req, reply);
  });

  app.get<{ Params: { node: string } }>("/v1/health/node/:node", async (req, reply) => {
    acl.requireRead(acl.token(req), "node", req.params.node);
    return read(CatalogStore.keysFor({ kind: "node", name: req.params.node }), () => store.nodeChecks(req.params.node), list("health-checks"))(req, reply);
  });

  app.get<{ Params: { state: string } }>("/v1/health/state/:state", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const state = req.params.state;
    if (!["any", "passing", "warning", "critical"].includes(state)) throw new BadRequestError(`Invalid state: ${state}`);
    const token = acl.token(req);
    return read(CatalogStore.keysFor({ kind: "checks" }), () => {
      const r = store.checksInState(state, { nodeMeta: nodeMeta(q) });
      return { index: r.index, value: r.value.filter((c) => acl.allows(token, c.ServiceName ? "service" : "node", c.ServiceName || c.Node, "read", reply)) };
    }, list("health-checks"))(req, reply);
  });

  app.put("/v1/catalog/register", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const dc = first(q["dc"]);
    if (dc && dc !== store.datacenter) return forward(req, reply, dc, opts.router);
    const body = decodeObject(req.body ?? {}, CATALOG_REGISTER) as unknown as RegisterRequest;
    const token = acl.token(req);
    acl.requireWrite(token, "node", body.Node ?? "");
    if (body.Service) acl.requireWrite(token, "service", body.Service.Service ?? "");
    await opts.write({ op: "register", req: body });
    return true;
  });

  app.put("/v1/catalog/deregister", async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const dc = first(q["dc"]);
    if (dc && dc !== store.datacenter) return forward(req, reply, dc, opts.router);
    const body = decodeObject(req.body ?? {}, CATALOG_DEREGISTER) as unknown as DeregisterRequest;
    const token = acl.token(req);
    if (body.ServiceID) {
      const service = store.nodeServices(body.Node ?? "").find((s) => s.ID === body.ServiceID);
      acl.requireWrite(token, "service", service?.Service ?? body.ServiceID);
    } else {
      acl.requireWrite(token, "node", body.Node ?? "");
    }
    await opts.write({ op: "deregister", req: body });
    return true;
  });

  app.get("/v1/status/leader", async (_req, reply) => reply.type("application/json").send(JSON.stringify(opts.serverAddress)));
  app.get("/v1/status/peers", async () => [opts.serverAddress]);
}

// Consul filters `/v1/catalog/services` over its service instances: a service is listed, with the
// tags of its matching instances, when at least one instance matches.
function servicesMatching(store: CatalogStore, names: readonly string[], meta: Record<string, string> | undefined, keep: (x: unknown) => boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const tags = new Set<string>();
    let any = false;
    for (const node of store.serviceNodes(name, { nodeMeta: meta }).value) {
      if (!keep(node)) continue;
      any = true;
      for (const t of node.ServiceTags) tags.add(t);
    }
    if (any) out[name] = [...tags].sort();
  }
  return out;
}

// Proxies a request to a server of another datacenter, as Consul servers forward `?dc=` RPCs.
async function forward(req: FastifyRequest, reply: FastifyReply, dc: string, router: DatacenterRouter): Promise<FastifyReply> {
  const base = router.serverFor(dc);
  if (!base) return reply.code(500).type("text/plain; charset=utf-8").send("No path to datacenter");
  const headers: Record<string, string> = {};
  for (const h of ["x-consul-token", "authorization", "content-type"]) {
    const v = req.headers[h];
    if (typeof v === "string") headers[h] = v;
  }
  const ac = new AbortController();
  reply.raw.once("close", () => ac.abort());
  const res = await fetch(new URL(req.url, base), {
    method: req.method,
    headers,
    body: req.method === "GET" || req.body === undefined ? undefined : JSON.stringify(req.body),
    signal: ac.signal,
  });
  for (const [k, v] of res.headers) if (k.toLowerCase().startsWith("x-consul-") || k.toLowerCase() === "content-type") reply.header(k, v);
  return reply.code(res.status).send(Buffer.from(await res.arrayBuffer()));
}
