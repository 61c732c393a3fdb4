import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunGroup } from "./run-group.js";
import { silentLogger } from "./logger.js";
import type { Service } from "./service.js";

// A real in-memory service that records its lifecycle into a shared journal.
class JournalService implements Service {
  #running = false;
  #fail!: (err: Error) => void;
  readonly #done = new Promise<void>((_resolve, reject) => {
    this.#fail = reject;
  });

  constructor(
    readonly name: string,
    private readonly journal: string[],
    private readonly startError?: Error,
  ) {
    this.#done.catch(() => undefined);
  }

  async start(): Promise<void> {
    this.journal.push(`start ${this.name}`);
    if (this.startError) throw this.startError;
    this.#running = true;
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.journal.push(`stop ${this.name}`);
  }

  ready(): boolean {
    return this.#running;
  }

  done(): Promise<void> {
    return this.#done;
  }

  crash(err: Error): void {
    this.#fail(err);
  }
}

describe("RunGroup", () => {
  it("starts in order and stops in reverse order", async () => {
    const journal: string[] = [];
    const group = new RunGroup(["a", "b", "c"].map((n) => new JournalService(n, journal)), silentLogger());
    assert.equal(group.ready(), false);
    await group.start();
    assert.equal(group.ready(), true);
    await group.stop();
    await group.wait();
    assert.equal(group.ready(), false);
    assert.deepEqual(journal, ["start a", "start b", "start c", "stop c", "stop b", "stop a"]);
  });

  it("stops the started services when one fails to start, and reports that failure", async () => {
    const journal: string[] = [];
    const group = new RunGroup(
      [new JournalService("a", journal), new JournalService("b", journal), new JournalService("c", journal, new Error("port in use")), new JournalService("d", journal)],
      silentLogger(),
    );
    await assert.rejects(group.start(), { code: "service_failed", message: /c: start failed: port in use/ });
    await assert.rejects(group.wait(), { message: /port in use/ });
    assert.deepEqual(journal, ["start a", "start b", "start c", "stop b", "stop a"]);
  });

  it("stops all when a running service fails on its own", async () => {
    const journal: string[] = [];
    const services = ["a", "b", "c"].map((n) => new JournalService(n, journal));
    const group = new RunGroup(services, silentLogger());
    await group.start();
    services[1]?.crash(new Error("lost lock"));
    await assert.rejects(group.wait(), { message: /b: lost lock/ });
    assert.deepEqual(journal.slice(3), ["stop c", "stop b", "stop a"]);
  });

  it("stop is idempotent", async () => {
    const journal: string[] = [];
    const group = new RunGroup([new JournalService("a", journal)], silentLogger());
    await group.start();
    await Promise.all([group.stop(), group.stop()]);
    await group.stop();
    assert.deepEqual(journal, ["start a", "stop a"]);
  });
});
