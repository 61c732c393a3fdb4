import type { HealthCheck, HealthStatus } from "../types.js";
import type { CheckDefinition } from "./checks/index.js";

/** A service of the agent's node, shaped as `/v1/agent/services` shows it (minus `Datacenter`). */
export interface LocalService {
  Kind?: string;
  ID: string;
  Service: string;
  Tags: string[];
  Meta: Record<string, string>;
  Port: number;
  Address: string;
  TaggedAddresses?: Record<string, { Address: string; Port: number }>;
  Weights: { Passing: number; Warning: number };
  EnableTagOverride: boolean;
}

/** A check of the agent's node, shaped as `/v1/agent/checks` shows it. */
export type AgentCheck = Omit<HealthCheck, "CreateIndex" | "ModifyIndex">;

/** Where a service or check came from: the HTTP API, or a config-dir file (which `reload` owns). */
export type Origin = { readonly kind: "api" } | { readonly kind: "config"; readonly file: string };

/** Extra facts the agent keeps beside a check. */
export interface CheckMeta {
  /** The definition its runner runs; absent for maintenance checks, which nothing runs. */
  readonly def?: CheckDefinition;
  readonly origin: Origin;
  /** Remove the check's service once the check has been critical this long (ms). */
  readonly deregisterAfterMs?: number;
}

/** What anti-entropy must still push: removals first, then out-of-sync entries with versions. */
export interface PendingChanges {
  readonly deletedServices: string[];
  readonly deletedChecks: string[];
  readonly services: { readonly service: LocalService; readonly version: number }[];
  readonly checks: { readonly check: AgentCheck; readonly version: number }[];
}

interface ServiceEntry {
  service: LocalService;
  readonly origin: Origin;
  version: number;
  synced: number;
}

interface CheckEntry {
  check: AgentCheck;
  meta: CheckMeta;
  version: number;
  synced: number;
  criticalSinceMs: number | undefined;
}

/**
 * The agent's own services and checks, with what the catalog has not yet seen.
 *
 * Every change takes a fresh version; a push marks an entry synced only at the version it sent,
 * so a change made while a push is in flight is never lost. Removals leave tombstones until the
 * catalog confirms them. Output-only check changes keep the entry in sync on purpose: like
 * Consul's `check_update_interval`, they reach the catalog with the next full sync instead of
 * writing on every run. Not safe for concurrent use across workers (single event loop only).
 */
export class LocalState {
  readonly #services = new Map<string, ServiceEntry>();
  readonly #checks = new Map<string, CheckEntry>();
  readonly #deletedServices = new Set<string>();
  readonly #deletedChecks = new Set<string>();
  readonly #onDirty: () => void;
  #version = 0;

  /** `onDirty` is called after every change the catalog must learn about. */
  constructor(onDirty: () => void) {
    this.#onDirty = onDirty;
  }

