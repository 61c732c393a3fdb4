#!/usr/bin/env node
// Writes dist/build-info.json with the git revision and branch, read by `meridian --version`
// and exposed as meridian_build_info. Outside a git checkout both are "unknown".
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";

function git(...args) {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

mkdirSync("dist", { recursive: true });
writeFileSync(
  "dist/build-info.json",
  JSON.stringify({ revision: git("rev-parse", "HEAD"), branch: git("rev-parse", "--abbrev-ref", "HEAD") }) + "\n",
);
