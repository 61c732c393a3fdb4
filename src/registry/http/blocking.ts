import { BadRequestError } from "../errors.js";
import { parseGoDuration } from "./go-duration.js";

/** Consul's default wait of a blocking query. */
export const DEFAULT_WAIT_MS = 5 * 60_000;
/** Consul's longest wait of a blocking query. */
export const MAX_WAIT_MS = 10 * 60_000;

/** The blocking part of a read request. */
export interface BlockingParams {
  /** The index the client already has; 0 means "answer at once". */
  readonly index: number;
  /** How long to wait for a change, jitter included, in ms. */
  readonly waitMs: number;
}

/**
 * Reads `?index=` and `?wait=` as Consul does: a wait above 10 minutes is capped, and up to
 * wait/16 of random jitter is added so many watchers do not all return at once.
 */
export function parseBlockingParams(query: Readonly<Record<string, unknown>>, random: () => number): BlockingParams {
  const rawIndex = first(query["index"]);
  let index = 0;
  if (rawIndex !== undefined && rawIndex !== "") {
    if (!/^\d+$/.test(rawIndex)) throw new BadRequestError("Invalid index");
    index = Number(rawIndex);
  }
  const rawWait = first(query["wait"]);
  let waitMs = DEFAULT_WAIT_MS;
  if (rawWait !== undefined && rawWait !== "") {
    try {
      waitMs = parseGoDuration(rawWait);
    } catch {
      throw new BadRequestError("Invalid wait time");
    }
    if (waitMs < 0) throw new BadRequestError("Invalid wait time");
    waitMs = Math.min(waitMs, MAX_WAIT_MS);
  }
  waitMs += Math.floor(random() * (waitMs / 16));
  return { index, waitMs };
}

/** The first value of a query parameter that may repeat. */
export function first(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
  return value === undefined ? undefined : String(value);
}

/** Every value of a query parameter that may repeat. */
export function all(value: unknown): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** Whether a boolean query flag such as `?passing` or `?passing=true` is set. */
export function flag(query: Readonly<Record<string, unknown>>, name: string): boolean {
  if (!(name in query)) return false;
  const v = first(query[name]);
  if (v === undefined || v === "") return true;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new BadRequestError(`Invalid value for ${name}: ${v}`);
}

/** Parses repeated `?node-meta=key:value` into a record. */
export function nodeMeta(query: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  const pairs = all(query["node-meta"]);
  if (pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf(":");
    if (i <= 0) throw new BadRequestError(`Invalid node-meta filter "${p}": must be key:value`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}
