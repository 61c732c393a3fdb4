import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { readFileSync } from "node:fs";
import { createGunzip, gunzipSync } from "node:zlib";
import { MeridianError } from "../model/index.js";
import type { ScrapeHttpOptions } from "./job.js";

/** The Accept header Prometheus 2.42 sends: OpenMetrics preferred, text 0.0.4 as fallback. */
export const SCRAPE_ACCEPT =
  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

// Output chunks of a streamed inflate: far larger than zlib's 16 KiB default, so a megabyte body
// costs a few buffers instead of a hundred.
const GUNZIP_CHUNK_BYTES = 128 * 1024;
// Bounds of the single output buffer gunzipWhole asks zlib for.
const MIN_WHOLE_BYTES = 64 * 1024;
const MAX_WHOLE_BYTES = 64 * 1024 * 1024;

/**
 * Inflates a complete gzip body in one synchronous call into one buffer sized by the gzip trailer
 * (ISIZE, the decompressed length modulo 2^32, of the last member; a wrong or truncated value only
 * costs extra buffers). Streaming inflate makes a buffer per chunk and then copies them all into
 * one body; every such buffer is memory V8 counts as external, and each 64 MiB of that starts a
 * full garbage collection of the whole heap, which with a large TSDB head costs far more than
 * the inflate. The call blocks for about a millisecond per megabyte, less than parsing the body.
 */
function gunzipWhole(compressed: Buffer): Buffer {
  const isize = compressed.length >= 18 ? compressed.readUInt32LE(compressed.length - 4) : 0;
  return gunzipSync(compressed, { chunkSize: Math.min(MAX_WHOLE_BYTES, Math.max(MIN_WHOLE_BYTES, isize + 1)) });
}

/** A scrape that failed before its body could be parsed; the message becomes `lastError`. */
export class ScrapeError extends MeridianError {
  constructor(message: string) {
    super("scrape_failed", message);
  }
}

/** A fetched exposition body. */
export interface ScrapeBody {
  readonly body: Buffer;
  readonly contentType: string;
}

/** Options of one fetch. */
export interface FetchOptions {
  readonly url: URL;
  readonly timeoutMs: number;
  /** Largest decompressed body accepted, in bytes; 0 = no limit. */
  readonly bodySizeLimit: number;
  readonly http: ScrapeHttpOptions;
  readonly userAgent: string;
  /** Aborts the fetch (the loop is stopping). */
  readonly signal: AbortSignal;
}

/**
 * Fetches a target with node:http(s) rather than fetch(): the scrape needs per-job TLS settings,
 * a hard cap on the decompressed size while reading, and Prometheus's exact error texts. Resolves
 * with the whole body; rejects with ScrapeError.
 */
export function fetchTarget(opts: FetchOptions): Promise<ScrapeBody> {
  return new Promise<ScrapeBody>((resolve, reject) => {
    const { url, http } = opts;
    const headers: Record<string, string> = {
      Accept: SCRAPE_ACCEPT,
      "Accept-Encoding": "gzip",
      "User-Agent": opts.userAgent,
      "X-Prometheus-Scrape-Timeout-Seconds": String(opts.timeoutMs / 1000),
    };
    if (http.basicAuth) headers["Authorization"] = `Basic ${Buffer.from(`${http.basicAuth.username}:${http.basicAuth.password}`).toString("base64")}`;
    if (http.authorization) headers["Authorization"] = `${http.authorization.type} ${http.authorization.credentials}`;
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signal = AbortSignal.any([opts.signal, timeout]);
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new ScrapeError(message));
    };
    const tlsOptions =
      url.protocol === "https:"
        ? {
            rejectUnauthorized: !(http.tls?.insecureSkipVerify ?? false),
            servername: http.tls?.serverName,
            ca: http.tls?.ca ? readFileSync(http.tls.ca) : undefined,
            cert: http.tls?.cert ? readFileSync(http.tls.cert) : undefined,
            key: http.tls?.key ? readFileSync(http.tls.key) : undefined,
          }
        : {};
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = request(url, { method: "GET", headers, agent: false, ...tlsOptions });
    const onAbort = () => fail(timeout.aborted ? "context deadline exceeded" : "scrape stopped");
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", (err) => fail(err.message));
    req.on("close", () => signal.removeEventListener("abort", onAbort));
    req.on("response", (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(`server returned HTTP status ${res.statusCode} ${res.statusMessage ?? ""}`.trimEnd());
        return;
      }
      const gzip = (res.headers["content-encoding"] ?? "").toLowerCase() === "gzip";
      // Without a size limit a gzipped body is inflated in one call once it has arrived (see
      // gunzipWhole); with one it is inflated as it streams in, so an oversized body fails early.
      const whole = gzip && opts.bodySizeLimit <= 0;
      const stream = gzip && !whole ? res.pipe(createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES })) : res;
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (chunk: Buffer) => {
        size += chunk.length;
        // Prometheus reads through a LimitReader and fails when it got the whole limit, so a
        // body of exactly the limit fails too; its message carries no numbers.
        if (opts.bodySizeLimit > 0 && size >= opts.bodySizeLimit) {
          fail("body size limit exceeded");
          return;
        }
        chunks.push(chunk);
      });
      stream.on("error", (err: Error) => fail(gzip ? `gzip: ${err.message}` : err.message));
      res.on("aborted", () => fail("unexpected EOF"));
      stream.on("end", () => {
        if (settled) return;
        let body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
        if (whole) {
          try {
            body = gunzipWhole(body);
          } catch (err) {
            fail(`gzip: ${(err as Error).message}`);
            return;
          }
        }
        settled = true;
        resolve({ body, contentType: res.headers["content-type"] ?? "" });
      });
    });
    req.end();
  });
}
