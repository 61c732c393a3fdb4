import type { Clock, Logger } from "../../runtime/index.js";
import { SERF_HEALTH_CHECK_ID } from "../catalog/index.js";
import type { RegisterCheck, RegisterRequest, RegisterService } from "../types.js";
import type { Scheduler, TimerHandle } from "./checks/index.js";
import { CatalogRejectedError, ServerUnreachableError, type CatalogWriter } from "./catalog-writer.js";
import type { AgentCheck, LocalService, LocalState } from "./local-state.js";

/** The agent's node as it registers itself. */
export interface NodeInfo {
  readonly node: string;
  /** Consul's node ID (a UUID); may be empty. */
  readonly id: string;
  readonly address: string;
  readonly taggedAddresses: Readonly<Record<string, string>>;
  readonly meta: Readonly<Record<string, string>>;
}

/** Options of `AntiEntropy`; intervals are in milliseconds. */
export interface AntiEntropyOptions {
  readonly state: LocalState;
  readonly writer: CatalogWriter;
  readonly node: NodeInfo;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** Uniform in [0, 1); jitters the retry backoff. */
  readonly random: () => number;
  /** Period of the full sync (Consul's anti-entropy); 60 s by default. */
  readonly syncIntervalMs?: number;
  /** Period of the `serfHealth` heartbeat; 10 s by default. */
  readonly heartbeatMs?: number;
  /** First retry delay after the server became unreachable; doubles up to `retryMaxMs`. */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

const SERF_HEALTH: RegisterCheck = {
  CheckID: SERF_HEALTH_CHECK_ID,
  Name: "Serf Health Status",
  Status: "passing",
  Output: "Agent alive and reachable",
};

/** The server owns these checks of the node; a full sync must never remove them. */
const SERVER_OWNED = new Set([SERF_HEALTH_CHECK_ID]);

/**
 * Keeps the catalog's copy of the agent's node equal to the agent's local state: pushes each
 * change as it happens, reconciles fully every sync interval, and re-registers the node's
 * `serfHealth` check every heartbeat so the server knows the agent is alive.
 *
 * While the server is unreachable the agent keeps its state, counts failures, retries the
 * heartbeat with exponential backoff, and runs a full sync as soon as the server answers again.
 * Pushes never overlap: a change arriving during one is picked up by the next pass.
 */
export class AntiEntropy {
  readonly #o: AntiEntropyOptions;
  readonly #syncIntervalMs: number;
  readonly #heartbeatMs: number;
  readonly #abort = new AbortController();
  #started = false;
  #startedMs = 0;
  #lastContactMs: number | undefined;
  #reachable = true;
  #failures = 0;
  #needFull = true;
  #again = false;
  #running: Promise<void> | undefined;
  #heartbeatTimer: TimerHandle | undefined;
  #heartbeatInFlight = false;
  #syncTimer: TimerHandle | undefined;

  constructor(opts: AntiEntropyOptions) {
    this.#o = opts;
    this.#syncIntervalMs = opts.syncIntervalMs ?? 60_000;
    this.#heartbeatMs = opts.heartbeatMs ?? 10_000;
  }

