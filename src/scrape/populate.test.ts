import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { LabelSet } from "../discovery/index.js";
import type { ScrapeJob } from "./job.js";
import { populateTargetLabels } from "./populate.js";
import { compileRelabel } from "./relabel/index.js";
import { toConfig, type RuleSpec } from "./relabel/testdata/cases.js";
import { testJob } from "./testing-targets.js";

// The labels every active target of the default test job carries unless a case overrides them.
const DEFAULTS = {
  __metrics_path__: "/metrics",
  __scheme__: "http",
  __scrape_interval__: "15s",
  __scrape_timeout__: "10s",
  job: "test",
};

interface Case {
  readonly name: string;
  readonly discovered: LabelSet;
  readonly job?: Partial<ScrapeJob>;
  readonly rules?: readonly RuleSpec[];
  readonly want: Readonly<Record<string, string>> | "dropped" | { readonly error: string | RegExp };
}

const CASES: readonly Case[] = [
  {
    name: "adds the job's defaults and instance",
    discovered: { __address__: "node:9100" },
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100" },
  },
  {
    name: "keeps what discovery set over the defaults",
    discovered: { __address__: "node:9100", job: "other", __metrics_path__: "/m", __scheme__: "https", __scrape_interval__: "30s" },
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100", job: "other", __metrics_path__: "/m", __scheme__: "https", __scrape_interval__: "30s" },
  },
  {
    name: "an empty discovered value counts as unset",
    discovered: { __address__: "node:9100", job: "" },
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100" },
  },
  {
    name: "adds __param_ labels from the job's first values, over discovered ones",
    discovered: { __address__: "node:9100", __param_module: "discovered", __param_other: "kept" },
    job: { params: { module: ["first", "second"], empty: [] } },
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100", __param_module: "first", __param_other: "kept" },
  },
  {
    name: "relabeling can drop the target",
    discovered: { __address__: "node:9100" },
    rules: [{ source_labels: ["__address__"], regex: "node:.*", action: "drop" }],
    want: "dropped",
  },
  {
    name: "relabeling sees the defaults",
    discovered: { __address__: "node:9100" },
    rules: [{ source_labels: ["job", "__scheme__"], separator: "-", target_label: "seen" }],
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100", seen: "test-http" },
  },
  { name: "no address at all", discovered: { job: "x" }, want: { error: "no address" } },
  {
    name: "address removed by relabeling",
    discovered: { __address__: "node:9100" },
    rules: [{ regex: "__address__", action: "labeldrop" }],
    want: { error: "no address" },
  },
  {
    name: "adds port 80 for http",
    discovered: { __address__: "node" },
    want: { ...DEFAULTS, __address__: "node:80", instance: "node:80" },
  },
  {
    name: "adds port 443 for https",
    discovered: { __address__: "node", __scheme__: "https" },
    want: { ...DEFAULTS, __address__: "node:443", instance: "node:443", __scheme__: "https" },
  },
  {
    name: "adds a port to a bracketed IPv6 address",
    discovered: { __address__: "[::1]" },
    want: { ...DEFAULTS, __address__: "[::1]:80", instance: "[::1]:80" },
  },
  {
    name: "keeps a bracketed IPv6 address with its port",
    discovered: { __address__: "[::1]:9" },
    want: { ...DEFAULTS, __address__: "[::1]:9", instance: "[::1]:9" },
  },
  {
    // Go's SplitHostPort fails on it with or without ":1234", so Prometheus leaves it alone.
    name: "leaves a bare IPv6 address without a port",
    discovered: { __address__: "::1" },
    want: { ...DEFAULTS, __address__: "::1", instance: "::1" },
  },
  {
    name: "an unknown scheme on an address without port",
    discovered: { __address__: "node" },
    rules: [{ target_label: "__scheme__", replacement: "ftp" }],
    want: { error: 'invalid scheme: "http"' },
  },
  {
    name: "a path in the address",
    discovered: { __address__: "node:9100/metrics" },
    want: { error: '"node:9100/metrics" is not a valid hostname' },
  },
  {
    name: "a path in an address without port is checked after the port is added",
    discovered: { __address__: "node/x" },
    want: { error: '"node/x:80" is not a valid hostname' },
  },
  {
    name: "__scrape_interval__ set by relabeling",
    discovered: { __address__: "node:9100" },
    rules: [{ target_label: "__scrape_interval__", replacement: "1m" }],
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100", __scrape_interval__: "1m" },
  },
  {
    name: "__scrape_timeout__ lowered by discovery",
    discovered: { __address__: "node:9100", __scrape_timeout__: "2s" },
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100", __scrape_timeout__: "2s" },
  },
  {
    name: "an interval below the timeout",
    discovered: { __address__: "node:9100", __scrape_interval__: "5s" },
    want: { error: 'scrape timeout cannot be greater than scrape interval ("10s" > "5s")' },
  },
  {
    name: "a timeout above the interval",
    discovered: { __address__: "node:9100", __scrape_timeout__: "20s" },
    want: { error: 'scrape timeout cannot be greater than scrape interval ("20s" > "15s")' },
  },
  {
    name: "an unparsable interval",
    discovered: { __address__: "node:9100", __scrape_interval__: "soon" },
    want: { error: /^error parsing scrape interval: .*soon/ },
  },
  {
    name: "an unparsable timeout",
    discovered: { __address__: "node:9100", __scrape_timeout__: "1x" },
    want: { error: /^error parsing scrape timeout: .*1x/ },
  },
  { name: "a zero interval", discovered: { __address__: "node:9100", __scrape_interval__: "0s" }, want: { error: "scrape interval cannot be 0" } },
  { name: "a zero timeout", discovered: { __address__: "node:9100", __scrape_timeout__: "0s" }, want: { error: "scrape timeout cannot be 0" } },
  {
    name: "__meta_ labels are usable by relabeling and removed afterwards",
    discovered: { __address__: "node:9100", __meta_zone: "eu", __meta_bad: "\ud800" },
    rules: [{ source_labels: ["__meta_zone"], target_label: "zone" }],
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100", zone: "eu" },
  },
  {
    name: "other __ labels stay for the target to read",
    discovered: { __address__: "node:9100", __tmp_x: "y" },
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node:9100", __tmp_x: "y" },
  },
  {
    name: "an instance set by discovery is kept",
    discovered: { __address__: "node:9100", instance: "node-a" },
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node-a" },
  },
  {
    name: "an instance set by relabeling is kept",
    discovered: { __address__: "node:9100" },
    rules: [{ source_labels: ["__address__"], regex: "(.*):.*", target_label: "instance" }],
    want: { ...DEFAULTS, __address__: "node:9100", instance: "node" },
  },
  {
    name: "a label value that is not valid UTF-8",
    discovered: { __address__: "node:9100", team: "a\ud800" },
    want: { error: /^invalid label value for "team": / },
  },
];

