import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { findBinary } from "../peers/index.js";

const run = promisify(execFile);

/**
 * Builds one of the Go programs under `test/e2e/<name>` (sources are read from the repository,
 * not from dist/) and returns the binary's path, or undefined after skipping the test when `go`
 * is absent outside CI. Go's build cache makes the second build of a run quick.
 */
export async function buildGoProgram(t: TestContext, name: string): Promise<string | undefined> {
  const go = findBinary("go");
  if (!go) {
    const message = "go not found: install Go (https://go.dev/dl or the Debian package golang) to run this interop test";
    if (process.env.CI === "true") throw new Error(message);
    t.skip(message);
    return undefined;
  }
  const source = fileURLToPath(new URL(`../../../test/e2e/${name}/`, import.meta.url));
  const outDir = join(tmpdir(), "meridian-go-bin");
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, name);
  await run(go, ["build", "-mod=mod", "-o", out, "."], { cwd: source, env: { ...process.env, GOFLAGS: "-mod=mod" }, timeout: 600_000 });
  return out;
}
