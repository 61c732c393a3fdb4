import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";
import { aggregatedStatus } from "../catalog/index.js";
import { BadRequestError, NotFoundError } from "../errors.js";
import type { Acl } from "../http/acl.js";
import { first } from "../http/blocking.js";
import { decodeObject } from "../http/decode.js";
import type { HealthCheck } from "../types.js";
import type { Agent } from "./agent.js";
import { parseCheckDefinition, parseServiceDefinition } from "./definitions.js";
import type { AgentCheck, LocalService } from "./local-state.js";

/** Which documented field set a `?filter=` expression of an agent endpoint is checked against. */
export type AgentFilterEndpoint = "agent-services" | "agent-checks";

/** Compiles a `?filter=` expression; throws a 400-mapped error when invalid. */
export type AgentFilterCompiler = (endpoint: AgentFilterEndpoint, expr: string) => (value: unknown) => boolean;

/** A member of the cluster as `/v1/agent/members` lists it (Serf's member shape). */
export interface AgentMember {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string>;
  /** Serf status: 1 alive, 2 leaving, 3 left, 4 failed. */
  Status: number;
  ProtocolMin: number;
  ProtocolMax: number;
  ProtocolCur: number;
  DelegateMin: number;
  DelegateMax: number;
  DelegateCur: number;
}

/** The agent operations the routes use. */
export type AgentApi = Pick<
  Agent,
  | "info"
  | "services"
  | "service"
  | "checks"
  | "check"
  | "registerService"
  | "deregisterService"
  | "registerCheck"
  | "deregisterCheck"
  | "updateTtl"
  | "setServiceMaintenance"
  | "setNodeMaintenance"
  | "reload"
  | "syncNow"
>;

/** What `registerAgentRoutes` needs. */
export interface AgentRoutesOptions {
  readonly agent: AgentApi;
  readonly acl: Acl;
  /** Compiles `?filter=`; without one, a request carrying a filter is refused with 400. */
  readonly filter?: AgentFilterCompiler;
  /** Every member known (a server lists every node it hears from); the agent alone by default. */
  readonly members?: () => AgentMember[];
}

/** Consul's cap on check output set through the API (`CheckBufSize`). */
const CHECK_BUF_SIZE = 4096;
// Longest a write waits for its push to the server before answering anyway.
const SYNC_WAIT_MS = 5000;
const ALL_METHODS: readonly HTTPMethods[] = ["GET", "PUT", "POST", "DELETE", "PATCH"];

/**
 * Registers Consul's `/v1/agent/*` endpoints over an agent. Mount on a scope prepared with
 * `consulScope` so typed errors become Consul's plain-text answers. Wrong verbs get Consul's
 * 405 "method X not allowed".
 */
