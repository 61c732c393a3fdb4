// Turns outcomes into the summary the test prints and the failure message it asserts with.
import type { Outcome } from "./runner.js";

/** Counts of one category. */
interface Tally {
  checks: number;
  matched: number;
  mismatched: number;
}

/** Per-category counts, as aligned text lines. */
export function summaryTable(outcomes: readonly Outcome[]): string[] {
  const by = new Map<string, Tally>();
  const total: Tally = { checks: 0, matched: 0, mismatched: 0 };
  for (const o of outcomes) {
    const tally = by.get(o.check.category) ?? { checks: 0, matched: 0, mismatched: 0 };
    by.set(o.check.category, tally);
    for (const x of [tally, total]) {
      x.checks++;
      if (o.diffs.length === 0 && o.harness === undefined) x.matched++;
      else x.mismatched++;
    }
  }
  const rows = [...by.entries(), ["total", total] as const].map(([name, x]) => [name, String(x.checks), String(x.matched), String(x.mismatched)]);
  const header = ["category", "checks", "matched", "mismatched"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join("  ");
  return [line(header), ...rows.map(line)];
}

/** One mismatch, for a report: what was asked, and how the answers differ. */
export function describeOutcome(o: Outcome): string {
  const p = o.check.request.params;
  const when = o.check.kind === "range" ? ` [${p["start"]}..${p["end"]} step ${p["step"]}]` : o.check.kind === "instant" ? ` @${p["time"]}` : "";
  const lines = o.harness !== undefined ? [`harness: ${o.harness}`] : o.diffs;
  return `${o.check.kind} ${o.check.name}${when}\n${lines.map((l) => `    ${l}`).join("\n")}`;
}

/** The outcomes that are not agreements. */
export function failures(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.filter((o) => o.diffs.length > 0 || o.harness !== undefined);
}

/** Total request time per server (ms), to show where the test spends its time. */
export function timeSpent(outcomes: readonly Outcome[]): { prometheusMs: number; meridianMs: number } {
  let prometheusMs = 0;
  let meridianMs = 0;
  for (const o of outcomes) {
    prometheusMs += o.prometheus.ms;
    meridianMs += o.meridian.ms;
  }
  return { prometheusMs: Math.round(prometheusMs), meridianMs: Math.round(meridianMs) };
}

/** The `n` slowest requests to one server, as text lines. */
export function slowest(outcomes: readonly Outcome[], server: "prometheus" | "meridian", n: number): string[] {
  return [...outcomes]
    .sort((a, b) => b[server].ms - a[server].ms)
    .slice(0, n)
    .map((o) => `${Math.round(o[server].ms)} ms ${o.check.kind} ${o.check.name}`);
}
