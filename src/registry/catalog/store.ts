import { BadRequestError } from "../errors.js";
import type {
  CatalogNode,
  CheckServiceNode,
  DeregisterRequest,
  HealthCheck,
  NodeService,
  RegisterCheck,
  RegisterRequest,
  ServiceNode,
} from "../types.js";
import { KeyIndex } from "./watch.js";

/** Result of a read: the value and the index a blocking client passes back as `?index=`. */
export interface Indexed<T> {
  readonly index: number;
  readonly value: T;
}

/** One catalog write, as the store applies it and the journal records it. */
export type CatalogOp =
  | { readonly op: "register"; readonly req: RegisterRequest }
  | { readonly op: "deregister"; readonly req: DeregisterRequest };

/** A write that changed the catalog, stamped with the index it was given. */
export interface CatalogRecord {
  readonly index: number;
  readonly change: CatalogOp;
}

/** The whole catalog in a JSON-serializable form, for snapshots. */
export interface CatalogSnapshot {
  readonly index: number;
  readonly keys: [string, number][];
  readonly nodes: { node: CatalogNode; services: NodeService[]; checks: HealthCheck[] }[];
}

/** Filters shared by the service queries. */
export interface ServiceQuery {
  /** Every tag must be present (compared case-insensitively, as Consul does). */
  readonly tags?: readonly string[];
  /** Every `key: value` pair must be in the node's meta. */
  readonly nodeMeta?: Readonly<Record<string, string>>;
}

interface NodeEntry {
  node: CatalogNode;
  readonly services: Map<string, NodeService>;
  readonly checks: Map<string, HealthCheck>;
}

// Keys of the blocking index: one per resource a query can depend on.
const NODES = "nodes";
const SERVICES = "services";
const CHECKS = "checks";
const nodeKey = (node: string) => `node:${node}`;
const serviceKey = (name: string) => `service:${name}`;

/**
 * The catalog of one datacenter, in memory: nodes, their service instances and health checks,
 * with Consul's per-resource indexes for blocking queries.
 *
 * Writes are deterministic (no clock, no randomness) so replaying the journal rebuilds the exact
 * same state and indexes. A write that changes nothing keeps the index where it was, so agents'
 * periodic full syncs wake nobody. Returned objects are copies the caller may keep.
 */
export class CatalogStore {
  readonly datacenter: string;
  readonly #nodes = new Map<string, NodeEntry>();
  readonly #keys = new KeyIndex();
  // service name → node name → instance IDs: service reads must not scan every node.
  readonly #byService = new Map<string, Map<string, Set<string>>>();
  #index = 0;

  constructor(datacenter: string) {
    this.datacenter = datacenter;
  }

  /** The index of the last write. */
  get index(): number {
    return this.#index;
  }

  /** The blocking index, for the API layer to wait on. */
  get keys(): KeyIndex {
    return this.#keys;
  }

