import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { BadRequestError, PermissionDeniedError } from "../errors.js";
import { requestToken } from "../http/acl.js";
import { decodeObject, type Spec } from "../http/decode.js";
import { ACL_NOT_FOUND, type AclCore } from "./core.js";
import { deletePolicy, deleteToken, setPolicy, setToken, type MutationContext, type PolicyInput, type TokenInput } from "./mutations.js";
import { policyStub, policyView, tokenView } from "./views.js";

// Go's api client sends every non-omitempty field of its structs, including server-owned ones
// (indexes, hash, create time); those are accepted and ignored. Features Meridian lacks (roles,
// identities, expiry, auth methods) are refused rather than dropped, since dropping them would
// hand out a token with different rights than the caller asked for.
const POLICY_BODY: Spec = {
  ID: "string",
  Name: "string",
  Description: "string",
  Rules: "string",
  Datacenters: "strings",
  Hash: "any",
  CreateIndex: "any",
  ModifyIndex: "any",
  Namespace: "string",
  Partition: "string",
};

const TOKEN_BODY: Spec = {
  AccessorID: "string",
  SecretID: "string",
  Description: "string",
  Policies: { list: { ID: "string", Name: "string" } },
  Local: "bool",
  Roles: "any",
  ServiceIdentities: "any",
  NodeIdentities: "any",
  TemplatedPolicies: "any",
  AuthMethod: "string",
  AuthMethodNamespace: "string",
  ExpirationTTL: "any",
  ExpirationTime: "any",
  CreateTime: "any",
  Hash: "any",
  CreateIndex: "any",
  ModifyIndex: "any",
  Namespace: "string",
  Partition: "string",
  Legacy: "any",
};

const UNSUPPORTED_TOKEN_FIELDS = ["Roles", "ServiceIdentities", "NodeIdentities", "TemplatedPolicies", "AuthMethod", "ExpirationTTL", "ExpirationTime"];

/**
 * Registers Consul's ACL API (`/v1/acl/policy*`, `/v1/acl/token*`, `/v1/acl/bootstrap`) on a
 * scope prepared by `consulScope`. Reading needs `acl = "read"`, writing `acl = "write"`.
 */
