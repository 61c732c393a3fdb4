/**
 * Runs Prometheus's own PromQL test scripts (read from the shared conformance folder, never copied
 * here) against Meridian's engine, prints the report, and holds each script's failures to the
 * ratchet in `conformance-baseline.json`.
 *
 * Environment: MERIDIAN_SHARED (the shared folder), PROMQLTEST_FILTER (only scripts whose name
 * contains it), PROMQLTEST_FAILURES=N (list N failures per script), PROMQLTEST_EXTRA=0 (skip
 * upstream's extra checks), PROMQLTEST_WRITE_BASELINE=1 (store the current counts as the baseline).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { formatReport, summarize } from "./report.js";
import { runScript, type ScriptReport } from "./run-script.js";

// Compiled to dist/src/promql/promqltest/, four levels below the repository.
const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const BASELINE = join(REPO, "src/promql/promqltest/conformance-baseline.json");
const SCRIPTS = "conformance/promql/testdata";

interface Limits {
  readonly failed: number;
  readonly extraFailed: number;
}

interface Baseline {
  readonly description: string;
  readonly scripts: Readonly<Record<string, Limits>>;
}

function testdataDir(): string | undefined {
  const candidates = [process.env.MERIDIAN_SHARED, join(REPO, "../shared"), "/work/shared"];
  for (const dir of candidates) {
    if (dir !== undefined && dir !== "" && existsSync(join(dir, SCRIPTS))) return join(dir, SCRIPTS);
  }
  return undefined;
}

function readBaseline(): Baseline {
  return JSON.parse(readFileSync(BASELINE, "utf8")) as Baseline;
}

const dir = testdataDir();
const filter = process.env.PROMQLTEST_FILTER ?? "";
const files = dir === undefined ? [] : readdirSync(dir).filter((f) => f.endsWith(".test") && f.includes(filter)).sort();

describe("PromQL conformance: upstream test scripts", { skip: dir === undefined ? "shared conformance folder not found" : false }, () => {
  const reports = new Map<string, ScriptReport>();

  before(async () => {
    const extraChecks = process.env.PROMQLTEST_EXTRA !== "0";
    for (const f of files) {
      reports.set(f, await runScript(readFileSync(join(dir as string, f), "utf8"), { name: f, extraChecks }));
    }
    console.log(`\nPromQL conformance (${dir as string})\n\n${formatReport([...reports.values()], { failuresPerScript: Number(process.env.PROMQLTEST_FAILURES ?? 0) })}\n`);
    if (process.env.PROMQLTEST_WRITE_BASELINE === "1") {
      const old = readBaseline();
      const scripts: Record<string, Limits> = { ...old.scripts };
      for (const r of reports.values()) {
        const s = summarize(r);
        scripts[r.name] = { failed: s.failed, extraFailed: s.extraFailed };
      }
      writeFileSync(BASELINE, `${JSON.stringify({ description: old.description, scripts }, null, 2)}\n`);
    }
  });

  for (const f of files) {
    it(`${f} fails no more evals than the baseline`, () => {
      const report = reports.get(f);
      assert.ok(report !== undefined, `${f} did not run`);
      const s = summarize(report);
      const limits = readBaseline().scripts[f] ?? { failed: 0, extraFailed: 0 };
      assert.ok(s.failed <= limits.failed, `${f}: ${s.failed} failures, baseline allows ${limits.failed} (PROMQLTEST_FAILURES=10 lists them)`);
      assert.ok(s.extraFailed <= limits.extraFailed, `${f}: ${s.extraFailed} extra-check failures, baseline allows ${limits.extraFailed}`);
    });
  }
});
