import type { Clock, Logger, Service } from "../../runtime/index.js";
import { NODE_MAINTENANCE_CHECK_ID, SERVICE_MAINTENANCE_CHECK_PREFIX } from "../catalog/index.js";
import { NotFoundError } from "../errors.js";
import type { HealthStatus } from "../types.js";
import { AntiEntropy } from "./anti-entropy.js";
import type { CatalogWriter } from "./catalog-writer.js";
import { TtlCheck, checkType, createCheckRunner, type CheckDefinition, type CheckRunner, type Scheduler, type TimerHandle } from "./checks/index.js";
import { loadConfigDir } from "./config-dir.js";
import { MIN_DEREGISTER_CRITICAL_MS, formatGoDuration, type ServiceDefinition } from "./definitions.js";
import { AgentConfigError, CheckNotTtlError } from "./errors.js";
import { LocalState, type AgentCheck, type LocalService, type Origin } from "./local-state.js";

/** Consul's note on a maintenance check enabled without a reason. */
export const DEFAULT_SERVICE_MAINTENANCE_REASON = "Maintenance mode is enabled for this service, but no reason was provided. This is a default message.";
/** Consul's note on node maintenance enabled without a reason. */
export const DEFAULT_NODE_MAINTENANCE_REASON = "Maintenance mode is enabled for this node, but no reason was provided. This is a default message.";

const API: Origin = { kind: "api" };

/** Options of `Agent`; intervals are in milliseconds. */
export interface AgentOptions {
  /** The node's name (Consul's `node_name`). */
  readonly node: string;
  /** The node's ID (a UUID); empty when unknown. */
  readonly nodeId?: string;
  /** The node's address as registered in the catalog. */
  readonly address: string;
  readonly datacenter: string;
  readonly primaryDatacenter?: string;
  readonly nodeMeta?: Readonly<Record<string, string>>;
  readonly taggedAddresses?: Readonly<Record<string, string>>;
  /** Whether this agent is a server's own agent (reported by `/v1/agent/self`). */
  readonly server?: boolean;
  /** Version reported as Consul's; clients gating features on it see a Consul they know. */
  readonly version?: string;
  readonly revision?: string;
  readonly writer: CatalogWriter;
  /** Directory of `*.json` service and check definitions, loaded at start and on reload. */
  readonly configDir?: string;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** Uniform in [0, 1); staggers checks and jitters retries. */
  readonly random: () => number;
  /** Client of HTTP checks; Node's own when absent. */
  readonly fetch?: typeof fetch;
  /** Full-sync period; 60 s by default. */
  readonly syncIntervalMs?: number;
  /** `serfHealth` heartbeat period; 10 s by default. */
  readonly heartbeatMs?: number;
  /** Period of the reaper of services critical past `DeregisterCriticalServiceAfter`; 30 s. */
  readonly reapIntervalMs?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

/** Facts about the agent that `/v1/agent/self` and `/v1/agent/members` report. */
export interface AgentInfo {
  readonly node: string;
  readonly nodeId: string;
  readonly address: string;
  readonly datacenter: string;
  readonly primaryDatacenter: string;
  readonly server: boolean;
  readonly version: string;
  readonly revision: string;
  readonly nodeMeta: Readonly<Record<string, string>>;
}

/**
 * The Consul agent of one node: keeps the node's services and checks, runs the checks, keeps
 * the catalog in step through anti-entropy, and reaps services whose check stayed critical past
 * their `DeregisterCriticalServiceAfter`. Local state is served even while the server is away.
 */
export class Agent implements Service {
  readonly name = "agent";
  readonly info: AgentInfo;
  readonly #o: AgentOptions;
  readonly #state: LocalState;
  readonly #sync: AntiEntropy;
  readonly #runners = new Map<string, CheckRunner>();
  #started = false;
  #stopped = false;
  #reaper: TimerHandle | undefined;
  // Reloads are serialized so two overlapping ones cannot interleave their changes.
  #reloading: Promise<void> = Promise.resolve();

