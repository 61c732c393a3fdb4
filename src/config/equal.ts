/** Structural equality of parsed configs, for reloads that keep what did not change. */
import type { ScrapeConfig } from "./types.js";

/**
 * Whether two scrape configs are the same in every field (deep; arrays in order, object keys in
 * any order), so a reload can keep the running scrape loops of a job that did not change.
 */
export function configsEqual(a: ScrapeConfig, b: ScrapeConfig): boolean {
  return deepEqual(a, b);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  // An undefined property and a missing one mean the same thing in these configs.
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && deepEqual(ra[k], rb[k]));
}
