import { once } from "node:events";
import * as net from "node:net";
import { ManualClock, silentLogger } from "../../../runtime/index.js";
import { createCheckRunner, MIN_INTERVAL_MS } from "./create.js";
import { ManualScheduler } from "./scheduler.js";
import type { CheckDefinition, CheckRunner, CheckUpdate } from "./types.js";

/** A runner wired to a manual clock and scheduler, recording every update; for tests only. */
export interface Harness {
  readonly runner: CheckRunner;
  readonly scheduler: ManualScheduler;
  readonly updates: CheckUpdate[];
  /** Moves time by `ms` and waits until the run it triggered finished and scheduled the next. */
  step(ms: number): Promise<void>;
}

/** Builds a harness; `random` defaults to 0 so the first run is due at once. */
export function harness(def: CheckDefinition, options: { random?: () => number; fetch?: typeof fetch } = {}): Harness {
  const clock = new ManualClock(0);
  const scheduler = new ManualScheduler(clock);
  const updates: CheckUpdate[] = [];
  const runner = createCheckRunner(def, {
    clock,
    scheduler,
    logger: silentLogger(),
    onUpdate: (u) => updates.push(u),
    random: options.random ?? (() => 0),
    fetch: options.fetch,
  });
  const intervalMs = Math.max(def.IntervalMs ?? 0, MIN_INTERVAL_MS);
  return {
    runner,
    scheduler,
    updates,
    async step(ms) {
      scheduler.advance(ms);
      await scheduler.whenScheduled(intervalMs);
    },
  };
}

/** A `host:port` on loopback where nothing listens (a port just freed), for refused connections. */
export async function closedPort(): Promise<string> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return `127.0.0.1:${port}`;
}

/** The `host:port` a listening server is bound to. */
export function addressOf(server: net.Server): string {
  const { address, port } = server.address() as net.AddressInfo;
  return `${address}:${port}`;
}
