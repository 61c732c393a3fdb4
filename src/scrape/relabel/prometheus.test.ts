// Cross-check against a real Prometheus 2.42: every case of testdata/cases.ts becomes a scrape job
// whose one static target carries the case's input labels and whose relabel_configs are the
// case's rules. Prometheus's /api/v1/targets then shows what its relabelling made of each target,
// and that must be what ours makes of the same labels. The targets' addresses do not resolve; only
// target relabelling matters here, never a scrape. Prometheus 2.42's `.` does not match a newline
// (3.0 changed that, and we follow 3.0), so the comparison runs our side with `(?-s)` and checks
// that only the cases marked `dotMatchesNewline` depend on the difference.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { Labels } from "../../model/index.js";
import { requirePeer, runWithPeerLog, startPrometheus, withPeer } from "../../../test/peers/index.js";
import { compileRelabel, relabel } from "./index.js";
import { CASES, toConfig, type RelabelCase, type RuleSpec } from "./testdata/cases.js";

const SCRAPE_INTERVAL = "1h";
const SCRAPE_TIMEOUT = "10s";

interface TargetsData {
  readonly activeTargets: readonly { discoveredLabels: Record<string, string>; labels: Record<string, string> }[];
  readonly droppedTargets: readonly { discoveredLabels: Record<string, string> }[];
}

/** What Prometheus shows for a target: dropped by relabelling, or kept with its final labels. */
type Outcome = "dropped" | Readonly<Record<string, string>>;

const address = (i: number): string => `case-${i}.invalid:9`;
const jobName = (i: number): string => `case-${i}`;

/**
 * Our relabelling of a case as Prometheus runs it on a target (scrape/target.go PopulateLabels):
 * job, scheme, metrics path and intervals are added unless present before relabelling; afterwards
 * `instance` defaults to the address and the API hides every `__`-prefixed label.
 */
function expectedOutcome(c: RelabelCase, i: number, rules: readonly RuleSpec[]): Outcome {
  const input: Record<string, string> = {
    job: jobName(i),
    __scheme__: "http",
    __metrics_path__: "/metrics",
    __scrape_interval__: SCRAPE_INTERVAL,
    __scrape_timeout__: SCRAPE_TIMEOUT,
    ...c.input,
    __address__: address(i),
  };
  const out = relabel(Labels.fromRecord(input), compileRelabel(rules.map(toConfig)));
  if (out === undefined) return "dropped";
  const shown: Record<string, string> = {};
  for (const { name, value } of out) if (!name.startsWith("__")) shown[name] = value;
  shown.instance ??= out.get("__address__");
  return shown;
}

test("relabelling agrees with Prometheus 2.42 on every table case", { timeout: 120_000 }, async (t) => {
  if (!requirePeer(t, "prometheus", "prometheus")) return;
  const config = {
    global: { scrape_interval: SCRAPE_INTERVAL, scrape_timeout: SCRAPE_TIMEOUT },
    scrape_configs: CASES.map((c, i) => ({
      job_name: jobName(i),
      static_configs: [{ targets: [address(i)], labels: c.input }],
      relabel_configs: c.rules,
    })),
  };
  const prom = withPeer(t, await startPrometheus({ config }));
  await runWithPeerLog(prom, async () => {
    const outcomes = await prom.waitFor(
      async () => {
        const data = await prom.api<TargetsData>("/api/v1/targets", { state: "any" });
        const seen = new Map<string, Outcome>();
        for (const d of data.droppedTargets) seen.set(d.discoveredLabels.__address__ ?? "", "dropped");
        for (const a of data.activeTargets) seen.set(a.discoveredLabels.__address__ ?? "", a.labels);
        return CASES.every((_, i) => seen.has(address(i))) && seen;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: "every case's target in /api/v1/targets" },
    );
    const mismatches: string[] = [];
    CASES.forEach((c, i) => {
      const theirs = normalize(outcomes.get(address(i)) as Outcome);
      const ours = normalize(expectedOutcome(c, i, c.rules));
      const as242 = normalize(expectedOutcome(c, i, c.rules.map(withoutDotNewline)));
      if (!isDeepStrictEqual(as242, theirs)) {
        mismatches.push(`${c.name}: ours ${JSON.stringify(as242)}, prometheus ${JSON.stringify(theirs)}`);
      }
      // Only the cases marked as depending on `.` and newlines may differ from 2.42.
      if (!isDeepStrictEqual(ours, as242) !== (c.dotMatchesNewline === true)) {
        mismatches.push(`${c.name}: dotMatchesNewline mark is wrong (with (?s) ${JSON.stringify(ours)})`);
      }
    });
    assert.deepEqual(mismatches, []);
  });
});

// Prometheus 2.x anchors relabel regexes as ^(?:re)$ where 3.x uses ^(?s:re)$; clearing the flag
// around each regex makes ours run as 2.x runs.
function withoutDotNewline(rule: RuleSpec): RuleSpec {
  return { ...rule, regex: `(?-s:${rule.regex ?? "(.*)"})` };
}

function normalize(o: Outcome): Outcome {
  return o === "dropped" ? o : Labels.fromRecord(o).toRecord();
}
