/**
 * Writes API v1 envelopes byte-compatible with Prometheus's: `{"status":"success","data":…}` with
 * `warnings` and `infos` when there are any, and `{"status":"error","errorType":…,"error":…}`.
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

// Prometheus sends at most this many warnings and as many infos, then says how many it left out.
const MAX_ANNOTATIONS = 10;

/**
 * Sends a success envelope; `data` is plain JSON data or a RawJson fragment. Warnings and infos
 * beyond the first ten of each are replaced by a count, as Prometheus's `AsStrings` does.
 */
export function sendSuccess(reply: FastifyReply, data: unknown, warnings: readonly string[] = [], infos: readonly string[] = []): FastifyReply {
  const body = data instanceof RawJson ? data.json : goJson(data);
  const w = capped(warnings, "warning");
  const i = capped(infos, "info");
  const tail = (w.length > 0 ? `,"warnings":${goJson(w)}` : "") + (i.length > 0 ? `,"infos":${goJson(i)}` : "");
  return send(reply, 200, `{"status":"success","data":${body}${tail}}`);
}

function capped(list: readonly string[], kind: string): readonly string[] {
  if (list.length <= MAX_ANNOTATIONS) return list;
  return [...list.slice(0, MAX_ANNOTATIONS), `${list.length - MAX_ANNOTATIONS} more ${kind} annotations omitted`];
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
  return new RawJson(`[${sets.map(labelsJson).join(",")}]`);
}

/** One label set as a JSON object text with keys in label order. */
export function labelsJson(ls: Labels): string {
  const pairs: string[] = [];
  for (const { name, value } of ls) pairs.push(`${goJson(name)}:${goJson(value)}`);
  return `{${pairs.join(",")}}`;
}

/**
 * JSON text of `v` as Go's encoding/json writes it: it escapes <, > and & (and U+2028/2029) in
 * strings, which keeps answers byte-identical to Prometheus's. Those characters only ever occur
 * inside strings.
 */
export function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