  /**
   * Validates and applies a write. Returns the record to journal when the catalog changed, or
   * undefined when the write was a no-op. Throws BadRequestError with the catalog unchanged.
   */
  apply(change: CatalogOp, forcedIndex?: number): CatalogRecord | undefined {
    const index = forcedIndex ?? this.#index + 1;
    const touched = change.op === "register" ? this.#register(change.req, index) : this.#deregister(change.req);
    if (touched.size === 0) return undefined;
    this.#index = Math.max(this.#index, index);
    this.#keys.touch(touched, index);
    return { index, change };
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** `/v1/catalog/services`: service names with the union of their tags, sorted by name. */
  services(query: ServiceQuery = {}): Indexed<Record<string, string[]>> {
    const tags = new Map<string, Set<string>>();
    for (const entry of this.#nodes.values()) {
      if (!nodeMetaMatches(entry.node, query.nodeMeta)) continue;
      for (const s of entry.services.values()) {
        let set = tags.get(s.Service);
        if (!set) tags.set(s.Service, (set = new Set()));
        for (const t of s.Tags) set.add(t);
      }
    }
    const value: Record<string, string[]> = {};
    for (const name of [...tags.keys()].sort()) value[name] = [...(tags.get(name) as Set<string>)].sort();
    return { index: this.#indexFor([SERVICES]), value };
  }

  /** `/v1/catalog/service/:name`: the instances of a service, node fields flattened in. */
  serviceNodes(name: string, query: ServiceQuery = {}): Indexed<ServiceNode[]> {
    const value = this.#instances(name, query).map(({ entry, service }) => toServiceNode(entry.node, service));
    return { index: this.#indexFor([serviceKey(name)]), value };
  }

  /** `/v1/health/service/:name`: instances with their node's and their own checks. */
  checkServiceNodes(name: string, query: ServiceQuery & { passingOnly?: boolean } = {}): Indexed<CheckServiceNode[]> {
    const value: CheckServiceNode[] = [];
    for (const { entry, service } of this.#instances(name, query)) {
      const checks = [...entry.checks.values()]
        .filter((c) => c.ServiceID === "" || c.ServiceID === service.ID)
        .sort(compareChecks)
        .map(copyCheck);
      if (query.passingOnly && checks.some((c) => c.Status !== "passing")) continue;
      value.push({ Node: copyNode(entry.node), Service: copyService(service), Checks: checks });
    }
    return { index: this.#indexFor([serviceKey(name)]), value };
  }

  /** `/v1/catalog/nodes`: every node, sorted by name. */
  nodes(query: Pick<ServiceQuery, "nodeMeta"> = {}): Indexed<CatalogNode[]> {
    const value = this.#sortedNodes()
      .filter((e) => nodeMetaMatches(e.node, query.nodeMeta))
      .map((e) => copyNode(e.node));
    return { index: this.#indexFor([NODES]), value };
  }

  /** `/v1/catalog/node/:node`: the node and its services, or undefined value when unknown. */
  node(name: string): Indexed<{ Node: CatalogNode; Services: Record<string, NodeService> } | undefined> {
    const entry = this.#nodes.get(name);
    const index = this.#indexFor([nodeKey(name)]);
    if (!entry) return { index, value: undefined };
    const services: Record<string, NodeService> = {};
    for (const id of [...entry.services.keys()].sort()) services[id] = copyService(entry.services.get(id) as NodeService);
    return { index, value: { Node: copyNode(entry.node), Services: services } };
  }

  /** The services of one node, in ID order (used by agents and `/v1/catalog/node-services`). */
  nodeServices(name: string): NodeService[] {
    const entry = this.#nodes.get(name);
    if (!entry) return [];
    return [...entry.services.values()].sort((a, b) => cmp(a.ID, b.ID)).map(copyService);
  }

  /** `/v1/health/node/:node`: the node's checks. */
  nodeChecks(name: string): Indexed<HealthCheck[]> {
    const entry = this.#nodes.get(name);
    const value = entry ? [...entry.checks.values()].sort(compareChecks).map(copyCheck) : [];
    return { index: this.#indexFor([nodeKey(name)]), value };
  }

  /** `/v1/health/checks/:service`: the checks of every instance of a service. */
  serviceChecks(name: string, query: Pick<ServiceQuery, "nodeMeta"> = {}): Indexed<HealthCheck[]> {
    const value: HealthCheck[] = [];
    for (const entry of this.#sortedNodes()) {
      if (!nodeMetaMatches(entry.node, query.nodeMeta)) continue;
      for (const c of entry.checks.values()) if (c.ServiceName === name) value.push(copyCheck(c));
    }
    value.sort(compareChecks);
    return { index: this.#indexFor([serviceKey(name)]), value };
  }

  /** `/v1/health/state/:state`: checks in a state (`any` for all). */
  checksInState(state: string, query: Pick<ServiceQuery, "nodeMeta"> = {}): Indexed<HealthCheck[]> {
    const value: HealthCheck[] = [];
    for (const entry of this.#sortedNodes()) {
      if (!nodeMetaMatches(entry.node, query.nodeMeta)) continue;
      for (const c of entry.checks.values()) if (state === "any" || c.Status === state) value.push(copyCheck(c));
    }
    value.sort(compareChecks);
    return { index: this.#indexFor([CHECKS]), value };
  }

  /** The blocking-index keys a read depends on; see the read methods for which is which. */
  static keysFor(read: { kind: "services" | "nodes" | "checks" } | { kind: "service"; name: string } | { kind: "node"; name: string }): string[] {
    switch (read.kind) {
      case "services":
        return [SERVICES];
      case "nodes":
        return [NODES];
      case "checks":
        return [CHECKS];
      case "service":
        return [serviceKey(read.name)];
      case "node":
        return [nodeKey(read.name)];
    }
  }

  /** One check of a node, or undefined. */
  check(node: string, checkID: string): HealthCheck | undefined {
    const c = this.#nodes.get(node)?.checks.get(checkID);
    return c ? copyCheck(c) : undefined;
  }

  /** Names of every node, for the liveness reaper. */
  nodeNames(): string[] {
    return [...this.#nodes.keys()];
  }

  // ---- snapshots -----------------------------------------------------------------------------

  /** The whole state, for a journal snapshot. */
  snapshot(): CatalogSnapshot {
    return {
      index: this.#index,
      keys: this.#keys.entries(),
      nodes: this.#sortedNodes().map((e) => ({
        node: copyNode(e.node),
        services: [...e.services.values()].map(copyService),
        checks: [...e.checks.values()].map(copyCheck),
      })),
    };
  }

  /** Replaces the state with a snapshot's (only on an empty store, at start-up). */
  restore(snapshot: CatalogSnapshot): void {
    this.#nodes.clear();
    this.#byService.clear();
    for (const n of snapshot.nodes) {
      this.#nodes.set(n.node.Node, {
        node: copyNode(n.node),
        services: new Map(n.services.map((s) => [s.ID, copyService(s)])),
        checks: new Map(n.checks.map((c) => [c.CheckID, copyCheck(c)])),
      });
    }
    for (const n of snapshot.nodes) for (const svc of n.services) this.#indexService(svc.Service, n.node.Node, svc.ID);
    this.#keys.restore(snapshot.keys);
    this.#index = snapshot.index;
  }

  // ---- writes --------------------------------------------------------------------------------

  #register(req: RegisterRequest, index: number): Set<string> {
    validateRegister(req, this.datacenter);
    const touched = new Set<string>();
    let entry = this.#nodes.get(req.Node);
    const isNew = !entry;
    // Stage everything first, so a bad check later in the request leaves the catalog unchanged.
    const nextNode: CatalogNode = {
      ID: req.ID ?? entry?.node.ID ?? "",
      Node: req.Node,
      Address: req.Address,
      Datacenter: this.datacenter,
      TaggedAddresses: { ...(req.TaggedAddresses ?? entry?.node.TaggedAddresses ?? {}) },
      Meta: { ...(req.NodeMeta ?? entry?.node.Meta ?? {}) },
      CreateIndex: entry?.node.CreateIndex ?? index,
      ModifyIndex: index,
    };
    const nodeChanged = isNew || (!req.SkipNodeUpdate && !sameNode(entry!.node, nextNode));

    let nextService: NodeService | undefined;
    if (req.Service) {
      const s = req.Service;
      const id = s.ID || s.Service;
      const old = entry?.services.get(id);
      nextService = {
        ...(s.Kind ? { Kind: s.Kind } : {}),
        ID: id,
        Service: s.Service,
        Tags: [...(s.Tags ?? [])],
        Address: s.Address ?? "",
        ...(s.TaggedAddresses ? { TaggedAddresses: structuredClone(s.TaggedAddresses) } : {}),
        Meta: { ...(s.Meta ?? {}) },
        Port: s.Port ?? 0,
        Weights: { ...(s.Weights ?? { Passing: 1, Warning: 1 }) },
        EnableTagOverride: s.EnableTagOverride ?? false,
        CreateIndex: old?.CreateIndex ?? index,
        ModifyIndex: index,
      };
      if (old && sameService(old, nextService)) nextService = undefined;
      else if (old && old.Service !== nextService.Service) {
        // The instance moved to another service name: both names' watchers must see it.
        touched.add(serviceKey(old.Service));
      }
    }

    const checks = [...(req.Check ? [req.Check] : []), ...(req.Checks ?? [])];
    const nextChecks: HealthCheck[] = [];
    for (const rc of checks) {
      const serviceID = rc.ServiceID ?? "";
      const service = serviceID === "" ? undefined : req.Service && (req.Service.ID || req.Service.Service) === serviceID ? (nextService ?? entry?.services.get(serviceID)) : entry?.services.get(serviceID);
      if (serviceID !== "" && !service) throw new BadRequestError(`Unknown service ID '${serviceID}' for check ID '${rc.CheckID ?? rc.Name ?? ""}'`);
      const check = buildCheck(rc, req.Node, service, entry?.checks.get(rc.CheckID || rc.Name || ""), index);
      const old = entry?.checks.get(check.CheckID);
      if (!old || !sameCheck(old, check)) nextChecks.push(check);
    }

    if (!nodeChanged && !nextService && nextChecks.length === 0) return touched;

    if (!entry) {
      entry = { node: nextNode, services: new Map(), checks: new Map() };
      this.#nodes.set(req.Node, entry);
    }
    if (nodeChanged) {
      entry.node = nextNode;
      touched.add(NODES);
      for (const s of entry.services.values()) touched.add(serviceKey(s.Service));
    }
    if (nextService) {
      const old = entry.services.get(nextService.ID);
      if (old) this.#unindex(old.Service, req.Node, old.ID);
      this.#indexService(nextService.Service, req.Node, nextService.ID);
      entry.services.set(nextService.ID, nextService);
      touched.add(SERVICES);
      touched.add(serviceKey(nextService.Service));
      // Checks carry the service's name and tags; keep them in step.
      for (const c of entry.checks.values()) {
        if (c.ServiceID === nextService.ID) {
          c.ServiceName = nextService.Service;
          c.ServiceTags = [...nextService.Tags];
        }
      }
    }
    for (const c of nextChecks) {
      entry.checks.set(c.CheckID, c);
      touched.add(CHECKS);
      if (c.ServiceID === "") for (const s of entry.services.values()) touched.add(serviceKey(s.Service));
      else touched.add(serviceKey(c.ServiceName));
    }
    touched.add(nodeKey(req.Node));
    return touched;
  }

  #deregister(req: DeregisterRequest): Set<string> {
    if (!req.Node) throw new BadRequestError("Missing node name");
    if (req.Datacenter && req.Datacenter !== this.datacenter) throw new BadRequestError(`Unknown datacenter '${req.Datacenter}'`);
    const touched = new Set<string>();
    const entry = this.#nodes.get(req.Node);
    if (!entry) return touched;
    if (req.ServiceID) {
      const service = entry.services.get(req.ServiceID);
      if (!service) return touched;
      entry.services.delete(req.ServiceID);
      this.#unindex(service.Service, req.Node, service.ID);
      for (const [id, c] of entry.checks) if (c.ServiceID === req.ServiceID) entry.checks.delete(id);
      touched.add(SERVICES).add(CHECKS).add(serviceKey(service.Service)).add(nodeKey(req.Node));
    } else if (req.CheckID) {
      const check = entry.checks.get(req.CheckID);
      if (!check) return touched;
      entry.checks.delete(req.CheckID);
      touched.add(CHECKS).add(nodeKey(req.Node));
      if (check.ServiceID === "") for (const s of entry.services.values()) touched.add(serviceKey(s.Service));
      else touched.add(serviceKey(check.ServiceName));
    } else {
      this.#nodes.delete(req.Node);
      touched.add(NODES).add(nodeKey(req.Node));
      if (entry.services.size > 0) touched.add(SERVICES);
      if (entry.checks.size > 0) touched.add(CHECKS);
      for (const s of entry.services.values()) {
        touched.add(serviceKey(s.Service));
        this.#unindex(s.Service, req.Node, s.ID);
      }
    }
    return touched;
  }

  #indexService(name: string, node: string, id: string): void {
    let nodes = this.#byService.get(name);
    if (!nodes) this.#byService.set(name, (nodes = new Map()));
    let ids = nodes.get(node);
    if (!ids) nodes.set(node, (ids = new Set()));
    ids.add(id);
  }

  #unindex(name: string, node: string, id: string): void {
    const nodes = this.#byService.get(name);
    const ids = nodes?.get(node);
    if (!nodes || !ids) return;
    ids.delete(id);
    if (ids.size === 0) nodes.delete(node);
    if (nodes.size === 0) this.#byService.delete(name);
  }

