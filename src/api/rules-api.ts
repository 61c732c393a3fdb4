/**
 * `/api/v1/rules` and `/api/v1/alerts` in Prometheus 3's shapes. The engine evaluates no rules
 * yet, so both answer empty lists; the parameters are still checked as Prometheus checks them,
 * so a client's mistakes show now rather than when rules arrive.
 */
import type { FastifyInstance } from "fastify";
import { goQuote } from "../model/index.js";
import { ApiError, invalidParamError } from "./errors.js";
import { formOf } from "./form.js";
import type { FormValues } from "./params.js";
import { sendError, sendSuccess } from "./response.js";
import { SelectorParseError, parseSeriesSelector } from "./selector.js";

/** Registers `GET /api/v1/rules` and `GET /api/v1/alerts`. */
export function registerRulesApi(app: FastifyInstance): void {
  app.get("/api/v1/rules", async (request, reply) => {
    try {
      checkRulesParams(formOf(request));
      return sendSuccess(reply, { groups: [] });
    } catch (err) {
      return sendError(reply, err);
    }
  });
  app.get("/api/v1/alerts", async (_request, reply) => sendSuccess(reply, { alerts: [] }));
}

// Prometheus's order: match[], type, exclude_alerts, then pagination.
function checkRulesParams(form: FormValues): void {
  for (const selector of form.getAll("match[]")) {
    let matchers;
    try {
      matchers = parseSeriesSelector(selector);
    } catch (err) {
      if (err instanceof SelectorParseError) throw new ApiError("bad_data", err.message, { cause: err });
      throw err;
    }
    if (!matchers.some((m) => !m.matches(""))) throw new ApiError("bad_data", "match[] must contain at least one non-empty matcher");
  }
  const type = form.get("type").toLowerCase();
  if (type !== "" && type !== "alert" && type !== "record") throw invalidParamError("type", `not supported value ${goQuote(type)}`);
  const exclude = form.get("exclude_alerts").toLowerCase();
  if (exclude !== "" && !["1", "t", "true", "0", "f", "false"].includes(exclude)) {
    throw invalidParamError("exclude_alerts", `error converting exclude_alerts: strconv.ParseBool: parsing ${goQuote(exclude)}: invalid syntax`);
  }
  const limit = form.get("group_limit");
  const token = form.get("group_next_token");
  if (token !== "" && limit === "") throw invalidParamError("group_next_token", "group_limit needs to be present in order to paginate over the groups");
  if (limit !== "") {
    if (!/^[+-]?\d+$/.test(limit)) throw invalidParamError("group_limit", `group_limit needs to be a valid number: strconv.ParseInt: parsing ${goQuote(limit)}: invalid syntax`);
    const n = Number(limit);
    if (n > 2 ** 31 - 1 || n < -(2 ** 31)) throw invalidParamError("group_limit", `group_limit needs to be a valid number: strconv.ParseInt: parsing ${goQuote(limit)}: value out of range`);
    if (n <= 0) throw invalidParamError("group_limit", "group_limit needs to be greater than 0");
    // With no groups, no token can be one this server handed out.
    if (token !== "") throw invalidParamError("group_next_token", `invalid group_next_token '${token}'. were rule groups changed?`);
  }
}
