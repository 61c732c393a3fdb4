import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { PromQLParseError } from "../errors.js";
import { parseExpr } from "./index.js";

// Every query of the upstream PromQL test scripts must parse, unless the script expects it to
// fail or it uses a feature Meridian refuses on purpose.
const UNSUPPORTED = [
  "experimental duration expression is not enabled",
  "anchored modifier is experimental and not enabled",
  "smoothed modifier is experimental and not enabled",
  "binop fill modifiers are experimental and not enabled",
  'function "info" is experimental and not supported',
  "operator (native histogram trimming) is not supported",
];

const INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;

function sharedDir(): string | undefined {
  const repo = fileURLToPath(new URL("../../../../../", import.meta.url));
  const candidates = [process.env["MERIDIAN_SHARED"], join(repo, "..", "shared"), "/work/shared"];
  return candidates.find((d): d is string => d !== undefined && d !== "" && existsSync(join(d, "conformance", "promql", "testdata")));
}

interface Eval {
  readonly where: string;
  readonly query: string;
  readonly expectFail: boolean;
}

function evals(dir: string): Eval[] {
  const out: Eval[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".test")).sort()) {
    const lines = readFileSync(join(dir, file), "utf8").split("\n");
    lines.forEach((raw, i) => {
      const line = raw.trim();
      if (!line.startsWith("eval")) return;
      const m = INSTANT.exec(line) ?? RANGE.exec(line);
      assert.ok(m !== null, `${file}:${i + 1}: unreadable eval line`);
      let expectFail = m[1] === "fail";
      for (let j = i + 1; j < lines.length && (lines[j] as string).trim() !== ""; j++) {
        if (/^\s*expect fail/.test(lines[j] as string)) expectFail = true;
      }
      out.push({ where: `${file}:${i + 1}`, query: m[m.length - 1] as string, expectFail });
    });
  }
  return out;
}

const shared = sharedDir();

describe("conformance queries", { skip: shared === undefined ? "shared conformance folder not found" : false }, () => {
  it("parse, or fail only for expected failures and unsupported features", () => {
    const all = evals(join(shared as string, "conformance", "promql", "testdata"));
    assert.ok(all.length > 2000, `only ${all.length} eval commands found`);
    const wrong: string[] = [];
    for (const e of all) {
      try {
        parseExpr(e.query, { enableExperimentalFunctions: true });
      } catch (err) {
        assert.ok(err instanceof PromQLParseError, `${e.where}: ${String(err)}`);
        if (!e.expectFail && !UNSUPPORTED.some((u) => err.reason.includes(u))) wrong.push(`${e.where}: ${e.query}: ${err.message}`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
