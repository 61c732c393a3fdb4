import type { FastifyReply, FastifyRequest } from "fastify";

/** Resource kinds ACL rules speak about. */
export type AclResource = "service" | "node" | "agent" | "operator";
/** Access levels, from least to most. */
export type AclAccess = "read" | "write";

/**
 * Decides what a request's token may do, as Consul's ACL system does. Reads of lists are filtered
 * silently (and flagged with `X-Consul-Results-Filtered-By-ACLs`); reads and writes of one
 * resource the token may not touch throw PermissionDeniedError (403 "Permission denied").
 */
export interface Acl {
  /** The request's token: `X-Consul-Token`, `Authorization: Bearer`, or `?token=`; "" if none. */
  token(req: FastifyRequest): string;
  /** Whether `token` has `access` to the resource; `reply` gets the filtered header when not. */
  allows(token: string, resource: AclResource, name: string, access: AclAccess, reply?: FastifyReply): boolean;
  /** Throws PermissionDeniedError unless `token` may read the resource. */
  requireRead(token: string, resource: AclResource, name: string): void;
  /** Throws PermissionDeniedError unless `token` may write the resource. */
  requireWrite(token: string, resource: AclResource, name: string): void;
  /** Keeps the entries of a name-keyed record the token may read. */
  filterRecord<T>(token: string, resource: AclResource, record: Record<string, T>, reply?: FastifyReply): Record<string, T>;
}

/** Reads the token from a request the way Consul's HTTP server does. */
export function requestToken(req: FastifyRequest): string {
  const header = req.headers["x-consul-token"];
  if (typeof header === "string" && header !== "") return header;
  const auth = req.headers["authorization"];
  if (typeof auth === "string" && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, "").trim();
  const q = (req.query as Record<string, unknown>)["token"];
  return typeof q === "string" ? q : "";
}

/** The ACL system when ACLs are off (Consul's default): everything is allowed. */
export function openAcl(): Acl {
  return {
    token: requestToken,
    allows: () => true,
    requireRead: () => undefined,
    requireWrite: () => undefined,
    filterRecord: (_t, _r, record) => record,
  };
}
