/** Counts over script reports, and their rendering as plain-text tables for test output. */
import type { ScriptReport } from "./run-script.js";
import { SKIP_REASONS } from "./skips.js";
import type { SkipReason } from "./skips.js";

/** Counts for one script, or for all of them. */
export interface ReportSummary {
  readonly name: string;
  readonly evals: number;
  readonly passed: number;
  /** Failed evals plus script-level errors (a script that does not parse, refused samples). */
  readonly failed: number;
  readonly skipped: number;
  /** Evals that passed but failed upstream's extra checks. */
  readonly extraFailed: number;
  /** Skipped evals by their first reason, so the counts add up to `skipped`. */
  readonly skipReasons: Readonly<Record<SkipReason, number>>;
}

function emptyReasons(): Record<SkipReason, number> {
  return Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>;
}

/** Counts the outcomes of one script. */
export function summarize(report: ScriptReport): ReportSummary {
  const skipReasons = emptyReasons();
  let passed = 0;
  let failed = report.errors.length;
  let skipped = 0;
  let extraFailed = 0;
  for (const o of report.outcomes) {
    if (o.status === "passed") passed++;
    else if (o.status === "failed") failed++;
    else skipped++;
    const first = o.skipReasons[0];
    if (first !== undefined) skipReasons[first]++;
    if (o.extra?.status === "failed") extraFailed++;
  }
  return { name: report.name, evals: report.outcomes.length, passed, failed, skipped, extraFailed, skipReasons };
}

/** Adds summaries up under `name`. */
export function total(summaries: readonly ReportSummary[], name = "total"): ReportSummary {
  const skipReasons = emptyReasons();
  for (const s of summaries) for (const r of SKIP_REASONS) skipReasons[r] += s.skipReasons[r];
  const sum = (f: (s: ReportSummary) => number): number => summaries.reduce((n, s) => n + f(s), 0);
  return {
    name,
    evals: sum((s) => s.evals),
    passed: sum((s) => s.passed),
    failed: sum((s) => s.failed),
    skipped: sum((s) => s.skipped),
    extraFailed: sum((s) => s.extraFailed),
    skipReasons,
  };
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

/** Options of `formatReport`. */
export interface FormatOptions {
  /** Also list up to this many failures (and extra-check failures) per script; default 0. */
  readonly failuresPerScript?: number;
}

/**
 * Renders the per-script counts with a total row, then the skip reasons of the total, then (if
 * asked) the first failures of each script with their reasons.
 */
export function formatReport(reports: readonly ScriptReport[], options: FormatOptions = {}): string {
  const summaries = reports.map(summarize);
  const all = total(summaries);
  const row = (s: ReportSummary): string[] => [s.name, String(s.evals), String(s.passed), String(s.failed), String(s.skipped), String(s.extraFailed)];
  const parts = [table(["script", "evals", "passed", "failed", "skipped", "extra-failed"], [...summaries.map(row), row(all)])];
  const reasons = SKIP_REASONS.filter((r) => all.skipReasons[r] > 0).map((r) => [r, String(all.skipReasons[r])]);
  if (reasons.length > 0) parts.push(table(["skip reason (first per eval)", "evals"], reasons));
  const limit = options.failuresPerScript ?? 0;
  if (limit > 0) {
    const lines: string[] = [];
    for (const r of reports) {
      for (const e of r.errors.slice(0, limit)) lines.push(`${r.name}: ${e}`);
      const failed = r.outcomes.filter((o) => o.status === "failed").slice(0, limit);
      for (const o of failed) lines.push(`${r.name}:${o.line}: ${o.query}\n    ${o.reason ?? ""}`);
      const extra = r.outcomes.filter((o) => o.extra?.status === "failed").slice(0, limit);
      for (const o of extra) lines.push(`${r.name}:${o.line}: (extra check) ${o.query}\n    ${o.extra?.reason ?? ""}`);
    }
    if (lines.length > 0) parts.push(lines.join("\n"));
  }
  return parts.join("\n\n");
}