  #instances(name: string, query: ServiceQuery): { entry: NodeEntry; service: NodeService }[] {
    const wanted = (query.tags ?? []).map((t) => t.toLowerCase());
    const out: { entry: NodeEntry; service: NodeService }[] = [];
    const nodes = this.#byService.get(name);
    if (!nodes) return out;
    for (const nodeName of [...nodes.keys()].sort(cmp)) {
      const entry = this.#nodes.get(nodeName) as NodeEntry;
      if (!nodeMetaMatches(entry.node, query.nodeMeta)) continue;
      for (const id of [...(nodes.get(nodeName) as Set<string>)].sort(cmp)) {
        const service = entry.services.get(id) as NodeService;
        if (wanted.length > 0) {
          const have = new Set(service.Tags.map((t) => t.toLowerCase()));
          if (!wanted.every((t) => have.has(t))) continue;
        }
        out.push({ entry, service });
      }
    }
    return out;
  }

  #sortedNodes(): NodeEntry[] {
    return [...this.#nodes.values()].sort((a, b) => cmp(a.node.Node, b.node.Node));
  }

  // A key never written yet reports the store's index, as Consul reports the table index, so a
  // client never sees index 0 (which would make its next call non-blocking).
  #indexFor(keys: readonly string[]): number {
    const m = this.#keys.max(keys);
    return m > 0 ? m : Math.max(1, this.#index);
  }
}

