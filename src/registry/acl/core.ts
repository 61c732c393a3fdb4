import { PermissionDeniedError } from "../errors.js";
import type { AclAccess } from "../http/acl.js";
import { compileAuthorizer, type Authorizer, type AuthzResource } from "./authorizer.js";
import { AclStateCorruptError } from "./errors.js";
import { parseRules, type PolicyRules } from "./rules.js";
import { ANONYMOUS_TOKEN_ID, type AclState, type AclStateStore, type AclTokenRecord } from "./state.js";

/** Consul's answer for a token secret it does not know. */
export const ACL_NOT_FOUND = "ACL not found";

/**
 * The live ACL state and the decisions made from it. Reads see one consistent state; writes run
 * one at a time on a copy, are saved durably, and only then replace the live state, so a failed
 * save changes nothing and a reply is never sent for a write a restart would forget.
 */
export class AclCore {
  readonly #store: AclStateStore;
  readonly #defaultPolicy: "deny" | "allow";
  #state!: AclState;
  #bySecret = new Map<string, AclTokenRecord>();
  // Policy ID → its rule text and the parse of it, so a write re-parses only what it changed.
  #rules = new Map<string, { readonly text: string; readonly rules: PolicyRules }>();
  // Compiled per token on first use; dropped wholesale on every write, which is rare.
  #authorizers = new Map<string, Authorizer>();
  #tail: Promise<unknown> = Promise.resolve();

  constructor(state: AclState, store: AclStateStore, defaultPolicy: "deny" | "allow") {
    this.#store = store;
    this.#defaultPolicy = defaultPolicy;
    this.#install(state, true);
  }

  /** The live state; callers must not modify it. */
  get state(): Readonly<AclState> {
    return this.#state;
  }

  /** The token a secret names; "" and "anonymous" name the anonymous token. */
  resolve(secret: string): AclTokenRecord {
    const token = this.#bySecret.get(secret === "" ? "anonymous" : secret);
    if (!token) throw new PermissionDeniedError(ACL_NOT_FOUND);
    return token;
  }

  /** Whether the token may have `access`; rules first, then the configured default policy. */
  allowed(token: AclTokenRecord, resource: AuthzResource, name: string, access: AclAccess): boolean {
    const decision = this.#authorizer(token).decide(resource, name, access);
    if (decision !== "default") return decision === "allow";
    // Consul's "allow" default still keeps ACL management to tokens that are granted it.
    return this.#defaultPolicy === "allow" && resource !== "acl";
  }

  /** Throws PermissionDeniedError, worded as Consul words it, unless the secret's token may. */
  check(secret: string, resource: AuthzResource, name: string, access: AclAccess): AclTokenRecord {
    const token = this.resolve(secret);
    if (this.allowed(token, resource, name, access)) return token;
    throw new PermissionDeniedError(deniedMessage(token.AccessorID, resource, name, access));
  }

  /** Applies `fn` to a copy of the state, saves it, then makes it live; resolves with fn's result. */
  mutate<R>(fn: (draft: AclState) => R, signal?: AbortSignal): Promise<R> {
    const run = async (): Promise<R> => {
      const draft = structuredClone(this.#state);
      const result = fn(draft);
      await this.#store.save(draft, signal);
      this.#install(draft, false);
      return result;
    };
    const done = this.#tail.then(run, run);
    this.#tail = done.catch(() => undefined);
    return done;
  }

  #install(state: AclState, fromStore: boolean): void {
    const rules = new Map<string, { readonly text: string; readonly rules: PolicyRules }>();
    for (const p of state.policies) {
      const cached = this.#rules.get(p.ID);
      try {
        rules.set(p.ID, cached?.text === p.Rules ? cached : { text: p.Rules, rules: parseRules(p.Rules) });
      } catch (err) {
        // Writes validate rules first; only a hand-edited state file gets here.
        if (fromStore) throw new AclStateCorruptError(`policy ${p.ID}`, (err as Error).message, { cause: err });
        throw err;
      }
    }
    this.#state = state;
    this.#rules = rules;
    this.#bySecret = new Map(state.tokens.map((t) => [t.SecretID, t]));
    this.#authorizers = new Map();
  }

  #authorizer(token: AclTokenRecord): Authorizer {
    let authz = this.#authorizers.get(token.AccessorID);
    if (!authz) {
      // Links to deleted policies are skipped, as Consul resolves them lazily too.
      const rules = token.PolicyIDs.flatMap((id) => this.#rules.get(id)?.rules ?? []);
      authz = compileAuthorizer(rules);
      this.#authorizers.set(token.AccessorID, authz);
    }
    return authz;
  }
}

// Consul 1.x's PermissionDeniedError text (acl/errors.go), including its anonymous-token hint.
function deniedMessage(accessorID: string, resource: AuthzResource, name: string, access: AclAccess): string {
  const anonymous = accessorID === ANONYMOUS_TOKEN_ID;
  let message = `Permission denied: ${anonymous ? "anonymous token" : `token with AccessorID '${accessorID}'`}`;
  message += ` lacks permission '${resource}:${access}'`;
  if (name !== "") message += ` on "${name}"`;
  if (anonymous) message += ". The anonymous token is used implicitly when a request does not specify a token.";
  return message;
}