export function registerAgentRoutes(app: FastifyInstance, opts: AgentRoutesOptions): void {
  const { agent, acl } = opts;
  // Consul answers an agent write only after trying to push it to the servers (its
  // `syncChanges`), so a client that reads the catalog right after registering sees its change.
  // An unreachable server is left to the sync loop's retries; the write still succeeds locally.
  const sync = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      agent.syncNow().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SYNC_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  };
  const route = (methods: HTTPMethods[], url: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    app.route({ method: methods, url, handler });
    const others = ALL_METHODS.filter((m) => !methods.includes(m));
    app.route({
      method: others,
      url,
      handler: async (req, reply) =>
        reply.code(405).header("Allow", ["OPTIONS", ...methods].join(",")).type("text/plain; charset=utf-8").send(`method ${req.method} not allowed`),
    });
  };
  const params = (req: FastifyRequest) => req.params as Record<string, string>;
  const query = (req: FastifyRequest) => req.query as Record<string, unknown>;
  const empty = async (_req: FastifyRequest, reply: FastifyReply) => reply.code(200).send();
  const keep = (req: FastifyRequest, endpoint: "agent-services" | "agent-checks") => {
    const expr = first(query(req)["filter"]);
    if (!expr) return () => true;
    if (!opts.filter) throw new BadRequestError("filter expressions are not supported by this agent");
    return opts.filter(endpoint, expr);
  };
  const toAgentService = (s: LocalService) => ({ ...s, Datacenter: agent.info.datacenter });
  // Writes to a check need write on its service, or on the node for node-level checks.
  const vetCheckUpdate = (token: string, id: string): AgentCheck => {
    const check = agent.check(id);
    if (!check) throw new NotFoundError(`Unknown check ID ${JSON.stringify(id)}. Ensure that the check ID is passed, not the check name.`);
    if (check.ServiceName) acl.requireWrite(token, "service", check.ServiceName);
    else acl.requireWrite(token, "node", agent.info.node);
    return check;
  };
  const vetServiceUpdate = (token: string, id: string): void => {
    const service = agent.service(id);
    if (!service) throw new NotFoundError(`Unknown service ID ${JSON.stringify(id)}. Ensure that the service ID is passed, not the service name.`);
    acl.requireWrite(token, "service", service.Service);
  };

  route(["GET"], "/v1/agent/self", async (req) => {
    acl.requireRead(acl.token(req), "agent", agent.info.node);
    const { info } = agent;
    return {
      Config: {
        Datacenter: info.datacenter,
        NodeName: info.node,
        NodeID: info.nodeId,
        Server: info.server,
        Revision: info.revision,
        Version: info.version,
        PrimaryDatacenter: info.primaryDatacenter,
      },
      DebugConfig: {},
      Coord: null,
      Member: selfMember(agent),
      Meta: { ...info.nodeMeta },
    };
  });

  route(["GET"], "/v1/agent/members", async (req, reply) => {
    const token = acl.token(req);
    const members = opts.members ? opts.members() : [selfMember(agent)];
    return members.filter((m) => acl.allows(token, "node", m.Name, "read", reply));
  });

  route(["PUT"], "/v1/agent/reload", async (req, reply) => {
    acl.requireWrite(acl.token(req), "agent", agent.info.node);
    await agent.reload();
    return reply.code(200).send();
  });

  route(["GET"], "/v1/agent/services", async (req, reply) => {
    const token = acl.token(req);
    const matches = keep(req, "agent-services");
    const out: Record<string, unknown> = {};
    for (const s of agent.services()) {
      if (!acl.allows(token, "service", s.Service, "read", reply)) continue;
      const value = toAgentService(s);
      if (matches(value)) out[s.ID] = value;
    }
    return out;
  });

  route(["GET"], "/v1/agent/service/:id", async (req) => {
    const id = params(req)["id"] ?? "";
    const service = agent.service(id);
    if (!service) throw new NotFoundError(`unknown service ID: ${id}`);
    acl.requireRead(acl.token(req), "service", service.Service);
    return toAgentService(service);
  });

  route(["PUT"], "/v1/agent/service/register", async (req, reply) => {
    const def = parseServiceDefinition(req.body);
    const token = acl.token(req);
    acl.requireWrite(token, "service", def.service.Service);
    const existing = agent.service(def.service.ID);
    if (existing) acl.requireWrite(token, "service", existing.Service);
    const replace = "replace-existing-checks" in query(req) && first(query(req)["replace-existing-checks"]) !== "false";
    agent.registerService(def, { replaceExistingChecks: replace });
    await sync();
    return reply.code(200).send();
  });

  route(["PUT"], "/v1/agent/service/deregister/:id", async (req, reply) => {
    const id = params(req)["id"] ?? "";
    vetServiceUpdate(acl.token(req), id);
    agent.deregisterService(id);
    await sync();
    return empty(req, reply);
  });

  route(["PUT"], "/v1/agent/service/maintenance/:id", async (req, reply) => {
    const id = params(req)["id"] ?? "";
    if (id === "") throw new BadRequestError("Missing service ID");
    const enable = enableParam(query(req));
    vetServiceUpdate(acl.token(req), id);
    agent.setServiceMaintenance(id, enable, first(query(req)["reason"]) ?? "");
    await sync();
    return empty(req, reply);
  });

  route(["PUT"], "/v1/agent/maintenance", async (req, reply) => {
    const enable = enableParam(query(req));
    acl.requireWrite(acl.token(req), "node", agent.info.node);
    agent.setNodeMaintenance(enable, first(query(req)["reason"]) ?? "");
    await sync();
    return empty(req, reply);
  });

  route(["GET"], "/v1/agent/checks", async (req, reply) => {
    const token = acl.token(req);
    const matches = keep(req, "agent-checks");
    const out: Record<string, AgentCheck> = {};
    for (const c of agent.checks()) {
      const allowed = c.ServiceName ? acl.allows(token, "service", c.ServiceName, "read", reply) : acl.allows(token, "node", agent.info.node, "read", reply);
      if (allowed && matches(c)) out[c.CheckID] = c;
    }
    return out;
  });

  route(["PUT"], "/v1/agent/check/register", async (req, reply) => {
    const def = parseCheckDefinition(req.body);
    const token = acl.token(req);
    if (def.ServiceID) {
      const service = agent.service(def.ServiceID);
      if (!service) throw new NotFoundError(`ServiceID ${JSON.stringify(def.ServiceID)} does not exist`);
      acl.requireWrite(token, "service", service.Service);
    } else {
      acl.requireWrite(token, "node", agent.info.node);
    }
    const existing = agent.check(def.CheckID);
    if (existing) acl.requireWrite(token, existing.ServiceName ? "service" : "node", existing.ServiceName || agent.info.node);
    agent.registerCheck(def);
    await sync();
    return reply.code(200).send();
  });

  route(["PUT"], "/v1/agent/check/deregister/:id", async (req, reply) => {
    const id = params(req)["id"] ?? "";
    vetCheckUpdate(acl.token(req), id);
    agent.deregisterCheck(id);
    await sync();
    return empty(req, reply);
  });

  for (const [verb, status] of [
    ["pass", "passing"],
    ["warn", "warning"],
    ["fail", "critical"],
  ] as const) {
    route(["PUT"], `/v1/agent/check/${verb}/:id`, async (req, reply) => {
      const id = params(req)["id"] ?? "";
      vetCheckUpdate(acl.token(req), id);
      agent.updateTtl(id, status, first(query(req)["note"]) ?? "");
    await sync();
      return empty(req, reply);
    });
  }

  route(["PUT"], "/v1/agent/check/update/:id", async (req, reply) => {
    const body = decodeObject(req.body ?? {}, { Status: "string", Output: "string" });
    const status = body["Status"];
    if (status !== "passing" && status !== "warning" && status !== "critical") {
      throw new BadRequestError(`Invalid check status: '${typeof status === "string" ? status : ""}'`);
    }
    let output = typeof body["Output"] === "string" ? body["Output"] : "";
    const total = Buffer.byteLength(output);
    if (total > CHECK_BUF_SIZE) output = `${Buffer.from(output).subarray(0, CHECK_BUF_SIZE).toString()} ... (captured ${CHECK_BUF_SIZE} of ${total} bytes)`;
    const id = params(req)["id"] ?? "";
    vetCheckUpdate(acl.token(req), id);
    agent.updateTtl(id, status, output);
    await sync();
    return empty(req, reply);
  });

  // Local health of one service, for load balancers that ask the agent directly.
  route(["GET"], "/v1/agent/health/service/name/:name", async (req, reply) => {
    const name = params(req)["name"] ?? "";
    acl.requireRead(acl.token(req), "service", name);
    const services = agent.services().filter((s) => s.Service === name);
    if (services.length === 0) return healthAnswer(reply, req, 404, `ServiceName ${name} Not Found`, undefined);
    const infos = services.map((s) => serviceHealth(s, agent.checks(), agent.info.datacenter));
    const worst = aggregatedStatus(infos.map((i) => ({ CheckID: "", Status: i.AggregatedStatus }) as HealthCheck));
    return healthAnswer(reply, req, httpCodeFor(worst), worst, infos);
  });

  route(["GET"], "/v1/agent/health/service/id/:id", async (req, reply) => {
    const id = params(req)["id"] ?? "";
    const service = agent.service(id);
    if (!service) return healthAnswer(reply, req, 404, `ServiceId ${id} not found`, undefined);
    acl.requireRead(acl.token(req), "service", service.Service);
    const info = serviceHealth(service, agent.checks(), agent.info.datacenter);
    return healthAnswer(reply, req, httpCodeFor(info.AggregatedStatus), info.AggregatedStatus, info);
  });
}

