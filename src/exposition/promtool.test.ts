import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import fc from "fast-check";
import { serialize } from "./index.js";
import { familiesArb } from "./testing-arbitraries.js";

const PROMTOOL = "/usr/bin/promtool";
const MISSING = "promtool not found: install the Debian package prometheus (apt-get install prometheus)";

const available = existsSync(PROMTOOL);

test("promtool check metrics accepts serializer output", { skip: !available && process.env.CI !== "true" ? MISSING : false }, () => {
  assert.ok(available, MISSING);
  // Four batches of 60-100 families with distinct names; each batch is one exposition.
  let families = 0;
  for (let batch = 0; batch < 4; batch++) {
    const [fams] = fc.sample(familiesArb({ format: "prometheus-text-0.0.4", extras: false }, 100, 60), { numRuns: 1, seed: 1000 + batch });
    families += fams?.length ?? 0;
    const text = serialize(fams ?? [], "prometheus-text-0.0.4");
    const r = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" });
    assert.equal(`${r.stdout}${r.stderr}`.trim(), "", text.slice(0, 2000));
    assert.equal(r.status, 0);
  }
  assert.ok(families >= 240);
});
