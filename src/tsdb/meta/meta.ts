import { TsdbCorruptionError } from "../errors.js";

/** Counts in a block; absent counts are zero (Prometheus omits zeros). */
export interface BlockStats {
  readonly numSamples?: number;
  readonly numFloatSamples?: number;
  readonly numHistogramSamples?: number;
  readonly numSeries?: number;
  readonly numChunks?: number;
  readonly numTombstones?: number;
}

/** A block a compacted block was made from. */
export interface BlockDesc {
  readonly ulid: string;
  readonly minTime: number;
  readonly maxTime: number;
}

/** How a block came to be. */
export interface BlockCompaction {
  /** 1 for a block cut from raw samples, higher for compacted ones. */
  readonly level: number;
  readonly sources?: readonly string[];
  readonly parents?: readonly BlockDesc[];
  readonly deletable?: boolean;
  readonly failed?: boolean;
  readonly hints?: readonly string[];
}

/**
 * A block's `meta.json`. Times are ms; the range is [minTime, maxTime) — maxTime is one past the
 * last sample. Fields other readers add (Thanos's `thanos`) are kept in `extra` and written back.
 */
export interface BlockMeta {
  readonly ulid: string;
  readonly minTime: number;
  readonly maxTime: number;
  readonly stats: BlockStats;
  readonly compaction: BlockCompaction;
  readonly version: 1;
  readonly extra?: Readonly<Record<string, unknown>>;
}

const KNOWN = new Set(["ulid", "minTime", "maxTime", "stats", "compaction", "version"]);

/** Parses `meta.json`, rejecting a version other than 1. */
export function parseBlockMeta(text: string, name = "meta.json"): BlockMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new TsdbCorruptionError(name, `not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof raw !== "object" || raw === null) throw new TsdbCorruptionError(name, "not a JSON object");
  const o = raw as Record<string, unknown>;
  if (o.version !== 1) throw new TsdbCorruptionError(name, `unsupported meta version ${JSON.stringify(o.version)}`);
  if (typeof o.ulid !== "string" || typeof o.minTime !== "number" || typeof o.maxTime !== "number") {
    throw new TsdbCorruptionError(name, "ulid, minTime or maxTime missing");
  }
  const compaction = (o.compaction ?? { level: 1 }) as BlockCompaction;
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!KNOWN.has(k)) extra[k] = v;
  return {
    ulid: o.ulid,
    minTime: o.minTime,
    maxTime: o.maxTime,
    stats: (o.stats ?? {}) as BlockStats,
    compaction,
    version: 1,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

/** Formats `meta.json` as Prometheus does: tab-indented, zero counts and empty lists left out. */
export function formatBlockMeta(meta: BlockMeta): string {
  const stats: Record<string, number> = {};
  for (const [k, v] of Object.entries(meta.stats)) if (typeof v === "number" && v !== 0) stats[k] = v;
  const c = meta.compaction;
  const compaction: Record<string, unknown> = { level: c.level };
  if (c.sources !== undefined && c.sources.length > 0) compaction.sources = c.sources;
  if (c.parents !== undefined && c.parents.length > 0) compaction.parents = c.parents;
  if (c.deletable === true) compaction.deletable = true;
  if (c.failed === true) compaction.failed = true;
  if (c.hints !== undefined && c.hints.length > 0) compaction.hints = c.hints;
  const out: Record<string, unknown> = { ulid: meta.ulid, minTime: meta.minTime, maxTime: meta.maxTime };
  if (Object.keys(stats).length > 0) out.stats = stats;
  out.compaction = compaction;
  out.version = 1;
  Object.assign(out, meta.extra ?? {});
  return JSON.stringify(out, null, "\t");
}
