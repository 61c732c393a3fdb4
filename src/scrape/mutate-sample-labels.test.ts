import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Labels } from "../model/index.js";
import { mutateSampleLabels } from "./loop.js";
import { compileRelabel } from "./relabel/index.js";
import { toConfig, type RuleSpec } from "./relabel/testdata/cases.js";

interface Case {
  readonly name: string;
  readonly exposed: Readonly<Record<string, string>>;
  readonly target: Readonly<Record<string, string>>;
  readonly honor: boolean;
  readonly rules?: readonly RuleSpec[];
  readonly want: Readonly<Record<string, string>> | "dropped";
}

const TARGET = { job: "node", instance: "h:9100" };

const CASES: readonly Case[] = [
  {
    name: "target labels are added to a sample without them",
    exposed: { __name__: "m", a: "1" },
    target: TARGET,
    honor: false,
    want: { __name__: "m", a: "1", job: "node", instance: "h:9100" },
  },
  {
    name: "honor_labels: exposed labels win",
    exposed: { __name__: "m", job: "pushed", a: "1" },
    target: TARGET,
    honor: true,
    want: { __name__: "m", a: "1", job: "pushed", instance: "h:9100" },
  },
  {
    name: "honor_labels: target labels fill what is missing",
    exposed: { __name__: "m" },
    target: TARGET,
    honor: true,
    want: { __name__: "m", job: "node", instance: "h:9100" },
  },
  {
    name: "without honor_labels a clash keeps the exposed value as exported_",
    exposed: { __name__: "m", job: "pushed", instance: "other" },
    target: TARGET,
    honor: false,
    want: { __name__: "m", job: "node", instance: "h:9100", exported_job: "pushed", exported_instance: "other" },
  },
  {
    name: "an exposed exported_ label forces a second prefix",
    exposed: { __name__: "m", job: "pushed", exported_job: "already" },
    target: TARGET,
    honor: false,
    want: { __name__: "m", job: "node", instance: "h:9100", exported_job: "already", exported_exported_job: "pushed" },
  },
  {
    // Shorter names are resolved first, so `job` takes exported_exported_job before
    // `exported_job` looks for a free name.
    name: "clashes on job and exported_job against a target with both",
    exposed: { __name__: "m", job: "pushed", exported_job: "exp" },
    target: { ...TARGET, exported_job: "target-exp" },
    honor: false,
    want: {
      __name__: "m",
      job: "node",
      instance: "h:9100",
      exported_job: "target-exp",
      exported_exported_job: "pushed",
      exported_exported_exported_job: "exp",
    },
  },
  {
    name: "metric relabeling drops the sample",
    exposed: { __name__: "go_gc_duration_seconds" },
    target: TARGET,
    honor: false,
    rules: [{ source_labels: ["__name__"], regex: "go_.*", action: "drop" }],
    want: "dropped",
  },
  {
    name: "metric relabeling sees the merged labels",
    exposed: { __name__: "m", job: "pushed" },
    target: TARGET,
    honor: false,
    rules: [
      { source_labels: ["exported_job"], target_label: "origin" },
      { regex: "exported_job", action: "labeldrop" },
    ],
    want: { __name__: "m", job: "node", instance: "h:9100", origin: "pushed" },
  },
  {
    name: "metric relabeling keeps by target label",
    exposed: { __name__: "m" },
    target: TARGET,
    honor: true,
    rules: [{ source_labels: ["job"], regex: "other", action: "keep" }],
    want: "dropped",
  },
];

describe("mutateSampleLabels", () => {
  for (const c of CASES) {
    test(c.name, () => {
      const got = mutateSampleLabels(Labels.fromRecord(c.exposed), Labels.fromRecord(c.target), c.honor, compileRelabel((c.rules ?? []).map(toConfig)));
      if (c.want === "dropped") assert.equal(got, undefined);
      else assert.deepEqual(got?.toRecord(), Labels.fromRecord(c.want).toRecord());
    });
  }
});