  /** Starts the heartbeat and the full-sync timer, with a heartbeat and full sync at once. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#startedMs = this.#o.clock.now();
    this.#scheduleHeartbeat(0);
    this.#scheduleFullSync();
    this.#needFull = true;
    this.trigger();
  }

  /** Stops timers and aborts requests in flight; resolves once the current pass ended. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error("agent stopping"));
    this.#clear(this.#heartbeatTimer);
    this.#clear(this.#syncTimer);
    this.#heartbeatTimer = this.#syncTimer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** Asks for the pending changes to be pushed soon (no-op before start or after stop). */
  trigger(): void {
    if (!this.#started || this.#abort.signal.aborted) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => (this.#running = undefined));
  }

  /**
   * Runs a full sync now and resolves when it and every push it caused are done; rejects with
   * ServerUnreachableError when the server could not be reached.
   */
  async syncNow(): Promise<void> {
    this.#needFull = true;
    this.#reachable = true;
    while (this.#running) await this.#running;
    this.trigger();
    await this.#running;
    if (!this.#reachable) throw new ServerUnreachableError("server unreachable");
  }

  /** Milliseconds since the last successful exchange with the server (since start if none). */
  lastContactMs(): number {
    return Math.max(0, this.#o.clock.now() - (this.#lastContactMs ?? this.#startedMs));
  }

  /** Whether the server answered the last exchange. */
  knownLeader(): boolean {
    return this.#reachable && this.#lastContactMs !== undefined;
  }

  /** Consecutive failed exchanges with the server (0 while it answers). */
  failures(): number {
    return this.#failures;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      if (!this.#reachable) return; // the heartbeat's retries bring us back
      try {
        if (this.#needFull) {
          this.#needFull = false;
          await this.#fullSync();
        }
        await this.#push();
      } catch (err) {
        if (this.#abort.signal.aborted) return;
        this.#lost(err);
        return;
      }
    } while (this.#again && !this.#abort.signal.aborted);
  }

  async #fullSync(): Promise<void> {
    const { state, writer, node } = this.#o;
    const remote = await writer.nodeState(node.node, this.#abort.signal);
    this.#contact();
    if (!remote) {
      state.markAllStale();
      return;
    }
    state.reconcile(
      {
        services: remote.services.map(({ CreateIndex: _c, ModifyIndex: _m, Datacenter: _d, ...s }) => s),
        checks: remote.checks.map(({ CreateIndex: _c, ModifyIndex: _m, ...c }) => c),
      },
      SERVER_OWNED,
    );
  }

  // Removals first (a service's removal takes its checks along), then services with their
  // checks, then the remaining checks. A refusal of one entry is logged and left for the next
  // full sync; an unreachable server aborts the pass.
  async #push(): Promise<void> {
    const { state, writer, node, logger } = this.#o;
    const signal = this.#abort.signal;
    const p = state.pending();
    const attempt = async (what: Record<string, unknown>, fn: () => Promise<void>): Promise<boolean> => {
      try {
        await fn();
        this.#contact();
        return true;
      } catch (err) {
        if (!(err instanceof CatalogRejectedError)) throw err;
        this.#contact();
        logger.warn({ ...what, err: err.message }, "catalog refused agent change");
        return false;
      }
    };
    for (const id of p.deletedServices) {
      if (await attempt({ service: id }, () => writer.deregister({ Node: node.node, ServiceID: id }, signal))) state.serviceDeleted(id);
    }
    for (const id of p.deletedChecks) {
      if (await attempt({ check: id }, () => writer.deregister({ Node: node.node, CheckID: id }, signal))) state.checkDeleted(id);
    }
    const sentChecks = new Set<string>();
    for (const { service, version } of p.services) {
      const checks = p.checks.filter((c) => c.check.ServiceID === service.ID);
      const req: RegisterRequest = { ...this.#nodePart(), SkipNodeUpdate: true, Service: toRegisterService(service), Checks: checks.map((c) => toRegisterCheck(c.check)) };
      if (await attempt({ service: service.ID }, () => writer.register(req, signal))) {
        state.serviceSynced(service.ID, version);
        for (const c of checks) state.checkSynced(c.check.CheckID, c.version);
      }
      for (const c of checks) sentChecks.add(c.check.CheckID);
    }
    for (const { check, version } of p.checks) {
      if (sentChecks.has(check.CheckID)) continue;
      const req: RegisterRequest = { ...this.#nodePart(), SkipNodeUpdate: true, Check: toRegisterCheck(check) };
      if (await attempt({ check: check.CheckID }, () => writer.register(req, signal))) state.checkSynced(check.CheckID, version);
    }
  }

  #nodePart(): Pick<RegisterRequest, "ID" | "Node" | "Address" | "TaggedAddresses" | "NodeMeta"> {
    const { node } = this.#o;
    return {
      ...(node.id ? { ID: node.id } : {}),
      Node: node.node,
      Address: node.address,
      TaggedAddresses: { ...node.taggedAddresses },
      NodeMeta: { ...node.meta },
    };
  }

  #heartbeat(): void {
    this.#heartbeatTimer = undefined;
    if (this.#abort.signal.aborted) return;
    this.#heartbeatInFlight = true;
    const req: RegisterRequest = { ...this.#nodePart(), Check: { ...SERF_HEALTH } };
    this.#o.writer
      .register(req, this.#abort.signal)
      .then(
        () => {
          const wasDown = !this.#reachable;
          this.#contact();
          if (wasDown) {
            this.#o.logger.info({ failures: this.#failures }, "catalog server reachable again, resyncing");
            this.#needFull = true;
            this.trigger();
          }
          this.#failures = 0;
          return this.#heartbeatMs;
        },
        (err: unknown) => {
          if (err instanceof CatalogRejectedError) {
            // The server is there but refuses the node (an ACL, say): retrying faster won't help.
            this.#contact();
            this.#o.logger.error({ err: err.message }, "catalog refused agent heartbeat");
            return this.#heartbeatMs;
          }
          this.#lost(err);
          return this.#backoffMs();
        },
      )
      .then((next) => {
        this.#heartbeatInFlight = false;
        if (!this.#abort.signal.aborted && this.#heartbeatTimer === undefined) this.#scheduleHeartbeat(next);
      }, () => undefined);
  }

  #lost(err: unknown): void {
    if (this.#abort.signal.aborted) return;
    this.#failures++;
    const { logger } = this.#o;
    const message = err instanceof Error ? err.message : String(err);
    if (this.#reachable) logger.warn({ err: message }, "catalog server unreachable, serving local state");
    else logger.debug({ err: message, failures: this.#failures }, "catalog server still unreachable");
    this.#reachable = false;
    // Retry soon rather than at the next heartbeat, unless a heartbeat is already on its way.
    if (!this.#heartbeatInFlight) {
      this.#clear(this.#heartbeatTimer);
      this.#scheduleHeartbeat(this.#backoffMs());
    }
  }

  #backoffMs(): number {
    const min = this.#o.retryMinMs ?? 1000;
    const max = this.#o.retryMaxMs ?? 30_000;
    const base = Math.min(max, min * 2 ** Math.min(20, Math.max(0, this.#failures - 1)));
    // Jitter so many agents losing one server do not all come back in the same instant.
    return Math.round(base / 2 + (this.#o.random() * base) / 2);
  }

  #contact(): void {
    this.#lastContactMs = this.#o.clock.now();
    this.#reachable = true;
  }

  #scheduleHeartbeat(ms: number): void {
    this.#heartbeatTimer = this.#o.scheduler.setTimeout(() => this.#heartbeat(), ms);
  }

  #scheduleFullSync(): void {
    this.#syncTimer = this.#o.scheduler.setTimeout(() => {
      this.#needFull = true;
      this.trigger();
      this.#scheduleFullSync();
    }, this.#syncIntervalMs);
  }

  #clear(handle: TimerHandle | undefined): void {
    if (handle !== undefined) this.#o.scheduler.clearTimeout(handle);
  }
}

function toRegisterService(s: LocalService): RegisterService {
  return {
    ID: s.ID,
    Service: s.Service,
    ...(s.Kind ? { Kind: s.Kind } : {}),
    Tags: [...s.Tags],
    Address: s.Address,
    ...(s.TaggedAddresses ? { TaggedAddresses: structuredClone(s.TaggedAddresses) } : {}),
    Meta: { ...s.Meta },
    Port: s.Port,
    Weights: { ...s.Weights },
    EnableTagOverride: s.EnableTagOverride,
  };
}

function toRegisterCheck(c: AgentCheck): RegisterCheck {
  return {
    Node: c.Node,
    CheckID: c.CheckID,
    Name: c.Name,
    Status: c.Status,
    Notes: c.Notes,
    Output: c.Output,
    ServiceID: c.ServiceID,
    Type: c.Type,
    ...(c.Interval ? { Interval: c.Interval } : {}),
    ...(c.Timeout ? { Timeout: c.Timeout } : {}),
  };
}
