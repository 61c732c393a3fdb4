import { configText, startPeer, type Peer, type PeerConfig, type StartOptions } from "./peer-process.js";
import { PeerRequestError } from "./errors.js";

/** The `data` member of a Prometheus API v1 query response. */
export interface PromQueryData {
  readonly resultType: "vector" | "matrix" | "scalar" | "string";
  readonly result: unknown;
}

/** One series of an instant-vector result; the value is `[unixSeconds, "value"]`. */
export interface PromVectorSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

/** One series of a range-vector result; values are `[unixSeconds, "value"]`, oldest first. */
export interface PromMatrixSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [number, string])[];
}

/** A running real Prometheus. */
export interface PrometheusPeer extends Peer {
  /** Runs an instant query (`GET /api/v1/query`), at `timeSeconds` when given, and returns `data`. */
  query(expr: string, timeSeconds?: number): Promise<PromQueryData>;
  /** GETs any `/api/v1/...` endpoint and returns its `data`; a `status: "error"` answer throws. */
  api<T = unknown>(path: string, params?: Readonly<Record<string, string>>): Promise<T>;
}

/** Options of `startPrometheus`. */
export interface PrometheusOptions extends StartOptions {
  /** The prometheus.yml content. */
  readonly config: PeerConfig;
}

/** Starts a real Prometheus with its own config, TSDB directory and loopback port. */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusPeer> {
  const peer = await startPeer(
    {
      name: "prometheus",
      binary: "prometheus",
      files: { "prometheus.yml": configText(options.config) },
      args: (dir, port) => [
        `--config.file=${dir}/prometheus.yml`,
        `--storage.tsdb.path=${dir}/data`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--web.enable-lifecycle",
      ],
      readyPath: "/-/ready",
    },
    options,
  );
  const api = async <T>(path: string, params?: Readonly<Record<string, string>>): Promise<T> => {
    const body = JSON.parse(await peer.get(path, params)) as { status: string; data?: T; error?: string };
    if (body.status !== "success") throw new PeerRequestError(`prometheus: ${path}: ${body.error ?? body.status}`);
    return body.data as T;
  };
  return {
    ...peer,
    api,
    query: (expr, timeSeconds) =>
      api<PromQueryData>("/api/v1/query", {
        query: expr,
        ...(timeSeconds === undefined ? {} : { time: String(timeSeconds) }),
      }),
  };
}
