import { AclRulesError } from "./errors.js";
import { parseHcl, type Pos, type RuleNode } from "./hcl.js";

/** A rule's disposition: `write` implies `read`; `deny` refuses both. */
export type Disposition = "read" | "write" | "deny";

/** One rule about named resources: `service "web" { policy = "write" }` or its `_prefix` form. */
export interface SegmentRule {
  /** Resource kind without the `_prefix` suffix, e.g. `service`. */
  readonly resource: string;
  /** The name (exact rule) or name prefix (prefix rule) the rule covers; "" is every name. */
  readonly segment: string;
  readonly prefix: boolean;
  readonly policy: Disposition;
}

/** The rules of one policy, as parsed from HCL or JSON. */
export interface PolicyRules {
  /** Rules on named resources, in source order. */
  readonly segments: readonly SegmentRule[];
  /** Rules on unnamed resources (`operator = "read"`, `acl = "write"`). */
  readonly globals: Readonly<Record<string, Disposition>>;
}

// Resources Consul's rule language knows. Meridian enforces service, node, agent, operator and
// acl; the rest (KV, sessions, events, queries, keyring, mesh) are accepted so that policies
// written for Consul load unchanged, and stay inert because Meridian has no such endpoints.
const SEGMENTED = new Set(["service", "node", "agent", "key", "session", "event", "query"]);
const GLOBAL = new Set(["operator", "acl", "keyring", "mesh", "peering"]);
// Fields a segment rule body may carry besides `policy`; Consul uses them for Connect only.
const IGNORED_RULE_FIELDS = new Set(["intentions"]);

/**
 * Parses Consul policy rules, HCL or JSON (JSON when the first non-blank character is `{`, as
 * HCL v1 decides); throws AclRulesError (400) naming line and column when it can.
 */
export function parseRules(text: string): PolicyRules {
  if (text.trim() === "") return { segments: [], globals: {} };
  return interpret(parseHcl(text, text.trimStart().startsWith("{")));
}

function interpret(root: RuleNode): PolicyRules {
  const segments: SegmentRule[] = [];
  const globals: Record<string, Disposition> = {};
  for (const entry of entriesOf(root, "rules")) {
    const prefix = entry.key.endsWith("_prefix");
    const resource = prefix ? entry.key.slice(0, -"_prefix".length) : entry.key;
    if (SEGMENTED.has(resource)) {
      for (const block of entriesOf(entry.value, entry.key, entry.pos)) {
        const policy = rulePolicy(block.value, `${entry.key} ${JSON.stringify(block.key)}`, block.pos ?? entry.pos);
        segments.push({ resource, segment: block.key, prefix, policy });
      }
    } else if (!prefix && GLOBAL.has(resource)) {
      globals[resource] = disposition(entry.value, entry.key, entry.pos);
    } else {
      fail(`unknown ACL resource ${JSON.stringify(entry.key)}`, entry.pos);
    }
  }
  return { segments, globals };
}

// An object's entries; a list of objects (how HCL v1 JSON may spell repeated blocks) is flattened.
function entriesOf(node: RuleNode, what: string, at?: Pos): { key: string; pos?: Pos; value: RuleNode }[] {
  if (node.kind === "object") return [...node.entries];
  if (node.kind === "list") return node.items.flatMap((item) => entriesOf(item, what, item.pos ?? at));
  return fail(`${what}: expected a block of rules`, node.pos ?? at);
}

function rulePolicy(node: RuleNode, what: string, at?: Pos): Disposition {
  let policy: Disposition | undefined;
  for (const field of entriesOf(node, what, at)) {
    if (field.key === "policy") policy = disposition(field.value, what, field.pos);
    else if (!IGNORED_RULE_FIELDS.has(field.key)) fail(`${what}: unknown field ${JSON.stringify(field.key)}`, field.pos ?? at);
  }
  return policy ?? fail(`${what}: missing "policy"`, node.pos ?? at);
}

function disposition(node: RuleNode, what: string, at?: Pos): Disposition {
  if (node.kind === "string" && (node.value === "read" || node.value === "write" || node.value === "deny")) return node.value;
  // `list` is a KV-only level; KV rules are inert here, so it reads as the `read` it includes.
  if (node.kind === "string" && node.value === "list" && what.startsWith("key_prefix")) return "read";
  const shown = node.kind === "string" ? JSON.stringify(node.value) : node.kind;
  return fail(`${what}: invalid policy ${shown}, want "read", "write" or "deny"`, node.pos ?? at);
}

function fail(reason: string, at?: Pos): never {
  throw new AclRulesError(reason, at?.line ?? 0, at?.column ?? 0);
}
