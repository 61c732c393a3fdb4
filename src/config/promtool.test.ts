import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parsePrometheusConfig } from "./index.js";
import { CONFIG_CASES } from "./testing-cases.js";

const PROMTOOL = "/usr/bin/promtool";
const MISSING = "promtool not found: install the Debian package prometheus (apt-get install prometheus)";
const available = existsSync(PROMTOOL);

function accepts(text: string): boolean {
  try {
    parsePrometheusConfig(text);
    return true;
  } catch {
    return false;
  }
}

test("Meridian accepts a config exactly when promtool check config does", { skip: !available && process.env.CI !== "true" ? MISSING : false }, async () => {
  assert.ok(available, MISSING);
  const cases = CONFIG_CASES.filter((c) => c.promtool === true);
  assert.ok(cases.length >= 15, `only ${cases.length} cross-checked cases`);
  const dir = await mkdtemp(join(tmpdir(), "meridian-promtool-"));
  try {
    for (const [i, c] of cases.entries()) {
      const text = c.lines.join("\n") + "\n";
      const file = join(dir, `case-${i}.yml`);
      await writeFile(file, text);
      const r = spawnSync(PROMTOOL, ["check", "config", file], { encoding: "utf8" });
      const promtoolAccepts = r.status === 0;
      assert.equal(accepts(text), promtoolAccepts, `${c.name}: promtool says ${`${r.stdout}${r.stderr}`.trim()}`);
      assert.equal(promtoolAccepts, c.error === undefined, `${c.name}: the case table disagrees with promtool`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
