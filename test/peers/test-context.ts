import type { TestContext } from "node:test";
import type { Peer } from "./peer-process.js";

/** Registers `t.after` to stop `peer` whether the test passes or fails, and returns the peer. */
export function withPeer<P extends Peer>(t: TestContext, peer: P): P {
  t.after(() => peer.stop());
  return peer;
}

/**
 * Runs `fn` and, when it throws, appends the peers' logs to the error message before rethrowing,
 * because `t.after` cannot tell whether the test failed and a passing test should stay quiet.
 */
export async function runWithPeerLog<T>(peers: Peer | readonly Peer[], fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const logs = (Array.isArray(peers) ? peers : [peers as Peer])
      .map((p) => `\n--- ${p.name} log (${p.url}, pid ${p.pid}) ---\n${p.log()}`)
      .join("");
    // Keeping the original object keeps its class and stack (assertion diffs); some errors
    // (DOMException) have a read-only message, and those are wrapped instead.
    if (err instanceof Error && Object.getOwnPropertyDescriptor(err, "message")?.writable === true) {
      err.message += logs;
      throw err;
    }
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new Error(`${message}${logs}`, { cause: err });
  }
}