function isError(want: Case["want"]): want is { readonly error: string | RegExp } {
  // No label case uses a label named "error", so its presence alone marks an error case.
  return typeof want === "object" && "error" in want && Object.keys(want).length === 1;
}

describe("populateTargetLabels", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const job = testJob(c.job);
      const got = populateTargetLabels(c.discovered, job, compileRelabel((c.rules ?? []).map(toConfig)));
      if (c.want === "dropped") {
        assert.equal(got.kind, "dropped");
      } else if (isError(c.want)) {
        assert.equal(got.kind, "error", `want an error, got ${JSON.stringify(got.kind === "active" ? got.labels.toRecord() : got.kind)}`);
        if (got.kind !== "error") return;
        if (typeof c.want.error === "string") assert.equal(got.error, c.want.error);
        else assert.match(got.error, c.want.error);
      } else {
        assert.equal(got.kind, "active", got.kind === "error" ? got.error : got.kind);
        if (got.kind === "active") assert.deepEqual(got.labels.toRecord(), c.want);
      }
    });
  }

  test("discovered labels are the input plus defaults, before relabeling", () => {
    const rules = compileRelabel([toConfig({ target_label: "added", replacement: "x" })]);
    const got = populateTargetLabels({ __address__: "node:9100", __meta_a: "b" }, testJob({ params: { m: ["v"] } }), rules);
    assert.equal(got.kind, "active");
    assert.deepEqual(got.discovered.toRecord(), { ...DEFAULTS, __address__: "node:9100", __meta_a: "b", __param_m: "v" });
  });

  test("does not modify the discovered label set", () => {
    const discovered = { __address__: "node" };
    populateTargetLabels(discovered, testJob(), []);
    assert.deepEqual(discovered, { __address__: "node" });
  });
});
