/**
 * The Prometheus API v1 endpoints that read the index without PromQL: `/api/v1/series`,
 * `/api/v1/labels` and `/api/v1/label/:name/values`, with Prometheus 3's parameters
 * (`match[]`, `start`, `end`, `limit`), defaults, response shapes and error messages.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { compareStrings, goQuote, isValidLabelName, type Labels, type Matcher } from "../model/index.js";
import { mergeSeriesSets, type Querier, type Queryable } from "../storage/index.js";
import { ApiError, invalidParamError } from "./errors.js";
import { acceptFormBodies, formOf } from "./form.js";
import { MAX_TIME_MS, MIN_TIME_MS, parseLimitParam, parseTimeParam, type FormValues } from "./params.js";
import { labelSetsJson, sendError, sendSuccess } from "./response.js";
import { SelectorParseError, parseSeriesSelector } from "./selector.js";
import { unescapeName } from "./unescape.js";

/** What the series API reads from. */
export interface SeriesApiOptions {
  /** The storage (or fan-out) the endpoints read; one querier is opened per request. */
  readonly queryable: Queryable;
}

const TRUNCATED = "results truncated due to limit";

/** Registers `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/:name/values` on `app`. */
export async function registerSeriesApi(app: FastifyInstance, options: SeriesApiOptions): Promise<void> {
  const { queryable } = options;
  await app.register(async (scope) => {
    acceptFormBodies(scope);
    const route = (handler: (form: FormValues, request: FastifyRequest) => Promise<Answer>) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const { data, warnings } = await handler(formOf(request), request);
          return sendSuccess(reply, data, warnings);
        } catch (err) {
          return sendError(reply, err);
        }
      };
    const series = route((form) => seriesHandler(queryable, form));
    const labels = route((form) => labelNamesHandler(queryable, form));
    scope.get("/api/v1/series", series);
    scope.post("/api/v1/series", series);
    scope.get("/api/v1/labels", labels);
    scope.post("/api/v1/labels", labels);
    scope.get(
      "/api/v1/label/:name/values",
      route((form, request) => labelValuesHandler(queryable, (request.params as { name: string }).name, form)),
    );
  });
}

interface Answer {
  readonly data: unknown;
  readonly warnings: readonly string[];
}

interface Range {
  readonly start: number;
  readonly end: number;
  readonly limit: number;
}

// Prometheus parses limit, then start, then end; the first bad one is reported.
function parseRange(form: FormValues): Range {
  const limit = parseLimitParam(form);
  const start = parseTimeParam(form, "start", MIN_TIME_MS);
  const end = parseTimeParam(form, "end", MAX_TIME_MS);
  return { start, end, limit };
}

async function seriesHandler(queryable: Queryable, form: FormValues): Promise<Answer> {
  const matches = form.getAll("match[]");
  if (matches.length === 0) throw new ApiError("bad_data", "no match[] parameter provided");
  const { start, end, limit } = parseRange(form);
  let sets: Matcher[][];
  try {
    sets = parseMatchers(matches);
  } catch (err) {
    throw invalidParamError("match[]", err as Error);
  }
  return withQuerier(queryable, start, end, (q) => {
    const hints = { start, end, func: "series" };
    const set = mergeSeriesSets(sets.map((ms) => q.select(ms, hints)));
    const found: Labels[] = [];
    const warnings: string[] = [];
    while (set.next()) {
      if (limit > 0 && found.length === limit) {
        warnings.push(TRUNCATED);
        break;
      }
      found.push(set.at().labels);
    }
    return { data: labelSetsJson(found), warnings: [...set.warnings(), ...warnings] };
  });
}

async function labelNamesHandler(queryable: Queryable, form: FormValues): Promise<Answer> {
  const { start, end, limit } = parseRange(form);
  const sets = parseMatchers(form.getAll("match[]"));
  return withQuerier(queryable, start, end, async (q) =>
    truncate(await unionOver(sets, (ms) => q.labelNames(ms)), limit),
  );
}

async function labelValuesHandler(queryable: Queryable, rawName: string, form: FormValues): Promise<Answer> {
  const name = unescapeName(rawName);
  if (!isValidLabelName(name)) throw new ApiError("bad_data", `invalid label name: ${goQuote(name)}`);
  const { start, end, limit } = parseRange(form);
  const sets = parseMatchers(form.getAll("match[]"));
  return withQuerier(queryable, start, end, async (q) =>
    truncate(await unionOver(sets, (ms) => q.labelValues(name, ms)), limit),
  );
}

/**
 * Parses `match[]` values; each selector must have a matcher that rejects the empty string, or
 * it would select every series (Prometheus's parseMatchersParam).
 */
function parseMatchers(values: readonly string[]): Matcher[][] {
  const sets = values.map((v) => {
    try {
      return parseSeriesSelector(v);
    } catch (err) {
      if (err instanceof SelectorParseError) throw new ApiError("bad_data", err.message, { cause: err });
      throw err;
    }
  });
  for (const ms of sets) {
    if (!ms.some((m) => !m.matches(""))) throw new ApiError("bad_data", "match[] must contain at least one non-empty matcher");
  }
  return sets;
}

async function unionOver(sets: readonly Matcher[][], list: (ms: Matcher[]) => Promise<string[]>): Promise<string[]> {
  if (sets.length <= 1) return list(sets[0] ?? []);
  const all = new Set<string>();
  for (const ms of sets) for (const v of await list(ms)) all.add(v);
  return [...all].sort(compareStrings);
}

function truncate(values: string[], limit: number): Answer {
  if (limit > 0 && values.length > limit) return { data: values.slice(0, limit), warnings: [TRUNCATED] };
  return { data: values, warnings: [] };
}

async function withQuerier<T>(queryable: Queryable, start: number, end: number, fn: (q: Querier) => T | Promise<T>): Promise<T> {
  const q = await queryable.querier(start, end);
  try {
    return await fn(q);
  } finally {
    await q.close();
  }
}
