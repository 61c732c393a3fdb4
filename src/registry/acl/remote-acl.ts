import type { FastifyReply } from "fastify";
import type { Clock } from "../../runtime/index.js";
import { PermissionDeniedError } from "../errors.js";
import { requestToken, type Acl, type AclAccess, type AclResource } from "../http/acl.js";
import { compileAuthorizer, type Authorizer } from "./authorizer.js";
import { ACL_NOT_FOUND } from "./core.js";
import { parseRules } from "./rules.js";
import { ANONYMOUS_TOKEN_ID } from "./state.js";

/** Options of `createRemoteAcl`. */
export interface RemoteAclOptions {
  /** Base URL of the server that holds tokens and policies. */
  readonly serverUrl: string;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  /** How long a resolved token is trusted before it is asked again; 30 s as Consul's token_ttl. */
  readonly ttlMs?: number;
}

/** An Acl whose tokens are resolved at the server; `prepare` must run before the sync checks. */
export interface RemoteAcl extends Acl {
  /** Resolves `token` at the server (cached for the TTL) so the synchronous checks can answer. */
  prepare(token: string, signal?: AbortSignal): Promise<void>;
}

// What the server said about one token: ACLs off, unknown, or its authorizer.
type Resolution = { kind: "disabled" } | { kind: "unknown" } | { kind: "token"; accessor: string; anonymous: boolean; authz: Authorizer };

/**
 * The ACL system of a client agent, as Consul's: tokens live on the servers, so the agent asks its
 * server who a token is (`/v1/acl/token/self`) and for that token's policies, compiles them with
 * the same rules engine the server uses, and caches the result for a short TTL. A server without
 * ACLs (no `/v1/acl/*`) means everything is allowed.
 */
export function createRemoteAcl(opts: RemoteAclOptions): RemoteAcl {
  const fetchFn = opts.fetch ?? fetch;
  const ttl = opts.ttlMs ?? 30_000;
  const cache = new Map<string, { at: number; resolution: Resolution }>();
  // Once the server is seen without ACLs the agent keeps serving while it is away.
  let disabled = false;

  const ask = async (path: string, token: string, signal?: AbortSignal): Promise<Response> =>
    fetchFn(new URL(path, opts.serverUrl), { headers: token ? { "X-Consul-Token": token } : {}, signal: signal ?? AbortSignal.timeout(10_000) });

  const resolveAt = async (token: string, signal?: AbortSignal): Promise<Resolution> => {
    const self = await ask("/v1/acl/token/self", token, signal);
    if (self.status === 404) return { kind: "disabled" };
    if (self.status === 403) return { kind: "unknown" };
    if (!self.ok) throw new Error(`ACL lookup failed: ${self.status} ${await self.text()}`);
    const body = (await self.json()) as { AccessorID: string; Policies?: { ID: string }[] };
    const rules = [];
    for (const link of body.Policies ?? []) {
      const res = await ask(`/v1/acl/policy/${encodeURIComponent(link.ID)}`, token, signal);
      if (!res.ok) continue;
      rules.push(parseRules(((await res.json()) as { Rules?: string }).Rules ?? ""));
    }
    return { kind: "token", accessor: body.AccessorID, anonymous: body.AccessorID === ANONYMOUS_TOKEN_ID, authz: compileAuthorizer(rules) };
  };

  const get = (token: string): Resolution => {
    const hit = cache.get(token);
    // Checks only run after prepare(); an unknown entry here would be a wiring bug, so deny.
    return hit?.resolution ?? { kind: "unknown" };
  };

  const allowed = (token: string, resource: AclResource, name: string, access: AclAccess): boolean => {
    const r = get(token);
    if (r.kind === "disabled") return true;
    if (r.kind === "unknown") throw new PermissionDeniedError(ACL_NOT_FOUND);
    return r.authz.decide(resource, name, access) === "allow";
  };

  const require = (token: string, resource: AclResource, name: string, access: AclAccess): void => {
    if (allowed(token, resource, name, access)) return;
    const r = get(token);
    const who = r.kind === "token" && !r.anonymous ? `token with AccessorID '${r.accessor}'` : "anonymous token";
    throw new PermissionDeniedError(`Permission denied: ${who} lacks permission '${resource}:${access}'${name ? ` on "${name}"` : ""}`);
  };

  return {
    token: requestToken,
    async prepare(token, signal) {
      const hit = cache.get(token);
      if (hit && opts.clock.now() - hit.at < ttl) return;
      let resolution: Resolution;
      try {
        resolution = await resolveAt(token, signal);
      } catch (err) {
        // Consul's default down policy, extend-cache: while the server is away, what was known stays.
        if (hit) return;
        if (disabled) resolution = { kind: "disabled" };
        else throw err;
      }
      if (resolution.kind === "disabled") disabled = true;
      cache.set(token, { at: opts.clock.now(), resolution });
    },
    allows(token, resource, name, access, reply?: FastifyReply) {
      const ok = allowed(token, resource, name, access);
      if (!ok) reply?.header("X-Consul-Results-Filtered-By-ACLs", "true");
      return ok;
    },
    requireRead: (token, resource, name) => require(token, resource, name, "read"),
    requireWrite: (token, resource, name) => require(token, resource, name, "write"),
    filterRecord(token, resource, record, reply) {
      const out: typeof record = {};
      for (const [name, v] of Object.entries(record)) if (this.allows(token, resource, name, "read", reply)) out[name] = v;
      return out;
    },
  };
}
