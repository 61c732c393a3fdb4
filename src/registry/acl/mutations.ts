import { BadRequestError } from "../errors.js";
import { parseRules } from "./rules.js";
import {
  ANONYMOUS_TOKEN_ID,
  GLOBAL_MANAGEMENT_POLICY_ID,
  RESERVED_ID_PREFIX,
  type AclPolicyRecord,
  type AclState,
  type AclTokenRecord,
} from "./state.js";

// Writes to ACL state, applied to a draft copy: a thrown error leaves the live state untouched.
// Error texts are Consul's where Consul has one, so scripts matching on them keep working.

/** What a write needs besides the state: time and fresh IDs. */
export interface MutationContext {
  /** Current time as RFC 3339. */
  readonly now: () => string;
  readonly newId: () => string;
}

/** A decoded policy body (`PUT /v1/acl/policy[/:id]`). */
export interface PolicyInput {
  readonly ID?: string;
  readonly Name?: string;
  readonly Description?: string;
  readonly Rules?: string;
  readonly Datacenters?: string[];
}

/** A decoded token body (`PUT /v1/acl/token[/:accessor]`). */
export interface TokenInput {
  readonly AccessorID?: string;
  readonly SecretID?: string;
  readonly Description?: string;
  readonly Policies?: { ID?: string; Name?: string }[];
  readonly Local?: boolean;
}

const NAME_RE = /^[A-Za-z0-9\-_]{1,128}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates (`id` undefined) or updates a policy; returns the stored record. */
export function setPolicy(state: AclState, input: PolicyInput, id: string | undefined, ctx: MutationContext): AclPolicyRecord {
  const name = input.Name ?? "";
  if (!NAME_RE.test(name)) throw new BadRequestError("Invalid Policy: invalid Name");
  const rules = input.Rules ?? "";
  parseRules(rules);
  const sameName = state.policies.find((p) => p.Name === name && p.ID !== id);
  if (sameName) throw new BadRequestError(`Invalid Policy: A Policy with Name ${JSON.stringify(name)} already exists`);
  const index = ++state.index;
  if (id === undefined) {
    const record: AclPolicyRecord = {
      ID: newUnusedId(state.policies.map((p) => p.ID), ctx.newId),
      Name: name,
      Description: input.Description ?? "",
      Rules: rules,
      Datacenters: input.Datacenters ?? [],
      CreateIndex: index,
      ModifyIndex: index,
    };
    state.policies.push(record);
    return record;
  }
  const existing = state.policies.find((p) => p.ID === id);
  if (!existing) throw new BadRequestError(`Cannot find policy ${JSON.stringify(id)}`);
  if (id === GLOBAL_MANAGEMENT_POLICY_ID && rules !== existing.Rules) {
    throw new BadRequestError("Changing the Rules for the builtin global-management policy is not permitted");
  }
  Object.assign(existing, { Name: name, Description: input.Description ?? "", Rules: rules, Datacenters: input.Datacenters ?? [], ModifyIndex: index });
  return existing;
}

/** Deletes a policy; deleting one that does not exist is not an error (Consul answers true). */
export function deletePolicy(state: AclState, id: string): void {
  if (id === GLOBAL_MANAGEMENT_POLICY_ID) throw new BadRequestError("Deletion of the builtin global-management policy is not permitted");
  const at = state.policies.findIndex((p) => p.ID === id);
  if (at < 0) return;
  state.policies.splice(at, 1);
  state.index++;
}

/** Creates (`accessor` undefined) or updates a token; returns the stored record. */
export function setToken(state: AclState, input: TokenInput, accessor: string | undefined, ctx: MutationContext): AclTokenRecord {
  const policyIDs = resolvePolicyLinks(state, input.Policies ?? []);
  if (accessor === undefined) {
    const accessorID = input.AccessorID || newUnusedId(state.tokens.map((t) => t.AccessorID), ctx.newId);
    const secretID = input.SecretID || newUnusedId(state.tokens.map((t) => t.SecretID), ctx.newId);
    checkNewId("AccessorID", accessorID);
    checkNewId("SecretID", secretID);
    if (state.tokens.some((t) => t.AccessorID === accessorID)) throw new BadRequestError("Invalid Token: AccessorID is already in use");
    if (state.tokens.some((t) => t.SecretID === secretID)) throw new BadRequestError("Invalid Token: SecretID is already in use");
    const index = ++state.index;
    const record: AclTokenRecord = {
      AccessorID: accessorID,
      SecretID: secretID,
      Description: input.Description ?? "",
      PolicyIDs: policyIDs,
      Local: input.Local ?? false,
      CreateTime: ctx.now(),
      CreateIndex: index,
      ModifyIndex: index,
    };
    state.tokens.push(record);
    return record;
  }
  const existing = state.tokens.find((t) => t.AccessorID === accessor);
  if (!existing) throw new BadRequestError(`Cannot find token ${JSON.stringify(accessor)}`);
  if (accessor === state.bootstrapAccessorID) {
    // Its secret and rights come from configuration; an API edit would be undone at restart.
    throw new BadRequestError("The bootstrap token is set by configuration and cannot be modified");
  }
  if (input.SecretID && input.SecretID !== existing.SecretID) throw new BadRequestError("Changing a token's SecretID is not permitted");
  if (input.Local !== undefined && input.Local !== existing.Local) {
    throw new BadRequestError(`Cannot toggle local mode of ${accessor}`);
  }
  Object.assign(existing, { Description: input.Description ?? "", PolicyIDs: policyIDs, ModifyIndex: ++state.index });
  return existing;
}

/** Deletes a token; a missing one is not an error. Builtin and configured tokens refuse. */
export function deleteToken(state: AclState, accessor: string): void {
  if (accessor === ANONYMOUS_TOKEN_ID) throw new BadRequestError("Deletion of the builtin anonymous token is not permitted");
  if (accessor === state.bootstrapAccessorID) {
    throw new BadRequestError("Deletion of the bootstrap token is not permitted: it is set by configuration");
  }
  const at = state.tokens.findIndex((t) => t.AccessorID === accessor);
  if (at < 0) return;
  state.tokens.splice(at, 1);
  state.index++;
}

function resolvePolicyLinks(state: AclState, links: readonly { ID?: string; Name?: string }[]): string[] {
  const ids: string[] = [];
  for (const link of links) {
    const policy = link.ID
      ? state.policies.find((p) => p.ID === link.ID)
      : state.policies.find((p) => p.Name === link.Name);
    if (!policy) {
      throw new BadRequestError(
        link.ID ? `No such ACL policy with ID ${JSON.stringify(link.ID)}` : `No such ACL policy with name ${JSON.stringify(link.Name ?? "")}`,
      );
    }
    if (!ids.includes(policy.ID)) ids.push(policy.ID);
  }
  return ids;
}

function checkNewId(field: string, id: string): void {
  if (!UUID_RE.test(id)) throw new BadRequestError(`Invalid Token: ${field} is not a valid UUID`);
  if (id.startsWith(RESERVED_ID_PREFIX)) throw new BadRequestError(`Invalid Token: UUIDs with the prefix "${RESERVED_ID_PREFIX}" are reserved`);
}

// Random UUIDs do not collide in practice; the bound keeps a broken generator from hanging a write.
function newUnusedId(used: readonly string[], newId: () => string): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const id = newId();
    if (!used.includes(id) && !id.startsWith(RESERVED_ID_PREFIX)) return id;
  }
  throw new Error("ID generator keeps returning IDs already in use");
}
