import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { MeridianError } from "../../model/index.js";
import { BadRequestError } from "../errors.js";
import type { Indexed } from "../catalog/index.js";
import type { KeyIndex } from "../catalog/index.js";
import { parseBlockingParams } from "./blocking.js";

/** Largest request body the Consul API accepts (Consul itself caps bodies near this size). */
export const MAX_BODY_BYTES = 512 * 1024;

/**
 * Prepares a Fastify scope to behave like Consul's HTTP server: bodies are read as JSON whatever
 * their Content-Type (clients such as curl send none), and typed errors become Consul's
 * plain-text answers (400 with the reason, 403 "Permission denied", 404, 413).
 */
export function consulScope(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser("*", { parseAs: "string", bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new BadRequestError(`Request decode failed: ${(err as Error).message}`), undefined);
    }
  });
  scope.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const { status, message } = consulError(err);
    return reply.code(status).type("text/plain; charset=utf-8").send(message);
  });
  scope.setNotFoundHandler((req, reply) =>
    reply.code(404).type("text/plain; charset=utf-8").send(`Invalid URL path: not a recognized HTTP API endpoint: ${req.url.split("?")[0]}`),
  );
}

/** Maps an error to Consul's status code and text. */
export function consulError(err: Error & { statusCode?: number; code?: string }): { status: number; message: string } {
  if (err instanceof MeridianError) {
    switch (err.code) {
      case "bad_request":
      case "invalid_filter":
        return { status: 400, message: err.message };
      case "not_found":
        return { status: 404, message: err.message };
      case "permission_denied":
        return { status: 403, message: err.message };
    }
    return { status: 500, message: err.message };
  }
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") return { status: 413, message: `Request body too large, max size: ${MAX_BODY_BYTES} bytes` };
  if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) return { status: err.statusCode, message: err.message };
  return { status: 500, message: err.message };
}

/** What a blocking read needs from its caller. */
export interface BlockingRead<T> {
  /** The keys of the blocking index the read depends on. */
  readonly keys: readonly string[];
  /** Computes the answer; called after the wait. */
  readonly compute: () => Indexed<T>;
}

/** Options shared by every blocking endpoint. */
export interface BlockingOptions {
  readonly keys: KeyIndex;
  readonly random: () => number;
  /** Milliseconds since this server last heard from the leader (0 on a server). */
  readonly lastContactMs: () => number;
  /** Whether a leader is known. */
  readonly knownLeader: () => boolean;
}

/**
 * Runs a read as a Consul blocking query: with `?index=N`, waits until one of the read's keys
 * moves past N, the wait time (plus jitter) elapses, or the client goes away; then answers with
 * the `X-Consul-*` headers.
 */
export async function blockingRead<T>(req: FastifyRequest, reply: FastifyReply, opts: BlockingOptions, read: BlockingRead<T>): Promise<T> {
  const { index, waitMs } = parseBlockingParams(req.query as Record<string, unknown>, opts.random);
  if (index > 0) {
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), waitMs);
    const onClose = () => ac.abort();
    reply.raw.once("close", onClose);
    try {
      await opts.keys.wait(read.keys, index, ac.signal);
    } finally {
      clearTimeout(timer);
      reply.raw.off("close", onClose);
    }
  }
  const result = read.compute();
  setConsulHeaders(reply, result.index, opts);
  return result.value;
}

/** Sets `X-Consul-Index`, `X-Consul-KnownLeader` and `X-Consul-LastContact`. */
export function setConsulHeaders(reply: FastifyReply, index: number, opts: Pick<BlockingOptions, "lastContactMs" | "knownLeader">): void {
  reply.header("X-Consul-Index", String(Math.max(1, index)));
  reply.header("X-Consul-KnownLeader", String(opts.knownLeader()));
  reply.header("X-Consul-LastContact", String(Math.max(0, Math.round(opts.lastContactMs()))));
  reply.header("X-Consul-Effective-Consistency", "leader");
}
