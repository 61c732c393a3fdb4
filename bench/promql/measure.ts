// Timing of query_range requests and the summary statistics the PromQL benchmark reports.
import { callApi, type ApiAnswer, type ApiRequest } from "../../test/e2e/promql-differential/api-client.js";
import type { Window } from "./dashboard.js";

/** One timed request: wall time from sending to the last byte of the body (ms), and its answer. */
export interface Timed {
  readonly ms: number;
  readonly answer: ApiAnswer;
}

/** The query_range request of `expr` over `w`. */
export function rangeRequest(expr: string, w: Window): ApiRequest {
  return { path: "/api/v1/query_range", params: { query: expr, start: String(w.startMs / 1000), end: String(w.endMs / 1000), step: String(w.stepMs / 1000) } };
}

/** Sends `request` to `baseUrl` and times it; a non-success answer throws, so no failure is timed as a result. */
export async function timeRequest(baseUrl: string, request: ApiRequest, timeoutMs: number): Promise<Timed> {
  const answer = await callApi(baseUrl, request, timeoutMs);
  if (answer.body?.status !== "success") throw new Error(`${baseUrl} ${request.params["query"]}: HTTP ${answer.httpStatus} ${answer.excerpt}`);
  return { ms: answer.ms, answer };
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The geometric mean of positive numbers. */
export function geometricMean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  return Math.exp(xs.reduce((acc, x) => acc + Math.log(x), 0) / xs.length);
}

/** Series and points in a matrix answer, to show both servers returned results of the same size. */
export function resultSize(answer: ApiAnswer): { series: number; points: number } {
  const result = answer.body?.data?.result;
  if (!Array.isArray(result)) return { series: 0, points: 0 };
  let points = 0;
  for (const s of result as { values?: unknown[] }[]) points += s.values?.length ?? 0;
  return { series: result.length, points };
}

/** Text table with the first column left-aligned and the others right-aligned. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
