/**
 * The behaviour every `Discoverer` must show, as one suite each implementation's tests run against
 * a real backing world (a static list, real files, a real registry). Test-only: not exported from
 * the module's index.
 */
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import type { Discoverer, TargetGroup } from "./types.js";

/** A backing world for one contract case, holding targets by key (a service, a file, an entry). */
export interface ContractWorld {
  readonly discoverer: Discoverer;
  /** The source under which the targets of `key` are reported. */
  sourceOf(key: string): string;
  /** Adds or replaces the target of `key`; absent for worlds that cannot change. */
  set?(key: string, address: string): Promise<void>;
  /** Makes `key` disappear. */
  remove?(key: string): Promise<void>;
  /** Breaks the world (network down, garbage in a file); resolves once the discoverer has noticed. */
  fail?(): Promise<void>;
  /** Undoes `fail`. */
  recover?(): Promise<void>;
  close(): Promise<void>;
}

/** Builds worlds for the contract. */
export interface ContractHarness {
  /** A world already holding `initial` (key → `host:port`), in that order. */
  create(initial: Readonly<Record<string, string>>): Promise<ContractWorld>;
}

/**
 * Applies emitted groups as a consumer does (latest group per source) and lets a test wait for a
 * state without sleeping: waiters are checked on every emit, and time out only as a failure.
 */
export class GroupCollector {
  /** Latest group per source, including empty ones. */
  readonly state = new Map<string, TargetGroup>();
  /** Every emitted batch, in order. */
  readonly history: (readonly TargetGroup[])[] = [];
  #waiters: { check: () => boolean; resolve: () => void }[] = [];

  /** The function to pass to `Discoverer.run`. */
  readonly emit = (groups: readonly TargetGroup[]): void => {
    this.history.push(groups);
    for (const g of groups) this.state.set(g.source, g);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  };

  /** The `__address__` values of `source`'s current group, sorted. */
  addresses(source: string): string[] {
    return (this.state.get(source)?.targets ?? []).map((t) => t["__address__"] ?? "").sort();
  }

  /** Resolves once `check` holds (now or after some emit); rejects naming `what` after `timeoutMs`. */
  waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last state: ${JSON.stringify([...this.state.values()])}`));
      }, timeoutMs);
      const waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.#waiters.push(waiter);
    });
  }
}

// Starts `world`'s discoverer, and stops it and the world when the test ends.
function start(t: TestContext, world: ContractWorld): { collector: GroupCollector; controller: AbortController; done: Promise<void> } {
  const collector = new GroupCollector();
  const controller = new AbortController();
  const done = world.discoverer.run(controller.signal, collector.emit);
  t.after(async () => {
    controller.abort();
    await done;
    await world.close();
  });
  return { collector, controller, done };
}

/** Registers the shared discoverer cases under `describe(name)`. */
export function discovererContract(name: string, harness: ContractHarness): void {
  describe(`${name} (discoverer contract)`, () => {
    it("emits its initial groups", async (t) => {
      const world = await harness.create({ a: "10.0.0.1:9100", b: "10.0.0.2:9100" });
      const { collector } = start(t, world);
      await collector.waitFor(
        () => collector.addresses(world.sourceOf("a")).join() === "10.0.0.1:9100" && collector.addresses(world.sourceOf("b")).join() === "10.0.0.2:9100",
        "both initial targets",
      );
      for (const g of collector.state.values()) for (const target of g.targets) assert.equal(typeof target["__address__"], "string");
    });

    it("emits a replacement group under the same source when targets change", async (t) => {
      const world = await harness.create({ a: "10.0.0.1:9100", b: "10.0.0.2:9100" });
      if (!world.set) return skip(t, world, "this discoverer's targets cannot change");
      const { collector } = start(t, world);
      await collector.waitFor(() => collector.addresses(world.sourceOf("a")).length === 1, "the initial target");
      await world.set("a", "10.0.0.3:9200");
      await collector.waitFor(() => collector.addresses(world.sourceOf("a")).join() === "10.0.0.3:9200", "the replaced target");
      assert.deepEqual(collector.addresses(world.sourceOf("b")), ["10.0.0.2:9100"]);
      await world.set("c", "10.0.0.4:9100");
      await collector.waitFor(() => collector.addresses(world.sourceOf("c")).join() === "10.0.0.4:9100", "an added source");
    });

    it("emits an empty group for a source that goes away", async (t) => {
      const world = await harness.create({ a: "10.0.0.1:9100", b: "10.0.0.2:9100" });
      if (!world.remove) return skip(t, world, "this discoverer's targets cannot change");
      const { collector } = start(t, world);
      const source = world.sourceOf("a");
      await collector.waitFor(() => collector.addresses(source).length === 1, "the initial target");
      await world.remove("a");
      await collector.waitFor(() => collector.state.get(source)?.targets.length === 0, "an empty group for the removed source");
      assert.deepEqual(collector.addresses(world.sourceOf("b")), ["10.0.0.2:9100"]);
    });

    it("returns promptly once aborted, and emits nothing afterwards", async (t) => {
      const world = await harness.create({ a: "10.0.0.1:9100" });
      const { collector, controller, done } = start(t, world);
      await collector.waitFor(() => collector.addresses(world.sourceOf("a")).length === 1, "the initial target");
      const abortedAt = performance.now();
      controller.abort();
      await done;
      assert.ok(performance.now() - abortedAt < 2000, `run returned ${Math.round(performance.now() - abortedAt)} ms after abort`);
      const emitted = collector.history.length;
      await new Promise((r) => setImmediate(r));
      assert.equal(collector.history.length, emitted);

      const already = new AbortController();
      already.abort();
      await world.discoverer.run(already.signal, collector.emit);
    });

    it("keeps its groups through a transient failure and never throws", async (t) => {
      const world = await harness.create({ a: "10.0.0.1:9100" });
      if (!world.fail || !world.recover || !world.set) return skip(t, world, "this discoverer has no transient failures");
      const { collector, done } = start(t, world);
      const source = world.sourceOf("a");
      await collector.waitFor(() => collector.addresses(source).length === 1, "the initial target");
      const before = collector.history.length;
      await world.fail();
      assert.deepEqual(collector.addresses(source), ["10.0.0.1:9100"], "targets survive the failure");
      assert.ok(collector.history.slice(before).every((batch) => batch.every((g) => g.source !== source || g.targets.length > 0)), "no clearing group during the failure");
      await world.recover();
      await world.set("a", "10.0.0.5:9100");
      await collector.waitFor(() => collector.addresses(source).join() === "10.0.0.5:9100", "the change after recovery");
      let settled = false;
      void done.finally(() => (settled = true));
      await new Promise((r) => setImmediate(r));
      assert.equal(settled, false, "run is still going");
    });
  });
}

async function skip(t: TestContext, world: ContractWorld, reason: string): Promise<void> {
  await world.close();
  t.skip(reason);
}
