import { MeridianError } from "../../model/index.js";

/** A stored policy; field names are Consul's wire names so views and files read alike. */
export interface AclPolicyRecord {
  ID: string;
  Name: string;
  Description: string;
  /** Rule text exactly as submitted (HCL or JSON). */
  Rules: string;
  /** Accepted and echoed for Consul clients; Meridian serves one datacenter, so they do not narrow. */
  Datacenters: string[];
  CreateIndex: number;
  ModifyIndex: number;
}

/** A stored token; policies are kept as IDs and named at read time, as Consul does. */
export interface AclTokenRecord {
  AccessorID: string;
  SecretID: string;
  Description: string;
  PolicyIDs: string[];
  Local: boolean;
  /** RFC 3339 creation time. */
  CreateTime: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** Everything the ACL system persists; `index` is the last index handed to a write. */
export interface AclState {
  version: 1;
  index: number;
  /** Accessor of the token whose secret comes from configuration (the bootstrap token). */
  bootstrapAccessorID: string;
  policies: AclPolicyRecord[];
  tokens: AclTokenRecord[];
}

/**
 * Where ACL state lives between restarts. `load` resolves undefined when nothing was ever saved;
 * `save` resolves only once the whole state is durable, and a crash during it leaves either the
 * previous state or the new one. Calls are not concurrent: the caller serializes them.
 */
export interface AclStateStore {
  /** Reads the last saved state, or undefined if there is none. */
  load(signal?: AbortSignal): Promise<AclState | undefined>;
  /** Replaces the saved state; the store keeps its own copy. */
  save(state: AclState, signal?: AbortSignal): Promise<void>;
}

/** An AclStateStore that keeps a copy in memory, for tests and for `-dev` style runs. */
export function memoryAclStateStore(initial?: AclState): AclStateStore {
  let saved = initial === undefined ? undefined : structuredClone(initial);
  return {
    load: async () => (saved === undefined ? undefined : structuredClone(saved)),
    save: async (state) => {
      saved = structuredClone(state);
    },
  };
}

/** Consul's fixed ID of the builtin `global-management` policy. */
export const GLOBAL_MANAGEMENT_POLICY_ID = "00000000-0000-0000-0000-000000000001";
/** Consul's fixed accessor of the anonymous token, used for requests without a token. */
export const ANONYMOUS_TOKEN_ID = "00000000-0000-0000-0000-000000000002";
/** Consul reserves IDs with this prefix for builtin objects. */
export const RESERVED_ID_PREFIX = "00000000-0000-0000-0000-0000000000";

// Consul's own global-management rules: write on everything, including the ACL system. Tokens
// linked to this policy are management tokens because of what the rules say, not a flag.
const GLOBAL_MANAGEMENT_RULES = `
acl = "write"
agent_prefix "" {
  policy = "write"
}
event_prefix "" {
  policy = "write"
}
key_prefix "" {
  policy = "write"
}
keyring = "write"
node_prefix "" {
  policy = "write"
}
operator = "write"
mesh = "write"
peering = "write"
query_prefix "" {
  policy = "write"
}
service_prefix "" {
  policy = "write"
  intentions = "write"
}
session_prefix "" {
  policy = "write"
}
`;

/** Two tokens would share one secret, so requests could not tell them apart. */
export class AclSecretConflictError extends MeridianError {
  constructor(accessorID: string) {
    super("acl_secret_conflict", `the configured bootstrap token secret is already the secret of token ${accessorID}`);
  }
}

/**
 * Brings `state` (or a fresh one) in line with the builtins and the configured bootstrap secret:
 * the global-management policy, the anonymous token, and a management token whose secret is
 * `bootstrapSecret`. Returns the state and whether it changed (and so needs saving).
 */
export function withBuiltins(
  state: AclState | undefined,
  bootstrapSecret: string,
  ctx: { readonly now: () => string; readonly newId: () => string },
): { state: AclState; changed: boolean } {
  const s: AclState = state ? structuredClone(state) : { version: 1, index: 0, bootstrapAccessorID: "", policies: [], tokens: [] };
  let changed = state === undefined;
  const nextIndex = () => {
    changed = true;
    return ++s.index;
  };
  if (!s.policies.some((p) => p.ID === GLOBAL_MANAGEMENT_POLICY_ID)) {
    const index = nextIndex();
    s.policies.push({
      ID: GLOBAL_MANAGEMENT_POLICY_ID,
      Name: "global-management",
      Description: "Builtin Policy that grants unlimited access",
      Rules: GLOBAL_MANAGEMENT_RULES,
      Datacenters: [],
      CreateIndex: index,
      ModifyIndex: index,
    });
  }
  if (!s.tokens.some((t) => t.AccessorID === ANONYMOUS_TOKEN_ID)) {
    const index = nextIndex();
    s.tokens.push({
      AccessorID: ANONYMOUS_TOKEN_ID,
      SecretID: "anonymous",
      Description: "Anonymous Token",
      PolicyIDs: [],
      Local: false,
      CreateTime: ctx.now(),
      CreateIndex: index,
      ModifyIndex: index,
    });
  }
  const clash = s.tokens.find((t) => t.SecretID === bootstrapSecret && t.AccessorID !== s.bootstrapAccessorID);
  if (clash) throw new AclSecretConflictError(clash.AccessorID);
  const boot = s.tokens.find((t) => t.AccessorID === s.bootstrapAccessorID);
  if (!boot) {
    const index = nextIndex();
    s.bootstrapAccessorID = ctx.newId();
    s.tokens.push({
      AccessorID: s.bootstrapAccessorID,
      SecretID: bootstrapSecret,
      Description: "Bootstrap Token (Global Management)",
      PolicyIDs: [GLOBAL_MANAGEMENT_POLICY_ID],
      Local: false,
      CreateTime: ctx.now(),
      CreateIndex: index,
      ModifyIndex: index,
    });
  } else if (boot.SecretID !== bootstrapSecret) {
    // The operator rotated the configured secret; the accessor (and its history) stays.
    boot.SecretID = bootstrapSecret;
    boot.ModifyIndex = nextIndex();
  }
  return { state: s, changed };
}
