/**
 * Prometheus's TSDB admin API: `/api/v1/admin/tsdb/delete_series`, `clean_tombstones` and
 * `snapshot`, answered with Prometheus's status codes, shapes and error messages. As in
 * Prometheus the routes always exist; unless enabled they refuse with `admin APIs disabled`.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { goQuote, type Matcher } from "../model/index.js";
import type { Clock } from "../runtime/index.js";
import { StorageClosedError } from "../storage/index.js";
import { ApiError, invalidParamError } from "./errors.js";
import { acceptFormBodies, formOf } from "./form.js";
import { MAX_TIME_MS, MIN_TIME_MS, parseTimeParam, type FormValues } from "./params.js";
import { sendError, sendSuccess } from "./response.js";
import { parseSeriesSelector } from "./selector.js";

/** The storage operations the admin API drives; the TSDB (or the service wrapping it) implements them. */
export interface TsdbAdmin {
  /** Tombstones the samples in [mint, maxt] (ms, inclusive) of the series matching `matchers`; hidden from queries once resolved. */
  delete(matchers: readonly Matcher[], mint: number, maxt: number, signal?: AbortSignal): Promise<void>;
  /** Rewrites the blocks with tombstones without the deleted samples; resolves when done. */
  cleanTombstones(signal?: AbortSignal): Promise<void>;
  /** Writes every block (and the head as a block when `withHead`) into `dir`, created when missing. */
  snapshot(dir: string, withHead: boolean, signal?: AbortSignal): Promise<void>;
}

/** Options of `registerAdminApi`. */
export interface AdminApiOptions {
  /** `--web.enable-admin-api`: when false every admin endpoint answers `unavailable`. */
  readonly enabled: boolean;
  readonly tsdb: TsdbAdmin;
  /** The TSDB's data directory; snapshots go to `<dataDir>/snapshots/<name>`. */
  readonly dataDir: string;
  /** Names snapshots by the time they are taken. */
  readonly clock: Clock;
}

/** Registers the three admin endpoints, each on POST and PUT as Prometheus does. */
export async function registerAdminApi(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  await app.register(async (scope) => {
    acceptFormBodies(scope);
    // Returns undefined for 204 No Content, Prometheus's answer when an endpoint has no data.
    const route = (handler: (form: FormValues) => Promise<unknown>) => async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        if (!options.enabled) throw new ApiError("unavailable", "admin APIs disabled");
        const data = await handler(formOf(request));
        return data === undefined ? reply.code(204).send() : sendSuccess(reply, data);
      } catch (err) {
        return sendError(reply, err);
      }
    };
    const endpoints: [string, (form: FormValues) => Promise<unknown>][] = [
      ["delete_series", (form) => deleteSeries(options.tsdb, form)],
      ["clean_tombstones", () => internal("", () => options.tsdb.cleanTombstones())],
      ["snapshot", (form) => snapshot(options, form)],
    ];
    for (const [name, handler] of endpoints) {
      const path = `/api/v1/admin/tsdb/${name}`;
      scope.post(path, route(handler));
      scope.put(path, route(handler));
    }
  });
}

// The operations get no request signal on purpose: a deletion or rewrite stopped halfway because
// the client went away would only leave work for the next call.
async function deleteSeries(tsdb: TsdbAdmin, form: FormValues): Promise<undefined> {
  const matches = form.getAll("match[]");
  if (matches.length === 0) throw new ApiError("bad_data", "no match[] parameter provided");
  const start = parseTimeParam(form, "start", MIN_TIME_MS);
  const end = parseTimeParam(form, "end", MAX_TIME_MS);
  // As Prometheus: each selector is parsed and applied in turn, so an earlier one may have been
  // applied when a later one turns out to be malformed.
  for (const m of matches) {
    let matchers: Matcher[];
    try {
      matchers = parseSeriesSelector(m);
    } catch (err) {
      throw invalidParamError("match[]", err as Error);
    }
    await internal("", () => tsdb.delete(matchers, start, end));
  }
  return undefined;
}

async function snapshot(options: AdminApiOptions, form: FormValues): Promise<{ name: string }> {
  const raw = form.get("skip_head");
  const skipHead = raw === "" ? false : parseGoBool(raw);
  if (skipHead === undefined) {
    throw new ApiError("bad_data", `unable to parse boolean 'skip_head' argument: strconv.ParseBool: parsing ${goQuote(raw)}: invalid syntax`);
  }
  const name = snapshotName(options.clock.now());
  await internal("create snapshot: ", () => options.tsdb.snapshot(join(options.dataDir, "snapshots", name), !skipHead));
  return { name };
}

/** Prometheus's snapshot name: UTC time as `YYYYMMDDTHHMMSSZ`, a dash, 16 random hex digits. */
function snapshotName(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  return `${stamp}-${randomBytes(8).toString("hex")}`;
}

// Go's strconv.ParseBool.
function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}

// Storage failures are Prometheus's errorInternal, except a closed storage, which stays
// `unavailable` through the shared mapping.
async function internal(prefix: string, op: () => Promise<void>): Promise<undefined> {
  try {
    await op();
  } catch (err) {
    if (err instanceof ApiError || err instanceof StorageClosedError) throw err;
    throw new ApiError("internal", prefix + (err instanceof Error ? err.message : String(err)), { cause: err });
  }
  return undefined;
}
