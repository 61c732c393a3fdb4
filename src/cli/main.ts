#!/usr/bin/env node
import { CommanderError } from "commander";
import { readBuildInfo } from "../runtime/index.js";
import { buildProgram } from "./program.js";

const result = { code: 0 };
try {
  await buildProgram(readBuildInfo(), result).parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end with code 0; usage errors with 2, as the Go tools do.
    result.code = err.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`meridian: ${(err as Error).message}\n`);
    result.code = 1;
  }
}
process.exitCode = result.code;
// Whatever still holds the event loop after the roles stopped (a stray socket) must not keep the
// process alive past its exit code.
setTimeout(() => process.exit(result.code), 200).unref();
