import { accessSync, constants } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import type { TestContext } from "node:test";
import { PeerUnavailableError } from "./errors.js";

/** Absolute path of `binary` found on `PATH` (or the path itself when absolute), or undefined. */
export function findBinary(binary: string): string | undefined {
  const candidates = isAbsolute(binary)
    ? [binary]
    : (process.env.PATH ?? "").split(delimiter).filter((d) => d !== "").map((d) => join(d, binary));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here or not executable; try the next PATH entry.
    }
  }
  return undefined;
}

/** Whether the peer's executable is installed and runnable. */
export function peerAvailable(binary: string): boolean {
  return findBinary(binary) !== undefined;
}

/**
 * Gates a test on a real peer: returns true when `binary` is installed; otherwise skips the test
 * with an install hint and returns false, except in CI (`CI=true`) where a silent skip would hide
 * missing coverage, so it throws instead.
 */
export function requirePeer(t: TestContext, binary: string, debianPackage: string): boolean {
  if (peerAvailable(binary)) return true;
  const err = new PeerUnavailableError(binary, debianPackage);
  if (process.env.CI === "true") throw err;
  t.skip(err.message);
  return false;
}