function validateRegister(req: RegisterRequest, datacenter: string): void {
  if (typeof req.Node !== "string" || req.Node === "") throw new BadRequestError("Must provide node");
  if (typeof req.Address !== "string" || req.Address === "") {
    if (!req.SkipNodeUpdate) throw new BadRequestError("Must provide address if SkipNodeUpdate is not set");
  }
  if (req.Datacenter && req.Datacenter !== datacenter) throw new BadRequestError(`Unknown datacenter '${req.Datacenter}'`);
  if (req.Service) {
    if (typeof req.Service.Service !== "string" || req.Service.Service === "") throw new BadRequestError("Must provide service name with ID");
    const port = req.Service.Port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadRequestError(`Invalid service port ${port}: must be an integer in 0..65535`);
  }
}

function buildCheck(rc: RegisterCheck, node: string, service: NodeService | undefined, old: HealthCheck | undefined, index: number): HealthCheck {
  const id = rc.CheckID || rc.Name;
  if (!id) throw new BadRequestError("Must provide a CheckID or Name for each check");
  if (rc.Node && rc.Node !== node) throw new BadRequestError(`Check node '${rc.Node}' does not match registration node '${node}'`);
  const status = rc.Status ?? "critical";
  if (status !== "passing" && status !== "warning" && status !== "critical") throw new BadRequestError(`Invalid check status '${String(status)}'`);
  return {
    Node: node,
    CheckID: id,
    Name: rc.Name || id,
    Status: status,
    Notes: rc.Notes ?? "",
    Output: rc.Output ?? "",
    ServiceID: service?.ID ?? "",
    ServiceName: service?.Service ?? "",
    ServiceTags: service ? [...service.Tags] : [],
    Type: rc.Type ?? "",
    Interval: rc.Interval ?? "",
    Timeout: rc.Timeout ?? "",
    ExposedPort: 0,
    Definition: { ...(rc.Definition ?? {}) },
    CreateIndex: old?.CreateIndex ?? index,
    ModifyIndex: index,
  };
}

