/**
 * `/api/v1/status/*`: buildinfo, runtimeinfo, flags, config, tsdb and walreplay, in Prometheus 3's
 * shapes. Grafana reads buildinfo to recognise the server; the rest feed Prometheus's status pages.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { compareStrings, type Labels } from "../model/index.js";
import { ApiError } from "./errors.js";
import { formOf } from "./form.js";
import { RawJson, goJson, sendError, sendSuccess } from "./response.js";
import { CardinalityCounter } from "./tsdb-status.js";

/** Build facts as `/api/v1/status/buildinfo` reports them (`goVersion` holds the runtime's). */
export interface BuildInfoView {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** Process facts for `/api/v1/status/runtimeinfo`; times are ms since the epoch. */
export interface RuntimeInfo {
  readonly startTime: number;
  readonly cwd: string;
  readonly hostname: string;
  readonly serverTime: number;
  readonly reloadConfigSuccess: boolean;
  /** When the configuration in force was loaded; undefined before the first load. */
  readonly lastConfigTime: number | undefined;
  readonly corruptionCount: number;
  /** Prometheus's goroutine count; Node.js has no goroutines, so Meridian reports 0. */
  readonly goroutineCount: number;
  /** Prometheus's GOMAXPROCS: the parallelism the process may use. */
  readonly gomaxprocs: number;
  /** The retention as Prometheus words it: `15d`, `512MiB`, or `15d or 512MiB`. */
  readonly storageRetention: string;
}

/** Counts of the TSDB head for `/api/v1/status/tsdb`; times in ms, undefined when empty. */
export interface HeadStatsView {
  readonly series: number;
  readonly chunks: number;
  readonly minTime: number | undefined;
  readonly maxTime: number | undefined;
}

/** Where the TSDB status comes from (the engine's storage). */
export interface TsdbStatusSource {
  /** The head's counts; undefined while the TSDB is not open. */
  headStats(): HeadStatsView | undefined;
  /** Calls `visit` with the labels of every series in the head, then resolves. */
  forEachHeadSeries(visit: (labels: Labels) => void): Promise<void>;
  /** WAL segments replayed at start: first, last, and the last one done. */
  walReplayStatus(): { readonly min: number; readonly max: number; readonly current: number };
}

/** What the status endpoints report. */
export interface StatusApiOptions {
  readonly buildInfo: BuildInfoView;
  readonly runtimeInfo: () => RuntimeInfo;
  /** The command line's flags by long name without dashes, values as text (defaults included). */
  readonly flags: Readonly<Record<string, string>>;
  /** The configuration in force as YAML text with secrets hidden; "" before the first load. */
  readonly config: () => string;
  readonly tsdb: TsdbStatusSource;
}

// Go's int64 bounds: what Prometheus reports as the time bounds of an empty head.
const INT64_MAX = "9223372036854775807";
const INT64_MIN = "-9223372036854775808";

/** Registers the six `GET /api/v1/status/…` endpoints. */
export function registerStatusApi(app: FastifyInstance, options: StatusApiOptions): void {
  const get = (path: string, handler: (query: (name: string) => string) => unknown | Promise<unknown>) => {
    app.get(`/api/v1/status/${path}`, async (request, reply: FastifyReply) => {
      try {
        const form = formOf(request);
        return sendSuccess(reply, await handler((name) => form.get(name)));
      } catch (err) {
        return sendError(reply, err);
      }
    });
  };
  get("buildinfo", () => {
    const b = options.buildInfo;
    return { version: b.version, revision: b.revision, branch: b.branch, buildUser: b.buildUser, buildDate: b.buildDate, goVersion: b.goVersion };
  });
  get("runtimeinfo", () => runtimeInfoJson(options.runtimeInfo()));
  get("flags", () => {
    const names = Object.keys(options.flags).sort(compareStrings);
    return new RawJson(`{${names.map((n) => `${goJson(n)}:${goJson(options.flags[n])}`).join(",")}}`);
  });
  get("config", () => ({ yaml: options.config() }));
  get("tsdb", (query) => tsdbStatus(options.tsdb, query("limit")));
  get("walreplay", () => {
    const w = options.tsdb.walReplayStatus();
    return { min: w.min, max: w.max, current: w.current };
  });
}

function runtimeInfoJson(r: RuntimeInfo): RawJson {
  // Prometheus derives the reload time from a gauge of whole seconds.
  const lastConfig = r.lastConfigTime === undefined ? 0 : Math.floor(r.lastConfigTime / 1000) * 1000;
  const fields: [string, string][] = [
    ["startTime", goJson(goTime(r.startTime))],
    ["CWD", goJson(r.cwd)],
    ["hostname", goJson(r.hostname)],
    ["serverTime", goJson(goTime(r.serverTime))],
    ["reloadConfigSuccess", goJson(r.reloadConfigSuccess)],
    ["lastConfigTime", goJson(goTime(lastConfig))],
    ["corruptionCount", goJson(r.corruptionCount)],
    ["goroutineCount", goJson(r.goroutineCount)],
    ["GOMAXPROCS", goJson(r.gomaxprocs)],
    // Go's "no limit"; the process has no soft memory limit of Go's kind.
    ["GOMEMLIMIT", INT64_MAX],
    ["GOGC", '""'],
    ["GODEBUG", '""'],
    ["storageRetention", goJson(r.storageRetention)],
  ];
  return new RawJson(`{${fields.map(([k, v]) => `"${k}":${v}`).join(",")}}`);
}

/** Milliseconds as Go's time.Time JSON in UTC: RFC 3339 with the fraction's trailing zeros cut. */
export function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits === "" ? "Z" : `.${digits}Z`));
}

async function tsdbStatus(tsdb: TsdbStatusSource, limitParam: string): Promise<RawJson> {
  let limit = 10;
  if (limitParam !== "") {
    limit = /^[+-]?\d+$/.test(limitParam) ? Number(limitParam) : NaN;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new ApiError("bad_data", "limit must be a positive number");
  }
  const head = tsdb.headStats();
  if (head === undefined) throw new ApiError("unavailable", "TSDB not ready");
  const counter = new CardinalityCounter();
  await tsdb.forEachHeadSeries((labels) => counter.add(labels));
  const c = counter.result(limit);
  const headStats =
    `{"numSeries":${head.series},"numLabelPairs":${c.numLabelPairs},"chunkCount":${head.chunks},` +
    `"minTime":${head.minTime ?? INT64_MAX},"maxTime":${head.maxTime ?? INT64_MIN}}`;
  return new RawJson(
    `{"headStats":${headStats},"seriesCountByMetricName":${goJson(c.seriesCountByMetricName)},` +
      `"labelValueCountByLabelName":${goJson(c.labelValueCountByLabelName)},` +
      `"memoryInBytesByLabelName":${goJson(c.memoryInBytesByLabelName)},` +
      `"seriesCountByLabelValuePair":${goJson(c.seriesCountByLabelValuePair)}}`,
  );
}
