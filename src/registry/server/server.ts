import { join } from "node:path";
import { Counter, Gauge, type Registry } from "prom-client";
import type { Clock, Logger, Service } from "../../runtime/index.js";
import { CatalogStore, type CatalogOp, type CatalogRecord, type CatalogSnapshot } from "../catalog/index.js";
import { Journal } from "../journal/index.js";
import { LivenessTracker } from "./liveness.js";
import { WanRouter } from "./wan.js";

/** Options of `RegistryServer`. */
export interface RegistryServerOptions {
  readonly datacenter: string;
  /** Directory of the catalog journal. */
  readonly dataDir: string;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The process registry for `meridian_registry_*` metrics. */
  readonly metrics: Registry;
  /** `always` (default) flushes before acknowledging a write. */
  readonly fsync?: "always" | "never";
  /** A node silent this long is marked dead; 30 s by default (three missed 10 s heartbeats). */
  readonly heartbeatTimeoutMs?: number;
  /** How often silence is checked; 1 s by default. */
  readonly reapIntervalMs?: number;
  /** Take a snapshot every this many records; 4096 by default. */
  readonly snapshotEvery?: number;
  /** Base URLs of other datacenters' servers (`--join-wan`). */
  readonly joinWan?: readonly string[];
}

/**
 * The registry server: the catalog of one datacenter, journaled so that every acknowledged write
 * survives `kill -9`, with the node-liveness reaper and the WAN router. The HTTP API is wired
 * separately (`registerRegistryApi`) so `up` and `meridian registry` share it.
 */
export class RegistryServer implements Service {
  readonly name = "registry";
  readonly store: CatalogStore;
  readonly wan: WanRouter;
  readonly #options: RegistryServerOptions;
  readonly #liveness: LivenessTracker;
  readonly #writes: Counter;
  #journal: Journal<CatalogSnapshot, CatalogRecord> | undefined;
  #timers: NodeJS.Timeout[] = [];
  #failed: ((err: unknown) => void) | undefined;
  #done: Promise<void> | undefined;

  constructor(options: RegistryServerOptions) {
    this.#options = options;
    this.store = new CatalogStore(options.datacenter);
    this.#liveness = new LivenessTracker(this.store, options.clock, options.heartbeatTimeoutMs ?? 30_000);
    this.wan = new WanRouter({ datacenter: options.datacenter, peers: options.joinWan ?? [], logger: options.logger });
    this.#writes = new Counter({
      name: "meridian_registry_catalog_writes_total",
      help: "Catalog writes that changed the catalog and were journaled.",
      registers: [options.metrics],
    });
    const store = this.store;
    new Gauge({
      name: "meridian_registry_catalog_index",
      help: "Index of the last catalog write.",
      registers: [options.metrics],
      collect() {
        this.set(store.index);
      },
    });
    new Gauge({
      name: "meridian_registry_blocking_queries",
      help: "Blocking queries currently waiting for a catalog change.",
      registers: [options.metrics],
      collect() {
        this.set(store.keys.waiting());
      },
    });
    new Gauge({
      name: "meridian_registry_catalog_nodes",
      help: "Nodes in the catalog.",
      registers: [options.metrics],
      collect() {
        this.set(store.nodeNames().length);
      },
    });
  }

  async start(signal: AbortSignal): Promise<void> {
    const { logger } = this.#options;
    const opened = await Journal.open<CatalogSnapshot, CatalogRecord>({
      dir: join(this.#options.dataDir, "catalog"),
      logger,
      fsync: this.#options.fsync ?? "always",
      snapshotEvery: this.#options.snapshotEvery ?? 4096,
      captureState: () => this.store.snapshot(),
      signal,
    });
    if (opened.snapshot) this.store.restore(opened.snapshot);
    for (const record of opened.records) this.store.apply(record.change, record.index);
    this.#journal = opened.journal;
    logger.info({ index: this.store.index, nodes: this.store.nodeNames().length, replayed: opened.records.length }, "catalog restored");

    this.#done = new Promise<void>((_resolve, reject) => {
      this.#failed = reject;
    });
    this.#done.catch(() => undefined);
    const reap = setInterval(() => void this.#reap(), this.#options.reapIntervalMs ?? 1000);
    this.#timers.push(reap);
    if ((this.#options.joinWan ?? []).length > 0) {
      const ac = new AbortController();
      void this.wan.refresh(ac.signal);
      const wan = setInterval(() => void this.wan.refresh(ac.signal), 30_000);
      this.#timers.push(wan);
    }
  }

  /**
   * Applies a catalog write and resolves with its index once it is durable. Invalid writes throw
   * BadRequestError with the catalog unchanged; writes that change nothing resolve at once.
   */
  async write(op: CatalogOp): Promise<number> {
    const journal = this.#journal;
    if (!journal) throw new Error("registry server is not started");
    // Apply and append in one synchronous step so journal order equals apply order.
    const record = this.store.apply(op);
    this.#liveness.observe(op);
    if (!record) {
      await journal.append([]);
      return this.store.index;
    }
    this.#writes.inc();
    try {
      await journal.append([record]);
    } catch (err) {
      // Memory is now ahead of disk; stop serving rather than acknowledge writes we may lose.
      this.#options.logger.error({ err }, "catalog journal failed");
      this.#failed?.(err);
      throw err;
    }
    return record.index;
  }

  /** Names of the nodes with agents (members of the datacenter). */
  members(): string[] {
    return this.#liveness.members();
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    const journal = this.#journal;
    this.#journal = undefined;
    await journal?.close();
  }

  ready(): boolean {
    return this.#journal !== undefined;
  }

  done(): Promise<void> {
    return this.#done ?? new Promise(() => undefined);
  }

  async #reap(): Promise<void> {
    for (const op of this.#liveness.expired()) {
      try {
        await this.write(op);
        this.#options.logger.warn({ node: op.req.Node }, "node missed its heartbeats, marked critical");
      } catch (err) {
        this.#options.logger.error({ node: op.req.Node, err }, "cannot mark node critical");
      }
    }
  }
}