  constructor(opts: AgentOptions) {
    this.#o = opts;
    this.info = {
      node: opts.node,
      nodeId: opts.nodeId ?? "",
      address: opts.address,
      datacenter: opts.datacenter,
      primaryDatacenter: opts.primaryDatacenter ?? opts.datacenter,
      server: opts.server ?? false,
      version: opts.version ?? "1.16.0",
      revision: opts.revision ?? "",
      nodeMeta: { ...(opts.nodeMeta ?? {}) },
    };
    this.#state = new LocalState(() => this.#sync?.trigger());
    this.#sync = new AntiEntropy({
      state: this.#state,
      writer: opts.writer,
      node: { node: opts.node, id: opts.nodeId ?? "", address: opts.address, taggedAddresses: opts.taggedAddresses ?? {}, meta: opts.nodeMeta ?? {} },
      clock: opts.clock,
      scheduler: opts.scheduler,
      logger: opts.logger,
      random: opts.random,
      ...pickDefined({ syncIntervalMs: opts.syncIntervalMs, heartbeatMs: opts.heartbeatMs, retryMinMs: opts.retryMinMs, retryMaxMs: opts.retryMaxMs }),
    });
  }

  /** Loads the config dir (rejecting on a bad file), starts the checks, the sync and the reaper. */
  async start(signal: AbortSignal): Promise<void> {
    const files = this.#o.configDir ? await loadConfigDir(this.#o.configDir) : [];
    signal.throwIfAborted();
    // Runners created before start wait for it, so a bad config leaves nothing running.
    this.#applyConfig(files);
    this.#started = true;
    for (const runner of this.#runners.values()) runner.start();
    this.#sync.start();
    this.#scheduleReap();
  }

  /** Stops the checks, timers and sync; the catalog keeps the node until its heartbeat lapses. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#reaper !== undefined) this.#o.scheduler.clearTimeout(this.#reaper);
    for (const runner of this.#runners.values()) runner.stop();
    this.#runners.clear();
    await this.#sync.stop();
  }

  ready(): boolean {
    return this.#started && !this.#stopped;
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** The node's services, sorted by ID. */
  services(): LocalService[] {
    return this.#state.services();
  }

  /** One service, or undefined. */
  service(id: string): LocalService | undefined {
    return this.#state.service(id);
  }

  /** The node's checks, sorted by ID. */
  checks(): AgentCheck[] {
    return this.#state.checks();
  }

  /** One check, or undefined. */
  check(id: string): AgentCheck | undefined {
    return this.#state.check(id);
  }

  /** Milliseconds since the server last answered. */
  lastContactMs(): number {
    return this.#sync.lastContactMs();
  }

  /** Whether the server answered the last exchange. */
  knownLeader(): boolean {
    return this.#sync.knownLeader();
  }

  /** Runs a full sync now; rejects with ServerUnreachableError when the server is away. */
  syncNow(): Promise<void> {
    return this.#sync.syncNow();
  }

  // ---- writes --------------------------------------------------------------------------------

  /**
   * Adds or replaces a service and its checks. Existing checks of the service stay unless
   * `replaceExistingChecks` (then those not in the definition go, maintenance excepted).
   * A check whose definition did not change keeps its runner and status.
   */
  registerService(def: ServiceDefinition, opts: { replaceExistingChecks?: boolean; origin?: Origin } = {}): void {
    const origin = opts.origin ?? API;
    this.#state.upsertService(def.service, origin);
    if (opts.replaceExistingChecks) {
      const keep = new Set(def.checks.map((c) => c.CheckID));
      for (const c of this.#state.checks()) {
        if (c.ServiceID !== def.service.ID || keep.has(c.CheckID) || isMaintenance(c.CheckID)) continue;
        this.#removeCheck(c.CheckID);
      }
    }
    for (const check of def.checks) this.#addCheck(check, origin);
  }

  /** Removes a service and its checks; NotFoundError when unknown. */
  deregisterService(id: string): void {
    const removed = this.#state.removeService(id);
    if (!removed) throw unknownService(id);
    for (const cid of removed) this.#stopRunner(cid);
  }

  /** Adds or replaces a check; NotFoundError when its ServiceID is not a local service. */
  registerCheck(def: CheckDefinition, origin: Origin = API): void {
    if (def.ServiceID && !this.#state.service(def.ServiceID)) throw new NotFoundError(`ServiceID ${JSON.stringify(def.ServiceID)} does not exist`);
    this.#addCheck(def, origin);
  }

  /** Removes a check; NotFoundError when unknown. */
  deregisterCheck(id: string): void {
    if (!this.#state.check(id)) throw unknownCheck(id);
    this.#removeCheck(id);
  }

  /**
   * Sets a TTL check's status and output and restarts its TTL (`/v1/agent/check/pass|warn|fail|
   * update`). NotFoundError when unknown; CheckNotTtlError when it is not a TTL check.
   */
  updateTtl(id: string, status: Exclude<HealthStatus, "maintenance">, output: string): void {
    if (!this.#state.check(id)) throw unknownCheck(id);
    const runner = this.#runners.get(id);
    if (!(runner instanceof TtlCheck)) throw new CheckNotTtlError(id);
    runner.update(status, output);
  }

  /** Puts a service into maintenance (a critical `_service_maintenance:<id>` check) or out. */
  setServiceMaintenance(id: string, enable: boolean, reason: string): void {
    const service = this.#state.service(id);
    if (!service) throw unknownService(id);
    const checkID = SERVICE_MAINTENANCE_CHECK_PREFIX + id;
    if (!enable) {
      if (this.#state.removeCheck(checkID)) this.#o.logger.info({ service: id }, "service left maintenance mode");
      return;
    }
    // Enabling twice keeps the first reason, as Consul does.
    if (this.#state.check(checkID)) return;
    this.#state.upsertCheck(
      this.#maintenanceCheck(checkID, "Service Maintenance Mode", reason || DEFAULT_SERVICE_MAINTENANCE_REASON, service),
      { origin: API },
      this.#o.clock.now(),
    );
    this.#o.logger.info({ service: id }, "service entered maintenance mode");
  }

  /** Puts the whole node into maintenance (a critical `_node_maintenance` check) or out. */
  setNodeMaintenance(enable: boolean, reason: string): void {
    if (!enable) {
      if (this.#state.removeCheck(NODE_MAINTENANCE_CHECK_ID)) this.#o.logger.info("node left maintenance mode");
      return;
    }
    if (this.#state.check(NODE_MAINTENANCE_CHECK_ID)) return;
    this.#state.upsertCheck(
      this.#maintenanceCheck(NODE_MAINTENANCE_CHECK_ID, "Node Maintenance Mode", reason || DEFAULT_NODE_MAINTENANCE_REASON, undefined),
      { origin: API },
      this.#o.clock.now(),
    );
    this.#o.logger.info("node entered maintenance mode");
  }

  /**
   * Re-reads the config dir: services and checks gone from the files are removed, new or changed
   * ones registered, API-registered ones untouched. A bad file rejects with AgentConfigError and
   * leaves the state as it was.
   */
  reload(): Promise<void> {
    const run = this.#reloading.then(async () => {
      if (!this.#o.configDir) return;
      this.#applyConfig(await loadConfigDir(this.#o.configDir));
    });
    this.#reloading = run.catch(() => undefined);
    return run;
  }

  // ---- internals -----------------------------------------------------------------------------

  #applyConfig(files: Awaited<ReturnType<typeof loadConfigDir>>): void {
    const services = new Map<string, { def: ServiceDefinition; file: string }>();
    const checks = new Map<string, { def: CheckDefinition; file: string }>();
    for (const f of files) {
      for (const def of f.services) services.set(def.service.ID, { def, file: f.file });
      for (const def of f.checks) checks.set(def.CheckID, { def, file: f.file });
    }
    // Validate everything before changing anything.
    for (const [id, { def, file }] of checks) {
      const sid = def.ServiceID;
      if (sid && !services.has(sid) && !this.#state.service(sid)) {
        throw new AgentConfigError(`invalid config file ${JSON.stringify(file)}: check ${JSON.stringify(id)}: ServiceID ${JSON.stringify(sid)} does not exist`);
      }
    }
    const wantedChecks = new Set([...checks.keys(), ...[...services.values()].flatMap((s) => s.def.checks.map((c) => c.CheckID))]);
    for (const s of this.#state.services()) {
      if (this.#state.serviceOrigin(s.ID)?.kind === "config" && !services.has(s.ID)) {
        this.#o.logger.info({ service: s.ID }, "service removed from config dir, deregistering");
        this.deregisterService(s.ID);
      }
    }
    for (const c of this.#state.checks()) {
      if (this.#state.checkMeta(c.CheckID)?.origin.kind === "config" && !wantedChecks.has(c.CheckID)) this.#removeCheck(c.CheckID);
    }
    for (const { def, file } of services.values()) this.registerService(def, { origin: { kind: "config", file } });
    for (const { def, file } of checks.values()) this.registerCheck(def, { kind: "config", file });
  }

  #addCheck(def: CheckDefinition, origin: Origin): void {
    const existing = this.#state.checkMeta(def.CheckID);
    const current = this.#state.check(def.CheckID);
    if (existing?.def && current && JSON.stringify(existing.def) === JSON.stringify(def)) {
      // Same definition: keep the runner and its status, only the origin may change.
      if (existing.origin.kind !== origin.kind || (origin.kind === "config" && existing.origin.kind === "config" && existing.origin.file !== origin.file)) {
        this.#state.upsertCheck(current, { ...existing, origin }, this.#o.clock.now());
      }
      return;
    }
    this.#stopRunner(def.CheckID);
    const type = checkType(def);
    let deregisterAfterMs = def.DeregisterCriticalServiceAfterMs;
    if (deregisterAfterMs !== undefined && deregisterAfterMs > 0 && deregisterAfterMs < MIN_DEREGISTER_CRITICAL_MS) {
      this.#o.logger.warn({ check: def.CheckID, deregisterAfterMs, minimumMs: MIN_DEREGISTER_CRITICAL_MS }, "check has deregister interval below minimum, using the minimum");
      deregisterAfterMs = MIN_DEREGISTER_CRITICAL_MS;
    }
    const service = def.ServiceID ? this.#state.service(def.ServiceID) : undefined;
    const check: AgentCheck = {
      Node: this.#o.node,
      CheckID: def.CheckID,
      Name: def.Name,
      Status: def.Status ?? "critical",
      Notes: def.Notes ?? "",
      Output: "",
      ServiceID: service?.ID ?? "",
      ServiceName: service?.Service ?? "",
      ServiceTags: service ? [...service.Tags] : [],
      Type: type,
      Interval: def.IntervalMs ? formatGoDuration(def.IntervalMs) : "",
      Timeout: def.TimeoutMs ? formatGoDuration(def.TimeoutMs) : "",
      ExposedPort: 0,
      Definition: {},
    };
    this.#state.upsertCheck(check, { def, origin, ...(deregisterAfterMs ? { deregisterAfterMs } : {}) }, this.#o.clock.now());
    const { clock, scheduler, logger, random } = this.#o;
    const runner: CheckRunner = createCheckRunner(def, {
      clock,
      scheduler,
      logger,
      random,
      ...(this.#o.fetch ? { fetch: this.#o.fetch } : {}),
      onUpdate: (u) => {
        // A replaced or stopped runner's last words belong to nobody.
        if (this.#runners.get(def.CheckID) !== runner) return;
        this.#state.setCheckStatus(def.CheckID, u.status, u.output, clock.now());
      },
    });
    this.#runners.set(def.CheckID, runner);
    if (this.#started && !this.#stopped) runner.start();
  }

  #removeCheck(id: string): void {
    this.#stopRunner(id);
    this.#state.removeCheck(id);
  }

  #stopRunner(id: string): void {
    const runner = this.#runners.get(id);
    if (!runner) return;
    this.#runners.delete(id);
    runner.stop();
  }

  #maintenanceCheck(checkID: string, name: string, notes: string, service: LocalService | undefined): AgentCheck {
    return {
      Node: this.#o.node,
      CheckID: checkID,
      Name: name,
      Status: "critical",
      Notes: notes,
      Output: "",
      ServiceID: service?.ID ?? "",
      ServiceName: service?.Service ?? "",
      ServiceTags: service ? [...service.Tags] : [],
      Type: "maintenance",
      Interval: "",
      Timeout: "",
      ExposedPort: 0,
      Definition: {},
    };
  }

  #scheduleReap(): void {
    this.#reaper = this.#o.scheduler.setTimeout(() => {
      this.#reap();
      if (!this.#stopped) this.#scheduleReap();
    }, this.#o.reapIntervalMs ?? 30_000);
  }

  #reap(): void {
    for (const c of this.#state.criticalTooLong(this.#o.clock.now())) {
      if (!this.#state.service(c.ServiceID)) continue;
      this.#o.logger.info({ service: c.ServiceID, check: c.CheckID }, "check critical past deregister interval, deregistering service");
      this.deregisterService(c.ServiceID);
    }
  }
}

function isMaintenance(checkID: string): boolean {
  return checkID === NODE_MAINTENANCE_CHECK_ID || checkID.startsWith(SERVICE_MAINTENANCE_CHECK_PREFIX);
}

function unknownService(id: string): NotFoundError {
  return new NotFoundError(`Unknown service ID ${JSON.stringify(id)}. Ensure that the service ID is passed, not the service name.`);
}

function unknownCheck(id: string): NotFoundError {
  return new NotFoundError(`Unknown check ID ${JSON.stringify(id)}. Ensure that the check ID is passed, not the check name.`);
}

function pickDefined<T extends Record<string, unknown>>(r: T): Partial<T> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Partial<T>;
}
