import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";

/**
 * The shared golden TSDB fixtures (`conformance/tsdb-fixtures`), read in place and never copied
 * into the repository. Looked up as $MERIDIAN_SHARED, then `<repo>/../shared`, then `/work/shared`.
 * When absent the test is skipped with a message, except in CI (`CI=true`), where it fails.
 */
export function tsdbFixturesDir(t: TestContext): string | undefined {
  // Compiled tests run from dist/src/tsdb/testing; the repository root is four levels up.
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
  const candidates = [process.env.MERIDIAN_SHARED, join(repo, "..", "shared"), "/work/shared"];
  for (const c of candidates) {
    if (c === undefined || c === "") continue;
    const dir = join(c, "conformance", "tsdb-fixtures");
    if (existsSync(dir)) return dir;
  }
  const message = "shared TSDB fixtures not found (set MERIDIAN_SHARED to the shared directory)";
  if (process.env.CI === "true") throw new Error(message);
  t.skip(message);
  return undefined;
}
