import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, it } from "node:test";
import { silentLogger } from "./logger.js";
import { runUntilSignalled } from "./process.js";
import { RunGroup } from "./run-group.js";
import type { Service } from "./service.js";

function service(name: string, stop: () => Promise<void> = async () => undefined): Service {
  let up = false;
  return {
    name,
    start: async () => {
      up = true;
    },
    stop: async () => {
      up = false;
      await stop();
    },
    ready: () => up,
  };
}

function fakeProcess(): EventEmitter & Pick<NodeJS.Process, "on" | "off"> {
  return new EventEmitter() as EventEmitter & Pick<NodeJS.Process, "on" | "off">;
}

describe("runUntilSignalled", () => {
  it("reloads on SIGHUP and stops cleanly on SIGTERM with exit code 0", async () => {
    const proc = fakeProcess();
    const group = new RunGroup([service("a")], silentLogger());
    await group.start();
    let reloads = 0;
    const done = runUntilSignalled({ group, logger: silentLogger(), reload: async () => void reloads++, proc });
    proc.emit("SIGHUP");
    proc.emit("SIGHUP");
    proc.emit("SIGTERM", "SIGTERM");
    assert.equal(await done, 0);
    assert.equal(reloads, 2);
    assert.equal(proc.listenerCount("SIGTERM"), 0);
  });

  it("keeps running when a SIGHUP reload is rejected", async () => {
    const proc = fakeProcess();
    const group = new RunGroup([service("a")], silentLogger());
    await group.start();
    const done = runUntilSignalled({ group, logger: silentLogger(), reload: async () => Promise.reject(new Error("bad")), proc });
    proc.emit("SIGHUP");
    await new Promise((r) => setImmediate(r));
    assert.equal(group.ready(), true);
    proc.emit("SIGINT", "SIGINT");
    assert.equal(await done, 0);
  });

  it("gives up with exit code 1 when the stop overruns its deadline", async () => {
    const proc = fakeProcess();
    let release!: () => void;
    const stuck = new Promise<void>((r) => {
      release = r;
    });
    const group = new RunGroup([service("stuck", () => stuck)], silentLogger());
    await group.start();
    const done = runUntilSignalled({ group, logger: silentLogger(), reload: async () => undefined, proc, stopTimeoutMs: 20 });
    proc.emit("SIGTERM", "SIGTERM");
    assert.equal(await done, 1);
    release();
  });

  it("exits at once on a second stop signal", async () => {
    const proc = fakeProcess();
    const group = new RunGroup([service("stuck", () => new Promise<void>(() => undefined))], silentLogger());
    await group.start();
    const done = runUntilSignalled({ group, logger: silentLogger(), reload: async () => undefined, proc, stopTimeoutMs: 60_000 });
    proc.emit("SIGTERM", "SIGTERM");
    proc.emit("SIGINT", "SIGINT");
    assert.equal(await done, 1);
  });
});
