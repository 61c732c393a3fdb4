import type { CatalogOp, CatalogStore } from "../catalog/index.js";
import { BadRequestError } from "../errors.js";
import type { DeregisterRequest, RegisterRequest } from "../types.js";
import { CatalogRejectedError, type CatalogWriter, type NodeState } from "./catalog-writer.js";

/** Options of `storeCatalogWriter`. */
export interface StoreCatalogWriterOptions {
  readonly store: CatalogStore;
  /** Applies a write durably (journal, then store), resolving with its index once acknowledged. */
  readonly write: (op: CatalogOp) => Promise<number>;
}

/**
 * A CatalogWriter for an agent living in the server's process: it writes through the server's
 * durable write path and reads the store directly, with no loopback HTTP.
 */
export function storeCatalogWriter(opts: StoreCatalogWriterOptions): CatalogWriter {
  const write = async (op: CatalogOp): Promise<void> => {
    try {
      await opts.write(op);
    } catch (err) {
      // Same shape as the HTTP writer's 400, so the sync loop treats both alike.
      if (err instanceof BadRequestError) throw new CatalogRejectedError(400, err.message);
      throw err;
    }
  };
  return {
    async register(req: RegisterRequest, signal: AbortSignal): Promise<void> {
      signal.throwIfAborted();
      await write({ op: "register", req: structuredClone(req) });
    },
    async deregister(req: DeregisterRequest, signal: AbortSignal): Promise<void> {
      signal.throwIfAborted();
      await write({ op: "deregister", req: { ...req } });
    },
    async nodeState(node: string, signal: AbortSignal): Promise<NodeState | undefined> {
      signal.throwIfAborted();
      if (opts.store.node(node).value === undefined) return undefined;
      return { services: opts.store.nodeServices(node), checks: opts.store.nodeChecks(node).value };
    },
  };
}
