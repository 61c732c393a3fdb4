import type { FastifyInstance, FastifyRequest } from "fastify";
import { FormValues } from "./params.js";

/**
 * Lets `scope` accept urlencoded POST bodies as a raw string. Call it on an encapsulated plugin
 * scope: Fastify refuses a second parser for the same type in one scope, and several API modules
 * need this one.
 */
export function acceptFormBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => done(null, body));
}

/** The request's form values (urlencoded body, then query string), as Go's `Request.Form`. */
export function formOf(request: FastifyRequest): FormValues {
  const url = request.raw.url ?? "";
  const q = url.indexOf("?");
  const body = typeof request.body === "string" ? request.body : undefined;
  return new FormValues(body, q < 0 ? "" : url.slice(q + 1));
}
