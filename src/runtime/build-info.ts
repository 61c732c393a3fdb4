import { readFileSync } from "node:fs";

/** What `--version` prints and `meridian_build_info` exposes. */
export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly nodeVersion: string;
}

/**
 * Reads the version from package.json and the revision from `build-info.json`, which the build
 * writes next to the compiled code (`scripts/build-info.mjs`); a tree built without git says
 * "unknown".
 */
export function readBuildInfo(): BuildInfo {
  const pkg = readJson(new URL("../../../package.json", import.meta.url)) as { version?: string } | undefined;
  const built = readJson(new URL("../../build-info.json", import.meta.url)) as
    | { revision?: string; branch?: string }
    | undefined;
  return {
    version: pkg?.version ?? "unknown",
    revision: built?.revision ?? "unknown",
    branch: built?.branch ?? "unknown",
    nodeVersion: process.version,
  };
}

function readJson(url: URL): unknown {
  try {
    return JSON.parse(readFileSync(url, "utf8"));
  } catch {
    return undefined;
  }
}
