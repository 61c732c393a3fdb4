import { Command, InvalidArgumentError, Option } from "commander";
import { LOG_LEVELS, parseListenAddress, type BuildInfo } from "../runtime/index.js";
import { agentCommand } from "./agent.js";
import { engineCommand } from "./engine.js";
import { registryCommand } from "./registry.js";
import { tsdbCommand } from "./tsdb.js";
import { runUp } from "./up.js";
import { UP_DEFAULTS } from "./up-config.js";

/** What a command resolves with: the process exit code. */
export type ExitCode = number;

/**
 * Builds the `meridian` command line. Each role is one subcommand; actions store their exit code
 * in `result` so `main` can exit with it after the role has stopped.
 */
export function buildProgram(build: BuildInfo, result: { code: ExitCode }): Command {
  const program = new Command("meridian")
    .description("Auto-discovery, metrics, long-term storage, global queries, dashboards and alerting in one program.")
    .version(versionText(build), "--version", "print the version and exit")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("up")
    .description("run every role in one process with embedded defaults")
    .option("--config <file>", "path of meridian.yml (embedded defaults when absent)")
    .option("--data-dir <dir>", `directory for all durable state (default "${UP_DEFAULTS.dataDir}")`)
    .option("--listen <host:port>", `address of the single HTTP listener (default "${UP_DEFAULTS.listen}")`, checkListen)
    .addOption(
      new Option("--log-level <level>", `minimum log level (default "${UP_DEFAULTS.logLevel}")`).choices(LOG_LEVELS),
    )
    .action(async (opts: { config?: string; dataDir?: string; listen?: string; logLevel?: (typeof LOG_LEVELS)[number] }) => {
      result.code = await runUp(opts, build);
    });
  program.addCommand(registryCommand(build, result));
  program.addCommand(agentCommand(build, result));
  program.addCommand(engineCommand(build, result));
  program.addCommand(tsdbCommand(result));
  return program;
}

function checkListen(value: string): string {
  try {
    parseListenAddress(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

/** The `--version` text, in the shape the Prometheus tools print. */
export function versionText(build: BuildInfo): string {
  return [
    `meridian, version ${build.version} (branch: ${build.branch}, revision: ${build.revision})`,
    `  node version:     ${build.nodeVersion}`,
    `  platform:         ${process.platform}/${process.arch}`,
  ].join("\n");
}