export function registerAclRoutes(app: FastifyInstance, core: AclCore, ctx: MutationContext): void {
  const canRead = (req: FastifyRequest) => core.check(requestToken(req), "acl", "", "read");
  const canWrite = (req: FastifyRequest) => core.check(requestToken(req), "acl", "", "write");
  const withIndex = <T>(reply: FastifyReply, value: T): T => {
    reply.header("X-Consul-Index", String(Math.max(1, core.state.index)));
    return value;
  };

  app.put("/v1/acl/bootstrap", async () => {
    const boot = core.state.tokens.find((t) => t.AccessorID === core.state.bootstrapAccessorID);
    // The bootstrap token always exists (it comes from configuration), so this never succeeds.
    throw new PermissionDeniedError(`Permission denied: ACL bootstrap no longer allowed (reset index: ${boot?.CreateIndex ?? 0})`);
  });

  app.put("/v1/acl/policy", async (req) => {
    canWrite(req);
    const input = decodePolicy(req.body);
    if (input.ID) throw new BadRequestError("Cannot specify the ID when creating a new policy");
    return policyView(await core.mutate((s) => structuredClone(setPolicy(s, input, undefined, ctx))));
  });

  app.put<{ Params: { id: string } }>("/v1/acl/policy/:id", async (req) => {
    canWrite(req);
    const input = decodePolicy(req.body);
    if (input.ID && input.ID !== req.params.id) throw new BadRequestError("Policy ID in URL and payload do not match");
    return policyView(await core.mutate((s) => structuredClone(setPolicy(s, input, req.params.id, ctx))));
  });

  app.get<{ Params: { id: string } }>("/v1/acl/policy/:id", async (req, reply) => {
    // A token may read the policies linked to it, as Consul agents resolve a token's policies
    // through the servers; everything else needs acl:read.
    const caller = core.resolve(requestToken(req));
    if (!caller.PolicyIDs.includes(req.params.id)) canRead(req);
    const policy = core.state.policies.find((p) => p.ID === req.params.id);
    // Consul answers an unknown policy with its ACL-not-found error (403), not 404.
    if (!policy) throw new PermissionDeniedError(ACL_NOT_FOUND);
    return withIndex(reply, policyView(policy));
  });

  app.get("/v1/acl/policies", async (req, reply) => {
    canRead(req);
    return withIndex(reply, core.state.policies.map(policyStub));
  });

  app.delete<{ Params: { id: string } }>("/v1/acl/policy/:id", async (req) => {
    canWrite(req);
    await core.mutate((s) => deletePolicy(s, req.params.id));
    return true;
  });

  app.put("/v1/acl/token", async (req) => {
    canWrite(req);
    const input = decodeToken(req.body);
    return tokenView(core.state, await core.mutate((s) => structuredClone(setToken(s, input, undefined, ctx))), false);
  });

  app.get("/v1/acl/token/self", async (req, reply) => {
    // Any valid token may read itself, secret included; that is how clients check a token.
    return withIndex(reply, tokenView(core.state, core.resolve(requestToken(req)), false));
  });

  app.put<{ Params: { accessor: string } }>("/v1/acl/token/:accessor", async (req) => {
    canWrite(req);
    const input = decodeToken(req.body);
    if (input.AccessorID && input.AccessorID !== req.params.accessor) {
      throw new BadRequestError("Token Accessor ID in URL and payload do not match");
    }
    return tokenView(core.state, await core.mutate((s) => structuredClone(setToken(s, input, req.params.accessor, ctx))), false);
  });

  app.get<{ Params: { accessor: string } }>("/v1/acl/token/:accessor", async (req, reply) => {
    const caller = canRead(req);
    const token = core.state.tokens.find((t) => t.AccessorID === req.params.accessor);
    if (!token) throw new PermissionDeniedError(ACL_NOT_FOUND);
    return withIndex(reply, tokenView(core.state, token, !core.allowed(caller, "acl", "", "write")));
  });

  app.get("/v1/acl/tokens", async (req, reply) => {
    const caller = canRead(req);
    const redact = !core.allowed(caller, "acl", "", "write");
    const policy = (req.query as Record<string, unknown>)["policy"];
    const tokens = typeof policy === "string" && policy !== "" ? core.state.tokens.filter((t) => t.PolicyIDs.includes(policy)) : core.state.tokens;
    return withIndex(
      reply,
      tokens.map((t) => tokenView(core.state, t, redact)),
    );
  });

  app.delete<{ Params: { accessor: string } }>("/v1/acl/token/:accessor", async (req) => {
    canWrite(req);
    await core.mutate((s) => deleteToken(s, req.params.accessor));
    return true;
  });
}

function decodeToken(body: unknown): TokenInput {
  const input = decodeObject(body, TOKEN_BODY);
  for (const field of UNSUPPORTED_TOKEN_FIELDS) {
    const v = input[field];
    if (v === undefined || v === "" || v === 0 || (Array.isArray(v) && v.length === 0)) continue;
    throw new BadRequestError(`Invalid Token: ${field} is not supported by Meridian`);
  }
  defaultTenancyOnly(input, "Token");
  return input as TokenInput;
}

function decodePolicy(body: unknown): PolicyInput {
  const input = decodeObject(body, POLICY_BODY);
  defaultTenancyOnly(input, "Policy");
  return input as PolicyInput;
}

// Namespaces and partitions are Consul Enterprise; the Community edition knows only "default".
function defaultTenancyOnly(input: Record<string, unknown>, what: string): void {
  for (const field of ["Namespace", "Partition"]) {
    const v = input[field];
    if (v !== undefined && v !== "" && v !== "default") throw new BadRequestError(`Invalid ${what}: ${field} ${JSON.stringify(v)} does not exist`);
  }
}
