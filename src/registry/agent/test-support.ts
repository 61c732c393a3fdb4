// Test helpers shared by this folder's tests: a real in-process catalog server on loopback, an
// agent app, and polling with a deadline. Not exported from index.ts.
import Fastify, { type FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { ManualClock, silentLogger } from "../../runtime/index.js";
import { CatalogStore, type CatalogOp } from "../catalog/index.js";
import { AGENT_CHECK_FILTER_SCHEMA, AGENT_SERVICE_FILTER_SCHEMA, compileFilter } from "../filter/index.js";
import { openAcl, type Acl } from "../http/acl.js";
import { registerCatalogRoutes } from "../http/catalog-routes.js";
import { consulScope } from "../http/consul-scope.js";
import { Agent, type AgentOptions } from "./agent.js";
import type { CatalogWriter } from "./catalog-writer.js";
import { ManualScheduler } from "./checks/index.js";
import { registerForwardingRoutes } from "./forwarding.js";
import { registerAgentRoutes, type AgentFilterCompiler } from "./routes.js";

/** A catalog server: a CatalogStore served with the real catalog routes on loopback. */
export interface CatalogServer {
  readonly store: CatalogStore;
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a catalog server; `port` reuses a port (to bring a stopped server back). */
export async function startCatalogServer(store = new CatalogStore("dc1"), port = 0): Promise<CatalogServer> {
  const app = Fastify();
  consulScope(app);
  const write = async (op: CatalogOp) => store.apply(op)?.index ?? store.index;
  registerCatalogRoutes(app, {
    store,
    write,
    filter: () => () => true,
    acl: openAcl(),
    router: { datacenters: () => ["dc1"], serverFor: () => undefined },
    serverAddress: "127.0.0.1:8300",
    random: () => 0,
    lastContactMs: () => 0,
    knownLeader: () => true,
  });
  await app.listen({ host: "127.0.0.1", port });
  const actual = (app.server.address() as AddressInfo).port;
  return { store, url: `http://127.0.0.1:${actual}`, port: actual, close: () => app.close() };
}

/** The agent filter compiler over the real filter language. */
export const agentFilter: AgentFilterCompiler = (endpoint, expr) => {
  const p = compileFilter(expr, endpoint === "agent-services" ? AGENT_SERVICE_FILTER_SCHEMA : AGENT_CHECK_FILTER_SCHEMA);
  return (v) => p(v);
};

/** An agent on a manual clock and scheduler, with its HTTP API on loopback. */
export interface AgentHarness {
  readonly agent: Agent;
  readonly clock: ManualClock;
  readonly scheduler: ManualScheduler;
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts an agent (node `n1`) with `writer`, on manual time, serving `/v1/agent/*`. */
export async function startAgent(
  writer: CatalogWriter,
  opts: Partial<AgentOptions> & { forwardTo?: string; acl?: Acl } = {},
): Promise<AgentHarness> {
  const clock = new ManualClock(1_700_000_000_000);
  const scheduler = new ManualScheduler(clock);
  const agent = new Agent({
    node: "n1",
    nodeId: "00000000-0000-0000-0000-000000000001",
    address: "10.0.0.1",
    datacenter: "dc1",
    writer,
    clock,
    scheduler,
    logger: silentLogger(),
    random: () => 0,
    retryMinMs: 100,
    retryMaxMs: 1000,
    ...opts,
  });
  const app = Fastify();
  consulScope(app);
  registerAgentRoutes(app, { agent, acl: opts.acl ?? openAcl(), filter: agentFilter });
  if (opts.forwardTo) registerForwardingRoutes(app, { serverUrl: opts.forwardTo, clock, scheduler, blockingFallbackMs: 250 });
  await agent.start(AbortSignal.timeout(5000));
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    agent,
    clock,
    scheduler,
    url,
    app,
    close: async () => {
      await agent.stop();
      await app.close();
    },
  };
}

/** Polls `fn` until it returns without throwing, or rethrows its last error after `timeoutMs`. */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/** A request to an agent or server; returns status, text and headers. */
export async function call(url: string, method = "GET", body?: unknown): Promise<{ status: number; text: string; json: () => unknown; headers: Headers }> {
  const res = await fetch(url, { method, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text), headers: res.headers };
}