function nodeMetaMatches(node: CatalogNode, meta: Readonly<Record<string, string>> | undefined): boolean {
  if (!meta) return true;
  for (const [k, v] of Object.entries(meta)) if (node.Meta[k] !== v) return false;
  return true;
}

function toServiceNode(node: CatalogNode, s: NodeService): ServiceNode {
  return {
    ID: node.ID,
    Node: node.Node,
    Address: node.Address,
    Datacenter: node.Datacenter,
    TaggedAddresses: { ...node.TaggedAddresses },
    NodeMeta: { ...node.Meta },
    ServiceKind: s.Kind ?? "",
    ServiceID: s.ID,
    ServiceName: s.Service,
    ServiceTags: [...s.Tags],
    ServiceAddress: s.Address,
    ...(s.TaggedAddresses ? { ServiceTaggedAddresses: structuredClone(s.TaggedAddresses) } : {}),
    ServiceWeights: { ...s.Weights },
    ServiceMeta: { ...s.Meta },
    ServicePort: s.Port,
    ServiceEnableTagOverride: s.EnableTagOverride,
    CreateIndex: s.CreateIndex,
    ModifyIndex: s.ModifyIndex,
  };
}

function sameNode(a: CatalogNode, b: CatalogNode): boolean {
  return a.ID === b.ID && a.Address === b.Address && sameRecord(a.TaggedAddresses, b.TaggedAddresses) && sameRecord(a.Meta, b.Meta);
}

