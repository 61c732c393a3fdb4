import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { systemClock, type Clock } from "../../runtime/index.js";
import { requestToken, type Acl } from "../http/acl.js";
import { AclCore } from "./core.js";
import type { MutationContext } from "./mutations.js";
import { registerAclRoutes } from "./routes.js";
import { withBuiltins, type AclStateStore } from "./state.js";

/** What the token-based ACL system is built from. */
export interface TokenAclOptions {
  /** Secret of the management token set by configuration; it can do everything. */
  readonly bootstrapToken: string;
  /** Where tokens and policies persist. */
  readonly store: AclStateStore;
  /** Decision when no rule of a token speaks to a request (Consul's `acl.default_policy`). */
  readonly defaultPolicy?: "deny" | "allow";
  /** Source of token creation times; the system clock unless a test injects one. */
  readonly clock?: Clock;
  /** Source of accessor, secret and policy IDs; random UUIDs unless a test injects one. */
  readonly newId?: () => string;
  /** Aborts loading the saved state. */
  readonly signal?: AbortSignal;
}

/** The Acl seam backed by Consul-style tokens and policies, plus Consul's ACL HTTP API. */
export interface TokenAcl extends Acl {
  /** Registers `/v1/acl/*` on a scope already prepared with `consulScope`. */
  routes(app: FastifyInstance): void;
}

/**
 * Loads the saved ACL state (adding the builtins and the configured bootstrap token) and returns
 * the ACL system over it. Asynchronous because decisions need the saved tokens: there is no
 * window in which a valid token would be refused for not being loaded yet. An unknown non-empty
 * token secret fails every check with 403 "ACL not found", as in Consul, including `allows` and
 * `filterRecord`, which otherwise only filter.
 */
export async function createTokenAcl(options: TokenAclOptions): Promise<TokenAcl> {
  if (options.bootstrapToken === "" || options.bootstrapToken === "anonymous") {
    throw new RangeError("the ACL bootstrap token must be a non-empty secret other than \"anonymous\"");
  }
  const clock = options.clock ?? systemClock();
  const ctx: MutationContext = {
    now: () => new Date(clock.now()).toISOString(),
    newId: options.newId ?? randomUUID,
  };
  const loaded = await options.store.load(options.signal);
  const { state, changed } = withBuiltins(loaded, options.bootstrapToken, ctx);
  if (changed) await options.store.save(state, options.signal);
  const core = new AclCore(state, options.store, options.defaultPolicy ?? "deny");

  return {
    token: requestToken,
    allows(token, resource, name, access, reply) {
      const ok = core.allowed(core.resolve(token), resource, name, access);
      if (!ok) reply?.header("X-Consul-Results-Filtered-By-ACLs", "true");
      return ok;
    },
    requireRead(token, resource, name) {
      core.check(token, resource, name, "read");
    },
    requireWrite(token, resource, name) {
      core.check(token, resource, name, "write");
    },
    filterRecord(token, resource, record, reply) {
      const caller = core.resolve(token);
      const out: typeof record = {};
      let filtered = false;
      for (const [name, value] of Object.entries(record)) {
        if (core.allowed(caller, resource, name, "read")) out[name] = value;
        else filtered = true;
      }
      if (filtered) reply?.header("X-Consul-Results-Filtered-By-ACLs", "true");
      return out;
    },
    routes: (app) => registerAclRoutes(app, core, ctx),
  };
}
