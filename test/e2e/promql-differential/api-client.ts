// A minimal client of the Prometheus query API that keeps every answer, error or not, as data.

/** The JSON body of a Prometheus API v1 answer. */
export interface ApiBody {
  readonly status?: unknown;
  readonly errorType?: unknown;
  readonly error?: unknown;
  readonly data?: { readonly resultType?: unknown; readonly result?: unknown; readonly stats?: unknown };
}

/** What a server answered to one request. */
export interface ApiAnswer {
  /** HTTP status, or 0 when no answer came (connection refused, timeout). */
  readonly httpStatus: number;
  /** The parsed body, when it was JSON. */
  readonly body: ApiBody | undefined;
  /** The start of the raw body (or the network error), for reports. */
  readonly excerpt: string;
  /** Wall time of the request (ms). */
  readonly ms: number;
}

/** One query API request. */
export interface ApiRequest {
  readonly path: "/api/v1/query" | "/api/v1/query_range";
  readonly params: Readonly<Record<string, string>>;
}

/**
 * GETs `path` with `params` from the server at `baseUrl` and returns the answer whatever its
 * status; never throws. `timeoutMs` bounds the whole request.
 */
export async function callApi(baseUrl: string, request: ApiRequest, timeoutMs: number, signal?: AbortSignal): Promise<ApiAnswer> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(`${baseUrl}${request.path}?${new URLSearchParams(request.params).toString()}`, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    let body: ApiBody | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === "object" && parsed !== null) body = parsed as ApiBody;
    } catch {
      body = undefined;
    }
    return { httpStatus: res.status, body, excerpt: text.slice(0, 300), ms: performance.now() - started };
  } catch (err) {
    return { httpStatus: 0, body: undefined, excerpt: err instanceof Error ? err.message : String(err), ms: performance.now() - started };
  }
}

/** The peak samples Prometheus reports with `stats=all`, if present. */
export function peakSamples(answer: ApiAnswer): number | undefined {
  const stats = answer.body?.data?.stats as { samples?: { peakSamples?: unknown } } | undefined;
  const peak = stats?.samples?.peakSamples;
  return typeof peak === "number" ? peak : undefined;
}
