import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Registry } from "prom-client";
import type { Clock, Logger, RouteRegistrar, Service } from "../runtime/index.js";
import { createRemoteAcl, createTokenAcl, fileAclStateStore } from "./acl/index.js";
import {
  Agent,
  httpCatalogWriter,
  registerAgentRoutes,
  registerForwardingRoutes,
  storeCatalogWriter,
  systemScheduler,
  type AgentMember,
} from "./agent/index.js";
import { SERF_HEALTH_CHECK_ID } from "./catalog/index.js";
import { openAcl, type Acl } from "./http/acl.js";
import { registerCatalogRoutes } from "./http/catalog-routes.js";
import { consulScope } from "./http/consul-scope.js";
import { consulFilterCompiler } from "./http/filter-compiler.js";
import { RegistryServer } from "./server/index.js";

/** What every registry or agent role needs from the process. */
export interface RoleContext {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly metrics: Registry;
  /** Meridian's version, reported in `/v1/agent/self`. */
  readonly version: string;
  readonly revision: string;
  readonly random?: () => number;
}

/** Options of the server role (`meridian registry`, and inside `meridian up`). */
export interface RegistryRoleOptions extends RoleContext {
  readonly datacenter: string;
  readonly dataDir: string;
  /** This server's own node (Consul servers are agents too). */
  readonly node: string;
  readonly address: string;
  /** Directory of JSON service definitions for the server's own agent. */
  readonly configDir?: string;
  readonly nodeMeta?: Readonly<Record<string, string>>;
  readonly joinWan?: readonly string[];
  /** Turns ACLs on with this management token (Consul's `acl.tokens.initial_management`). */
  readonly aclBootstrapToken?: string;
  /** `host:port` reported by `/v1/status/leader`. */
  readonly serverAddress: string;
  readonly fsync?: "always" | "never";
  readonly heartbeatTimeoutMs?: number;
}

/** Options of the client-agent role (`meridian agent`). */
export interface AgentRoleOptions extends RoleContext {
  /** Base URL of a registry (or real Consul) server. */
  readonly serverUrl: string;
  readonly datacenter: string;
  readonly node: string;
  readonly address: string;
  readonly configDir?: string;
  /** Token the agent uses for its own writes to the server. */
  readonly token?: string;
  readonly nodeMeta?: Readonly<Record<string, string>>;
}

/** The parts of a role: services for the RunGroup (in start order) and its HTTP routes. */
export interface RegistryRole {
  readonly services: Service[];
  readonly routes: RouteRegistrar;
  /** The local agent, for registering the process's own services. */
  readonly agent: Agent;
  /** The server, when this role runs one. */
  readonly server?: RegistryServer;
}

/** Assembles a registry server with its own agent and the full Consul API over them. */
export async function createRegistryRole(opts: RegistryRoleOptions): Promise<RegistryRole> {
  const random = opts.random ?? Math.random;
  const server = new RegistryServer({
    datacenter: opts.datacenter,
    dataDir: opts.dataDir,
    logger: opts.logger.child({ component: "registry" }),
    clock: opts.clock,
    metrics: opts.metrics,
    fsync: opts.fsync,
    heartbeatTimeoutMs: opts.heartbeatTimeoutMs,
    joinWan: opts.joinWan,
  });
  let acl: Acl = openAcl();
  let aclRoutes: ((app: Parameters<RouteRegistrar>[0]) => void) | undefined;
  if (opts.aclBootstrapToken) {
    await mkdir(opts.dataDir, { recursive: true });
    const tokenAcl = await createTokenAcl({ bootstrapToken: opts.aclBootstrapToken, store: fileAclStateStore(join(opts.dataDir, "acl.json")), clock: opts.clock });
    acl = tokenAcl;
    aclRoutes = (app) => tokenAcl.routes(app);
  }
  const agent = new Agent({
    node: opts.node,
    address: opts.address,
    datacenter: opts.datacenter,
    nodeMeta: opts.nodeMeta,
    taggedAddresses: taggedAddresses(opts.address),
    server: true,
    version: opts.version,
    revision: opts.revision,
    writer: storeCatalogWriter({ store: server.store, write: (op) => server.write(op) }),
    configDir: opts.configDir,
    clock: opts.clock,
    scheduler: systemScheduler(),
    logger: opts.logger.child({ component: "agent" }),
    random,
  });
  const routes: RouteRegistrar = async (app) => {
    await app.register(async (scope) => {
      consulScope(scope);
      registerCatalogRoutes(scope, {
        store: server.store,
        write: (op) => server.write(op),
        filter: consulFilterCompiler,
        acl,
        router: server.wan,
        serverAddress: opts.serverAddress,
        random,
        lastContactMs: () => 0,
        knownLeader: () => true,
      });
      registerAgentRoutes(scope, {
        agent,
        acl,
        filter: consulFilterCompiler,
        members: () => server.members().map((name) => member(server, name, opts.datacenter)),
      });
      aclRoutes?.(scope);
    });
  };
  return { services: [server, agent], routes, agent, server };
}

/** Assembles a client agent that syncs to a server and forwards catalog reads to it. */
export function createAgentRole(opts: AgentRoleOptions): RegistryRole {
  const random = opts.random ?? Math.random;
  const scheduler = systemScheduler();
  const agent = new Agent({
    node: opts.node,
    address: opts.address,
    datacenter: opts.datacenter,
    nodeMeta: opts.nodeMeta,
    taggedAddresses: taggedAddresses(opts.address),
    server: false,
    version: opts.version,
    revision: opts.revision,
    writer: httpCatalogWriter({ serverUrl: opts.serverUrl, token: opts.token }),
    configDir: opts.configDir,
    clock: opts.clock,
    scheduler,
    logger: opts.logger.child({ component: "agent" }),
    random,
  });
  // Tokens live on the servers; the agent resolves each request's token there before its checks.
  const acl = createRemoteAcl({ serverUrl: opts.serverUrl, clock: opts.clock });
  const routes: RouteRegistrar = async (app) => {
    await app.register(async (scope) => {
      consulScope(scope);
      scope.addHook("preHandler", async (req) => {
        if (req.url.startsWith("/v1/agent/")) await acl.prepare(acl.token(req));
      });
      registerAgentRoutes(scope, { agent, acl, filter: consulFilterCompiler });
      registerForwardingRoutes(scope, { serverUrl: opts.serverUrl, clock: opts.clock, scheduler });
    });
  };
  return { services: [agent], routes, agent };
}

// A catalog node with a liveness check, shaped as a Serf member of `/v1/agent/members`.
function member(server: RegistryServer, name: string, datacenter: string): AgentMember {
  const alive = server.store.check(name, SERF_HEALTH_CHECK_ID)?.Status === "passing";
  return {
    Name: name,
    Addr: server.store.node(name).value?.Node.Address ?? "",
    Port: 8301,
    Tags: { dc: datacenter, role: "node" },
    Status: alive ? 1 : 4,
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  };
}

// Consul agents publish their advertise address under these tags; with one address, all four.
function taggedAddresses(address: string): Record<string, string> {
  const v6 = address.includes(":");
  return v6 ? { lan: address, lan_ipv6: address, wan: address, wan_ipv6: address } : { lan: address, lan_ipv4: address, wan: address, wan_ipv4: address };
}
