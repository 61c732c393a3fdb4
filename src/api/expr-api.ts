/**
 * The endpoints that parse a query without evaluating it: `/api/v1/format_query`,
 * `/api/v1/parse_query` and `/api/v1/query_exemplars` (valid parameters, no exemplars: Meridian
 * stores none yet), with Prometheus 3's answers and errors.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PromQLParseError, type Expr } from "../promql/index.js";
import { astJson, selectorsOf, type FunctionSignature } from "./ast-json.js";
import { ApiError, invalidParamError } from "./errors.js";
import { acceptFormBodies, formOf } from "./form.js";
import { MAX_TIME_MS, MIN_TIME_MS, parseTimeParam, type FormValues } from "./params.js";
import { sendError, sendSuccess } from "./response.js";

/** The PromQL parser the endpoints use (the promql module's). */
export interface ExprParser {
  /** Parses a query; throws PromQLParseError with Prometheus's message. */
  parse(query: string): Expr;
  /** The query formatted as Prometheus's `Expr.Pretty(0)`. */
  prettify(expr: Expr): string;
  /** The signature of a function that parsed. */
  signature(name: string): FunctionSignature;
}

/** Registers `format_query` and `parse_query` (GET and POST) and `query_exemplars` (GET and POST). */
export async function registerExprApi(app: FastifyInstance, options: { readonly parser: ExprParser }): Promise<void> {
  const { parser } = options;
  await app.register(async (scope) => {
    acceptFormBodies(scope);
    // undefined answers 204 No Content, as Prometheus does for an exemplar query without selectors.
    const route = (handler: (form: FormValues) => unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const data = handler(formOf(request));
        return data === undefined ? reply.code(204).send() : sendSuccess(reply, data);
      } catch (err) {
        return sendError(reply, err);
      }
    };
    const endpoints: [string, (form: FormValues) => unknown][] = [
      ["format_query", (form) => parser.prettify(queryParam(parser, form))],
      ["parse_query", (form) => astJson(queryParam(parser, form), (name) => parser.signature(name))],
      ["query_exemplars", (form) => exemplars(parser, form)],
    ];
    for (const [name, handler] of endpoints) {
      scope.get(`/api/v1/${name}`, route(handler));
      scope.post(`/api/v1/${name}`, route(handler));
    }
  });
}

function queryParam(parser: ExprParser, form: FormValues): Expr {
  try {
    return parser.parse(form.get("query"));
  } catch (err) {
    if (err instanceof PromQLParseError) throw invalidParamError("query", err);
    throw err;
  }
}

function exemplars(parser: ExprParser, form: FormValues): unknown {
  const start = parseTimeParam(form, "start", MIN_TIME_MS);
  const end = parseTimeParam(form, "end", MAX_TIME_MS);
  if (end < start) throw new ApiError("bad_data", "end timestamp must not be before start timestamp");
  let expr: Expr;
  try {
    expr = parser.parse(form.get("query"));
  } catch (err) {
    if (err instanceof PromQLParseError) throw new ApiError("bad_data", err.message, { cause: err });
    throw err;
  }
  return selectorsOf(expr).length === 0 ? undefined : [];
}