function sameService(a: NodeService, b: NodeService): boolean {
  return (
    (a.Kind ?? "") === (b.Kind ?? "") &&
    a.Service === b.Service &&
    a.Address === b.Address &&
    a.Port === b.Port &&
    a.EnableTagOverride === b.EnableTagOverride &&
    a.Weights.Passing === b.Weights.Passing &&
    a.Weights.Warning === b.Weights.Warning &&
    sameList(a.Tags, b.Tags) &&
    sameRecord(a.Meta, b.Meta) &&
    JSON.stringify(a.TaggedAddresses ?? null) === JSON.stringify(b.TaggedAddresses ?? null)
  );
}

function sameCheck(a: HealthCheck, b: HealthCheck): boolean {
  return (
    a.Name === b.Name &&
    a.Status === b.Status &&
    a.Notes === b.Notes &&
    a.Output === b.Output &&
    a.ServiceID === b.ServiceID &&
    a.ServiceName === b.ServiceName &&
    sameList(a.ServiceTags, b.ServiceTags) &&
    a.Type === b.Type &&
    a.Interval === b.Interval &&
    a.Timeout === b.Timeout &&
    JSON.stringify(a.Definition) === JSON.stringify(b.Definition)
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

function compareChecks(a: HealthCheck, b: HealthCheck): number {
  return cmp(a.Node, b.Node) || cmp(a.CheckID, b.CheckID);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function copyNode(n: CatalogNode): CatalogNode {
  return { ...n, TaggedAddresses: { ...n.TaggedAddresses }, Meta: { ...n.Meta } };
}

function copyService(s: NodeService): NodeService {
  return {
    ...s,
    Tags: [...s.Tags],
    Meta: { ...s.Meta },
    Weights: { ...s.Weights },
    ...(s.TaggedAddresses ? { TaggedAddresses: structuredClone(s.TaggedAddresses) } : {}),
  };
}

function copyCheck(c: HealthCheck): HealthCheck {
  return { ...c, ServiceTags: [...c.ServiceTags], Definition: { ...c.Definition } };
}
