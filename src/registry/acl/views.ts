import { createHash } from "node:crypto";
import type { AclPolicyRecord, AclState, AclTokenRecord } from "./state.js";

// The JSON shapes of Consul's ACL API (api.ACLToken, api.ACLPolicy and their list stubs).
// `Hash` is base64 bytes as in Consul; clients use it only to notice changes.

/** Consul's stand-in for a secret the caller may not see. */
export const REDACTED = "<hidden>";

/** `GET /v1/acl/token/:accessor` and friends; `redact` hides the secret from acl:read tokens. */
export function tokenView(state: Readonly<AclState>, t: AclTokenRecord, redact: boolean): Record<string, unknown> {
  const policies = t.PolicyIDs.flatMap((id) => {
    const p = state.policies.find((x) => x.ID === id);
    return p ? [{ ID: p.ID, Name: p.Name }] : [];
  });
  return {
    AccessorID: t.AccessorID,
    SecretID: redact ? REDACTED : t.SecretID,
    Description: t.Description,
    // Consul omits an empty list (`json:",omitempty"`).
    ...(policies.length > 0 ? { Policies: policies } : {}),
    Local: t.Local,
    CreateTime: t.CreateTime,
    Hash: hash([t.Description, t.PolicyIDs, t.Local]),
    CreateIndex: t.CreateIndex,
    ModifyIndex: t.ModifyIndex,
  };
}

/** `GET /v1/acl/policy/:id`. */
export function policyView(p: AclPolicyRecord): Record<string, unknown> {
  return { ...policyStub(p), Rules: p.Rules };
}

/** One entry of `GET /v1/acl/policies` (Consul's list leaves out the rules). */
export function policyStub(p: AclPolicyRecord): Record<string, unknown> {
  return {
    ID: p.ID,
    Name: p.Name,
    Description: p.Description,
    ...(p.Datacenters.length > 0 ? { Datacenters: p.Datacenters } : {}),
    Hash: hash([p.Name, p.Description, p.Rules, p.Datacenters]),
    CreateIndex: p.CreateIndex,
    ModifyIndex: p.ModifyIndex,
  };
}

function hash(fields: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(fields)).digest("base64");
}
