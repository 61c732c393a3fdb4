/**
 * Writes API v1 envelopes byte-compatible with Prometheus's: `{"status":"success","data":…}` with
 * `warnings` when there are any, and `{"status":"error","errorType":…,"error":…}`.
 */
import type { FastifyReply } from "fastify";
import type { Labels } from "../model/index.js";
import { toApiError } from "./errors.js";

/** A JSON fragment already serialised, embedded verbatim by `sendSuccess`. */
export class RawJson {
  /** The serialised JSON. */
  readonly json: string;

  constructor(json: string) {
    this.json = json;
  }
}

/** Sends a success envelope; `data` is plain JSON data or a RawJson fragment. */
export function sendSuccess(reply: FastifyReply, data: unknown, warnings: readonly string[] = []): FastifyReply {
  const body = data instanceof RawJson ? data.json : goJson(data);
  const tail = warnings.length > 0 ? `,"warnings":${goJson(warnings)}` : "";
  return send(reply, 200, `{"status":"success","data":${body}${tail}}`);
}

/** Sends the error envelope for any thrown value, with the HTTP status Prometheus uses. */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const e = toApiError(err);
  return send(reply, e.status, `{"status":"error","errorType":${goJson(e.errorType)},"error":${goJson(e.message)}}`);
}

// A Buffer, because Fastify appends "; charset=utf-8" to string bodies and Prometheus sends none.
function send(reply: FastifyReply, status: number, json: string): FastifyReply {
  return reply.code(status).type("application/json").send(Buffer.from(json));
}

/** Label sets as JSON objects with keys in label order (JS objects would put numeric names first). */
export function labelSetsJson(sets: readonly Labels[]): RawJson {
  const parts = sets.map((ls) => {
    const pairs: string[] = [];
    for (const { name, value } of ls) pairs.push(`${goJson(name)}:${goJson(value)}`);
    return `{${pairs.join(",")}}`;
  });
  return new RawJson(`[${parts.join(",")}]`);
}

// Go's encoding/json escapes <, > and & (and U+2028/2029) in strings; doing the same keeps
// answers byte-identical to Prometheus's. Those characters only ever occur inside strings.
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