  /** The services, sorted by ID; copies. */
  services(): LocalService[] {
    return [...this.#services.values()].sort((a, b) => cmp(a.service.ID, b.service.ID)).map((e) => copyService(e.service));
  }

  /** One service, or undefined. */
  service(id: string): LocalService | undefined {
    const e = this.#services.get(id);
    return e ? copyService(e.service) : undefined;
  }

  /** Where a service came from, or undefined when unknown. */
  serviceOrigin(id: string): Origin | undefined {
    return this.#services.get(id)?.origin;
  }

  /** The checks, sorted by ID; copies. */
  checks(): AgentCheck[] {
    return [...this.#checks.values()].sort((a, b) => cmp(a.check.CheckID, b.check.CheckID)).map((e) => copyCheck(e.check));
  }

  /** One check, or undefined. */
  check(id: string): AgentCheck | undefined {
    const e = this.#checks.get(id);
    return e ? copyCheck(e.check) : undefined;
  }

  /** The facts kept beside a check, or undefined. */
  checkMeta(id: string): CheckMeta | undefined {
    return this.#checks.get(id)?.meta;
  }

  /** Checks that have been critical since before `now - their deregister-after`, oldest first. */
  criticalTooLong(nowMs: number): AgentCheck[] {
    const out: AgentCheck[] = [];
    for (const e of this.#checks.values()) {
      const after = e.meta.deregisterAfterMs;
      if (after === undefined || e.criticalSinceMs === undefined || e.check.ServiceID === "") continue;
      if (nowMs - e.criticalSinceMs > after) out.push(copyCheck(e.check));
    }
    return out;
  }

  /** Adds or replaces a service; returns false (and changes nothing) when it is identical. */
  upsertService(service: LocalService, origin: Origin): boolean {
    const old = this.#services.get(service.ID);
    this.#deletedServices.delete(service.ID);
    if (old && sameService(old.service, service) && sameOrigin(old.origin, origin)) return false;
    const version = ++this.#version;
    this.#services.set(service.ID, { service: copyService(service), origin, version, synced: old && sameService(old.service, service) ? old.synced : -1 });
    for (const c of this.#checks.values()) {
      if (c.check.ServiceID !== service.ID) continue;
      c.check.ServiceName = service.Service;
      c.check.ServiceTags = [...service.Tags];
    }
    this.#onDirty();
    return true;
  }

  /** Removes a service and its checks; returns the removed check IDs, or undefined if unknown. */
  removeService(id: string): string[] | undefined {
    if (!this.#services.delete(id)) return undefined;
    this.#deletedServices.add(id);
    const removed: string[] = [];
    for (const [cid, c] of this.#checks) {
      if (c.check.ServiceID !== id) continue;
      this.#checks.delete(cid);
      // The service's deregistration removes its checks too; the tombstone covers a re-add race.
      this.#deletedChecks.add(cid);
      removed.push(cid);
    }
    this.#onDirty();
    return removed;
  }

  /** Adds or replaces a check; its critical clock starts at `nowMs` when it starts critical. */
  upsertCheck(check: AgentCheck, meta: CheckMeta, nowMs: number): void {
    const old = this.#checks.get(check.CheckID);
    this.#deletedChecks.delete(check.CheckID);
    const critical = check.Status === "critical";
    this.#checks.set(check.CheckID, {
      check: copyCheck(check),
      meta,
      version: ++this.#version,
      synced: -1,
      criticalSinceMs: critical ? (old?.check.Status === "critical" ? old.criticalSinceMs : nowMs) : undefined,
    });
    this.#onDirty();
  }

  /** Removes a check; returns false when it is unknown. */
  removeCheck(id: string): boolean {
    if (!this.#checks.delete(id)) return false;
    this.#deletedChecks.add(id);
    this.#onDirty();
    return true;
  }

  /**
   * Records a check result. Returns what changed: a status change is pushed at once, an
   * output-only change waits for the next full sync.
   */
  setCheckStatus(id: string, status: Exclude<HealthStatus, "maintenance">, output: string, nowMs: number): "status" | "output" | "none" | "unknown" {
    const e = this.#checks.get(id);
    if (!e) return "unknown";
    if (e.check.Status === status) {
      if (e.check.Output === output) return "none";
      e.check.Output = output;
      return "output";
    }
    if (status === "critical") e.criticalSinceMs = nowMs;
    else e.criticalSinceMs = undefined;
    e.check.Status = status;
    e.check.Output = output;
    e.version = ++this.#version;
    this.#onDirty();
    return "status";
  }

  // ---- anti-entropy --------------------------------------------------------------------------

  /** What the catalog has not yet confirmed. */
  pending(): PendingChanges {
    return {
      deletedServices: [...this.#deletedServices].sort(cmp),
      deletedChecks: [...this.#deletedChecks].sort(cmp),
      services: [...this.#services.values()].filter((e) => e.synced !== e.version).map((e) => ({ service: copyService(e.service), version: e.version })),
      checks: [...this.#checks.values()].filter((e) => e.synced !== e.version).map((e) => ({ check: copyCheck(e.check), version: e.version })),
    };
  }

  /** Whether anything is waiting to be pushed. */
  hasPending(): boolean {
    if (this.#deletedServices.size > 0 || this.#deletedChecks.size > 0) return true;
    for (const e of this.#services.values()) if (e.synced !== e.version) return true;
    for (const e of this.#checks.values()) if (e.synced !== e.version) return true;
    return false;
  }

  /** The catalog now has service `id` as it was at `version`. */
  serviceSynced(id: string, version: number): void {
    const e = this.#services.get(id);
    if (e && e.version === version) e.synced = version;
  }

  /** The catalog now has check `id` as it was at `version`. */
  checkSynced(id: string, version: number): void {
    const e = this.#checks.get(id);
    if (e && e.version === version) e.synced = version;
  }

  /** The catalog no longer has service `id`. */
  serviceDeleted(id: string): void {
    this.#deletedServices.delete(id);
  }

  /** The catalog no longer has check `id`. */
  checkDeleted(id: string): void {
    this.#deletedChecks.delete(id);
  }

  /**
   * Reconciles with the catalog's view of the node (a full sync): marks what differs or is
   * missing there for a push, and plans the removal of what only the catalog has, except the
   * checks in `keepChecks` (such as the server-owned `serfHealth`).
   */
  reconcile(remote: { services: readonly LocalService[]; checks: readonly AgentCheck[] }, keepChecks: ReadonlySet<string>): void {
    const remoteServices = new Map(remote.services.map((s) => [s.ID, s]));
    const remoteChecks = new Map(remote.checks.map((c) => [c.CheckID, c]));
    for (const [id, e] of this.#services) {
      const r = remoteServices.get(id);
      if (!r || !sameService(r, e.service)) e.synced = -1;
    }
    for (const id of remoteServices.keys()) if (!this.#services.has(id)) this.#deletedServices.add(id);
    for (const [id, e] of this.#checks) {
      const r = remoteChecks.get(id);
      if (!r || !sameRemoteCheck(r, e.check)) e.synced = -1;
    }
    for (const [id, c] of remoteChecks) {
      if (this.#checks.has(id) || keepChecks.has(id)) continue;
      // A check of a service being removed goes with it.
      if (c.ServiceID !== "" && this.#deletedServices.has(c.ServiceID)) continue;
      this.#deletedChecks.add(id);
    }
  }

  /** Marks everything for a push, as after the catalog lost the node. */
  markAllStale(): void {
    for (const e of this.#services.values()) e.synced = -1;
    for (const e of this.#checks.values()) e.synced = -1;
  }
}

function sameRemoteCheck(a: AgentCheck, b: AgentCheck): boolean {
  return a.Name === b.Name && a.Status === b.Status && a.Notes === b.Notes && a.Output === b.Output && a.ServiceID === b.ServiceID;
}

/** Whether two services are the same as far as the catalog is concerned. */
export function sameService(a: LocalService, b: LocalService): boolean {
  return (
    (a.Kind ?? "") === (b.Kind ?? "") &&
    a.ID === b.ID &&
    a.Service === b.Service &&
    a.Address === b.Address &&
    a.Port === b.Port &&
    a.EnableTagOverride === b.EnableTagOverride &&
    a.Weights.Passing === b.Weights.Passing &&
    a.Weights.Warning === b.Weights.Warning &&
    a.Tags.length === b.Tags.length &&
    a.Tags.every((t, i) => t === b.Tags[i]) &&
    JSON.stringify(sortedEntries(a.Meta)) === JSON.stringify(sortedEntries(b.Meta)) &&
    JSON.stringify(sortedEntries(a.TaggedAddresses ?? {})) === JSON.stringify(sortedEntries(b.TaggedAddresses ?? {}))
  );
}

function sameOrigin(a: Origin, b: Origin): boolean {
  return a.kind === b.kind && (a.kind === "api" || a.file === (b as { file: string }).file);
}

function sortedEntries<T>(r: Record<string, T>): [string, T][] {
  return Object.entries(r).sort(([a], [b]) => cmp(a, b));
}

function copyService(s: LocalService): LocalService {
  return {
    ...s,
    Tags: [...s.Tags],
    Meta: { ...s.Meta },
    Weights: { ...s.Weights },
    ...(s.TaggedAddresses ? { TaggedAddresses: structuredClone(s.TaggedAddresses) } : {}),
  };
}

function copyCheck(c: AgentCheck): AgentCheck {
  return { ...c, ServiceTags: [...c.ServiceTags], Definition: { ...c.Definition } };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
