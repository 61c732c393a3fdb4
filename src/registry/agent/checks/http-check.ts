import * as http from "node:http";
import * as https from "node:https";
import type { Probe } from "./interval-check.js";
import { TailBuffer, describeDialError, outputMaxSize } from "./output.js";
import type { CheckDefinition, CheckStatus } from "./types.js";

/** Consul's User-Agent; endpoints often allow-list it, so a Meridian agent sends the same. */
const USER_AGENT = "Consul Health Check";
const ACCEPT = "text/plain, text/*, */*";
/** Go's http.Client gives up after this many redirects. */
const MAX_REDIRECTS = 10;

/** What an HTTP check needs of one exchange: the final status and the tail of its body. */
interface HttpOutcome {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
}

/** Settings of one HTTP check, after defaults. */
interface HttpRequestSpec {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string[]>;
  readonly body: string | undefined;
  readonly followRedirects: boolean;
  readonly rejectUnauthorized: boolean;
  readonly servername: string | undefined;
  readonly maxBytes: number;
}

/** A failure before any response; carries Go's wording. */
class HttpRequestFailure extends Error {}

/** 2xx is passing, 429 (the service is up but shedding load) warning, anything else critical. */
export function httpStatusToCheckStatus(code: number): CheckStatus {
  if (code >= 200 && code <= 299) return "passing";
  if (code === 429) return "warning";
  return "critical";
}

/** Builds the probe of an HTTP check; `fetchFn` replaces the built-in client when given. */
export function httpProbe(def: CheckDefinition, fetchFn: typeof fetch | undefined): Probe {
  const target = def.HTTP ?? "";
  const method = (def.Method || "GET").toUpperCase();
  // Go's url.Error spells the operation as the method with only its first letter capitalised.
  const op = method.charAt(0) + method.slice(1).toLowerCase();
  const headers = withDefaultHeaders(def.Header ?? {});
  const maxBytes = outputMaxSize(def.OutputMaxSize);

  return async (signal) => {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { status: "critical", output: `parse ${JSON.stringify(target)}: invalid URL` };
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return { status: "critical", output: `${op} ${JSON.stringify(target)}: unsupported protocol scheme "${url.protocol.slice(0, -1)}"` };
    }
    const spec: HttpRequestSpec = {
      url,
      method,
      headers,
      body: def.Body || undefined,
      followRedirects: !def.DisableRedirects,
      rejectUnauthorized: !def.TLSSkipVerify,
      servername: def.TLSServerName || undefined,
      maxBytes,
    };
    let outcome: HttpOutcome;
    try {
      outcome = fetchFn === undefined ? await exchange(spec, signal) : await exchangeWithFetch(fetchFn, spec, signal);
    } catch (err) {
      const reason = signal.aborted
        ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        : err instanceof HttpRequestFailure
          ? err.message
          : describeDialError(err, hostPortOf(url));
      return { status: "critical", output: `${op} ${JSON.stringify(target)}: ${reason}` };
    }
    const statusLine = `${outcome.status} ${outcome.statusText || http.STATUS_CODES[outcome.status] || ""}`.trimEnd();
    return {
      status: httpStatusToCheckStatus(outcome.status),
      output: `HTTP ${method} ${target}: ${statusLine} Output: ${outcome.body}`,
    };
  };
}

function withDefaultHeaders(given: Record<string, string[]>): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(given)) headers[name.toLowerCase()] = [...values];
  headers["user-agent"] ??= [USER_AGENT];
  headers["accept"] ??= [ACCEPT];
  return headers;
}

function hostPortOf(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}

/** One request with Node's client, following redirects the way Go's http.Client does. */
async function exchange(spec: HttpRequestSpec, signal: AbortSignal): Promise<HttpOutcome> {
  let url = spec.url;
  let method = spec.method;
  let body = spec.body;
  let headers = spec.headers;
  for (let redirects = 0; ; redirects++) {
    const result = await requestOnce(spec, url, method, headers, body, signal);
    if (result.location === undefined) return result;
    if (redirects + 1 >= MAX_REDIRECTS) throw new HttpRequestFailure(`stopped after ${MAX_REDIRECTS} redirects`);
    const next = new URL(result.location, url);
    // 301/302/303 turn into a body-less GET, 307/308 repeat the request as is (RFC 9110 15.4).
    if (result.status !== 307 && result.status !== 308 && method !== "HEAD") {
      method = "GET";
      body = undefined;
    }
    if (next.host !== url.host) headers = withoutCredentials(headers);
    url = next;
  }
}

/** Credentials are for the host they were configured for, never for where it redirects to. */
function withoutCredentials(headers: Record<string, string[]>): Record<string, string[]> {
  const { authorization: _a, cookie: _c, host: _h, ...rest } = headers;
  return rest;
}

/** Node wants single-valued headers (Host above all) as strings, repeated ones as arrays. */
function nodeHeaders(headers: Record<string, string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    const [first] = values;
    if (first === undefined) continue;
    out[name] = values.length === 1 || name === "host" ? first : values;
  }
  return out;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function requestOnce(
  spec: HttpRequestSpec,
  url: URL,
  method: string,
  headers: Record<string, string[]>,
  body: string | undefined,
  signal: AbortSignal,
): Promise<HttpOutcome & { location?: string }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const req = client.request(url, {
      method,
      headers: nodeHeaders(headers),
      // A fresh connection per run: a kept-alive socket could make a dead service look alive.
      agent: false,
      signal,
      rejectUnauthorized: spec.rejectUnauthorized,
      servername: spec.servername,
    });
    let responded = false;
    // Once headers arrived the outcome comes from the response; a later abort only cuts the body.
    req.on("error", (err) => {
      if (!responded) reject(err);
    });
    req.on("response", (res) => {
      responded = true;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (spec.followRedirects && isRedirect(status) && location !== undefined) {
        res.destroy();
        resolve({ status, statusText: "", body: "", location });
        return;
      }
      const tail = new TailBuffer(spec.maxBytes);
      const done = (): void => resolve({ status, statusText: res.statusMessage ?? "", body: tail.toString() });
      res.on("data", (chunk: Buffer) => tail.write(chunk));
      res.on("end", done);
      // Like Consul, a body cut short (timeout, reset) still yields a result from the status.
      res.on("error", done);
      res.on("close", done);
    });
    req.end(body);
  });
}

/** The same exchange through an injected fetch; the fetch owns TLS settings and redirects. */
async function exchangeWithFetch(fetchFn: typeof fetch, spec: HttpRequestSpec, signal: AbortSignal): Promise<HttpOutcome> {
  const headers = new Headers();
  for (const [name, values] of Object.entries(spec.headers)) for (const v of values) headers.append(name, v);
  const res = await fetchFn(spec.url, {
    method: spec.method,
    headers,
    // Fetch refuses a body on GET and HEAD, where Go would send it; endpoints rarely read it.
    body: spec.method === "GET" || spec.method === "HEAD" ? undefined : spec.body,
    redirect: spec.followRedirects ? "follow" : "manual",
    signal,
  });
  const tail = new TailBuffer(spec.maxBytes);
  if (res.body !== null) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        tail.write(value);
      }
    } catch {
      // A body cut short still yields a result from the status, as with the built-in client.
    } finally {
      reader.releaseLock();
    }
  }
  return { status: res.status, statusText: res.statusText, body: tail.toString() };
}
