import type { Logger } from "pino";
import type { RunGroup } from "./run-group.js";

/** Options of `runUntilSignalled`. */
export interface ProcessOptions {
  readonly group: RunGroup;
  readonly logger: Logger;
  /** Called on SIGHUP; a rejection is logged and the old configuration stays. */
  readonly reload: () => Promise<unknown>;
  /** How long a graceful stop may take before the process gives up on it; 5 s by default. */
  readonly stopTimeoutMs?: number;
  /** The process to wire signals on; the real one by default (tests pass an EventEmitter). */
  readonly proc?: Pick<NodeJS.Process, "on" | "off">;
}

/**
 * Wires process signals to a running group: SIGHUP reloads, SIGTERM and SIGINT stop gracefully,
 * a second SIGTERM/SIGINT gives up waiting. Resolves with the exit code: 0 after a clean stop,
 * 1 when a service failed or the stop overran its deadline.
 */
export async function runUntilSignalled(options: ProcessOptions): Promise<number> {
  const { group, logger, reload, stopTimeoutMs = 5000, proc = process } = options;
  let stopRequested = false;
  let giveUp!: () => void;
  const gaveUp = new Promise<"timeout">((resolve) => {
    giveUp = () => resolve("timeout");
  });
  let timer: NodeJS.Timeout | undefined;

  const onHup = () => {
    logger.info("received SIGHUP, reloading configuration");
    reload().catch(() => undefined);
  };
  const onStop = (signal: string) => {
    if (stopRequested) {
      logger.warn({ signal }, "second stop signal, exiting now");
      giveUp();
      return;
    }
    stopRequested = true;
    logger.info({ signal }, "received stop signal, stopping gracefully");
    timer = setTimeout(giveUp, stopTimeoutMs);
    void group.stop();
  };
  proc.on("SIGHUP", onHup);
  proc.on("SIGTERM", onStop);
  proc.on("SIGINT", onStop);
  try {
    const outcome = await Promise.race([group.wait().then(() => "ok" as const, () => "failed" as const), gaveUp]);
    if (outcome === "timeout") {
      logger.error({ timeoutMs: stopTimeoutMs }, "graceful stop timed out");
      return 1;
    }
    if (outcome === "failed") return 1;
    logger.info("stopped");
    return 0;
  } finally {
    if (timer) clearTimeout(timer);
    proc.off("SIGHUP", onHup);
    proc.off("SIGTERM", onStop);
    proc.off("SIGINT", onStop);
  }
}
