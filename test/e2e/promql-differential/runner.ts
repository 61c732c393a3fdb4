// Sends each check's request to both servers, a few checks at a time, and compares the answers.
import { callApi, peakSamples, type ApiAnswer, type ApiRequest } from "./api-client.js";
import { compareAnswers } from "./compare.js";

/** One request to send to both servers. */
export interface Check {
  /** Shown in reports: the expression or the request's purpose. */
  readonly name: string;
  readonly category: string;
  readonly kind: "instant" | "range" | "request";
  readonly request: ApiRequest;
  readonly ordered?: boolean;
}

/** What came of one check. */
export interface Outcome {
  readonly check: Check;
  /** Differences between the answers; empty when they agree. */
  readonly diffs: readonly string[];
  /** A problem with the harness itself (the reference's answer was unusable, or too costly). */
  readonly harness?: string;
  readonly prometheus: ApiAnswer;
  readonly meridian: ApiAnswer;
}

/** Where the two servers listen, and how to talk to them. */
export interface RunOptions {
  readonly prometheusUrl: string;
  readonly meridianUrl: string;
  /** Checks in flight at once. */
  readonly concurrency: number;
  /** Bound of each request (ms). */
  readonly timeoutMs: number;
  /** When set, Prometheus is asked for `stats=all` and a peak above this is a harness problem. */
  readonly peakSamplesLimit?: number;
  /**
   * Called with Prometheus' answer before Meridian is asked; a returned reason means Meridian is
   * not asked (it is known not to be able to agree, and asking would only cost time) and the
   * check counts as a disagreement for that reason.
   */
  readonly skipMeridian?: (check: Check, prometheus: ApiAnswer) => string | undefined;
}

/** Runs every check and returns the outcomes in the checks' order. */
export async function runChecks(checks: readonly Check[], options: RunOptions): Promise<Outcome[]> {
  const out: Outcome[] = new Array<Outcome>(checks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < checks.length; i = next++) out[i] = await runOne(checks[i] as Check, options);
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return out;
}

async function runOne(check: Check, options: RunOptions): Promise<Outcome> {
  const withStats = options.peakSamplesLimit === undefined ? check.request : { ...check.request, params: { ...check.request.params, stats: "all" } };
  let prometheus: ApiAnswer;
  let meridian: ApiAnswer;
  if (options.skipMeridian === undefined) {
    [prometheus, meridian] = await Promise.all([callApi(options.prometheusUrl, withStats, options.timeoutMs), callApi(options.meridianUrl, check.request, options.timeoutMs)]);
  } else {
    prometheus = await callApi(options.prometheusUrl, withStats, options.timeoutMs);
    const reason = options.skipMeridian(check, prometheus);
    if (reason !== undefined) return { check, diffs: [`not sent to meridian: ${reason}`], prometheus, meridian: { httpStatus: 0, body: undefined, excerpt: "not sent", ms: 0 } };
    meridian = await callApi(options.meridianUrl, check.request, options.timeoutMs);
  }
  try {
    const diffs = compareAnswers(prometheus, meridian, { ordered: check.ordered === true && check.kind === "instant" });
    const peak = peakSamples(prometheus);
    const limit = options.peakSamplesLimit;
    const harness = limit !== undefined && peak !== undefined && peak > limit ? `prometheus held ${peak} samples at once (more than ${limit}): too close to --query.max-samples` : undefined;
    return { check, diffs, prometheus, meridian, ...(harness ? { harness } : {}) };
  } catch (err) {
    return { check, diffs: [], harness: (err as Error).message, prometheus, meridian };
  }
}