function selfMember(agent: AgentApi): AgentMember {
  const { info } = agent;
  return {
    Name: info.node,
    Addr: info.address,
    Port: 8301,
    Tags: { dc: info.datacenter, role: info.server ? "consul" : "node", id: info.nodeId, build: info.version },
    Status: 1,
    ProtocolMin: 1,
    ProtocolMax: 5,
    ProtocolCur: 2,
    DelegateMin: 2,
    DelegateMax: 5,
    DelegateCur: 4,
  };
}

// Go's strconv.ParseBool, which Consul uses for `?enable=`.
function enableParam(q: Record<string, unknown>): boolean {
  if (!("enable" in q)) throw new BadRequestError("Missing value for enable");
  const raw = first(q["enable"]) ?? "";
  if (["1", "t", "T", "TRUE", "true", "True"].includes(raw)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(raw)) return false;
  throw new BadRequestError(`Invalid value for enable: ${JSON.stringify(raw)}`);
}

function serviceHealth(service: LocalService, checks: AgentCheck[], datacenter: string) {
  const own = checks.filter((c) => c.ServiceID === service.ID || c.ServiceID === "");
  return {
    AggregatedStatus: aggregatedStatus(own as HealthCheck[]),
    Service: { ...service, Datacenter: datacenter },
    Checks: own,
  };
}

function httpCodeFor(status: string): number {
  if (status === "passing") return 200;
  if (status === "warning") return 429;
  return 503;
}

function healthAnswer(reply: FastifyReply, req: FastifyRequest, code: number, text: string, body: unknown): FastifyReply {
  if (first((req.query as Record<string, unknown>)["format"]) === "text" || body === undefined) {
    return reply.code(code).type("text/plain; charset=utf-8").send(text);
  }
  return reply.code(code).type("application/json; charset=utf-8").send(JSON.stringify(body));
}
