import type { AclAccess, AclResource } from "../http/acl.js";
import type { Disposition, PolicyRules } from "./rules.js";

/** What a set of rules says about one request: allowed, refused, or silent (the default decides). */
export type Decision = "allow" | "deny" | "default";

/** Resources a decision can be asked about: the Acl seam's, plus the ACL system itself. */
export type AuthzResource = AclResource | "acl";

/** The compiled rules of every policy linked to one token. */
export interface Authorizer {
  /** The rules' decision for `access` to the resource `name` ("" for unnamed resources). */
  decide(resource: AuthzResource, name: string, access: AclAccess): Decision;
}

interface Leaf {
  exact?: Disposition;
  prefix?: Disposition;
}

/**
 * Merges the rules of several policies the way Consul does and compiles them: for the same
 * resource, segment and kind (exact or prefix) `deny` beats `write` beats `read`, whichever
 * policy each came from. Lookups then follow Consul's order: an exact rule for the name wins;
 * otherwise the longest matching prefix rule decides; with neither, the decision is "default".
 */
export function compileAuthorizer(policies: readonly PolicyRules[]): Authorizer {
  const trees = new Map<string, Map<string, Leaf>>();
  const globals = new Map<string, Disposition>();
  for (const rules of policies) {
    for (const r of rules.segments) {
      let tree = trees.get(r.resource);
      if (!tree) trees.set(r.resource, (tree = new Map()));
      const leaf = tree.get(r.segment) ?? {};
      const kind = r.prefix ? "prefix" : "exact";
      leaf[kind] = strongest(leaf[kind], r.policy);
      tree.set(r.segment, leaf);
    }
    for (const [resource, policy] of Object.entries(rules.globals)) globals.set(resource, strongest(globals.get(resource), policy));
  }
  // Longest first, so the first prefix that matches is the most specific one.
  const prefixes = new Map<string, [string, Disposition][]>();
  for (const [resource, tree] of trees) {
    const list: [string, Disposition][] = [];
    for (const [segment, leaf] of tree) if (leaf.prefix) list.push([segment, leaf.prefix]);
    prefixes.set(resource, list.sort((a, b) => b[0].length - a[0].length));
  }
  return {
    decide(resource, name, access) {
      if (resource === "operator" || resource === "acl") return enforce(globals.get(resource), access);
      const exact = trees.get(resource)?.get(name)?.exact;
      if (exact) return enforce(exact, access);
      const match = prefixes.get(resource)?.find(([segment]) => name.startsWith(segment));
      return enforce(match?.[1], access);
    },
  };
}

const RANK: Record<Disposition, number> = { read: 1, write: 2, deny: 3 };

function strongest(a: Disposition | undefined, b: Disposition): Disposition {
  return a !== undefined && RANK[a] >= RANK[b] ? a : b;
}

function enforce(rule: Disposition | undefined, access: AclAccess): Decision {
  if (rule === undefined) return "default";
  if (rule === "deny") return "deny";
  return rule === "write" || access === "read" ? "allow" : "deny";
}
