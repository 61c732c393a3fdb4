import type { Clock } from "../../runtime/index.js";
import { SERF_HEALTH_CHECK_ID, type CatalogOp, type CatalogStore } from "../catalog/index.js";
import type { RegisterRequest } from "../types.js";

/** Output of the liveness check when an agent has gone silent, as Consul words it. */
export const NODE_DEAD_OUTPUT = "Agent not live or unreachable";

/**
 * Tracks agent heartbeats and marks silent nodes' `serfHealth` critical, standing in for Consul's
 * gossip failure detector: an agent's periodic `serfHealth: passing` registration is its
 * heartbeat, and a node not heard from within `timeoutMs` is declared dead. After a restart every
 * node gets a full timeout of grace, since heartbeats were not persisted.
 */
export class LivenessTracker {
  readonly #store: CatalogStore;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #lastSeen = new Map<string, number>();
  readonly #startedAt: number;

  constructor(store: CatalogStore, clock: Clock, timeoutMs: number) {
    this.#store = store;
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
    this.#startedAt = clock.now();
  }

  /** Notes a write; a registration carrying a passing `serfHealth` check is a heartbeat. */
  observe(op: CatalogOp): void {
    if (op.op === "deregister") {
      if (!op.req.ServiceID && !op.req.CheckID) this.#lastSeen.delete(op.req.Node);
      return;
    }
    const checks = [...(op.req.Check ? [op.req.Check] : []), ...(op.req.Checks ?? [])];
    if (checks.some((c) => (c.CheckID ?? c.Name) === SERF_HEALTH_CHECK_ID && c.Status === "passing")) {
      this.#lastSeen.set(op.req.Node, this.#clock.now());
    }
  }

  /** Milliseconds since `node` was last heard from, or undefined if never since start. */
  silenceMs(node: string): number | undefined {
    const seen = this.#lastSeen.get(node);
    return seen === undefined ? undefined : this.#clock.now() - seen;
  }

  /** The writes that mark every node silent for too long as dead; apply them in order. */
  expired(): CatalogOp[] {
    const now = this.#clock.now();
    const out: CatalogOp[] = [];
    for (const name of this.#store.nodeNames()) {
      const check = this.#store.check(name, SERF_HEALTH_CHECK_ID);
      if (!check || check.Status === "critical") continue;
      const seen = this.#lastSeen.get(name) ?? this.#startedAt;
      if (now - seen <= this.#timeoutMs) continue;
      const req: RegisterRequest = {
        Node: name,
        Address: "",
        SkipNodeUpdate: true,
        Check: { CheckID: SERF_HEALTH_CHECK_ID, Name: check.Name, Status: "critical", Output: NODE_DEAD_OUTPUT },
      };
      out.push({ op: "register", req });
    }
    return out;
  }

  /** Names of nodes that send heartbeats (the members of the cluster). */
  members(): string[] {
    return this.#store.nodeNames().filter((n) => this.#store.check(n, SERF_HEALTH_CHECK_ID) !== undefined);
  }
}
