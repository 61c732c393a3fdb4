import { MeridianError } from "../../model/index.js";
import type { DeregisterRequest, HealthCheck, NodeService, RegisterRequest } from "../types.js";

/** The catalog's view of one node, as anti-entropy compares it with the agent's. */
export interface NodeState {
  readonly services: NodeService[];
  readonly checks: HealthCheck[];
}

/**
 * How an agent writes its node into the catalog and reads it back. Implementations speak
 * Consul's public API (`httpCatalogWriter`) or call an in-process store (`storeCatalogWriter`);
 * both pass the contract suite in `catalog-writer-contract.ts`.
 *
 * Errors: `ServerUnreachableError` when no answer came (network, timeout, 5xx such as "No
 * cluster leader") so the caller backs off and retries; any other error means the server
 * answered and refused this one request (e.g. 400), which retrying unchanged will not fix.
 */
export interface CatalogWriter {
  /** `PUT /v1/catalog/register`; resolves once the server acknowledged the write. */
  register(req: RegisterRequest, signal: AbortSignal): Promise<void>;
  /** `PUT /v1/catalog/deregister`; removing something absent succeeds. */
  deregister(req: DeregisterRequest, signal: AbortSignal): Promise<void>;
  /** The node's services and checks in the catalog, or undefined when the node is unknown. */
  nodeState(node: string, signal: AbortSignal): Promise<NodeState | undefined>;
}

/** The server could not be reached or could not serve (network error, timeout, 5xx). */
export class ServerUnreachableError extends MeridianError {
  constructor(message: string, options?: ErrorOptions) {
    super("server_unreachable", message, options);
  }
}

/** The server answered a catalog request with a client error; carries its status and text. */
export class CatalogRejectedError extends MeridianError {
  /** The HTTP status the server answered with. */
  readonly status: number;

  constructor(status: number, message: string) {
    super("catalog_rejected", message);
    this.status = status;
  }
}
