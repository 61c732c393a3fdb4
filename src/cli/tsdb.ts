import { randomBytes } from "node:crypto";
import { Command, InvalidArgumentError, Option } from "commander";
import { parseDuration } from "../model/index.js";
import { UlidGenerator } from "../tsdb/index.js";
import {
  DUMP_ALL_SERIES,
  analyzeBlock,
  backfillOpenMetrics,
  dumpSamples,
  listBlocks,
  streamSink,
  type TextSink,
} from "../tsdb/cli/index.js";

const DEFAULT_DB_PATH = "data/";
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * `meridian tsdb`: promtool 2.42's `tsdb` tools with its flags, output and messages. Failures print
 * promtool's message on stderr and exit with 1; so do flag errors, as promtool's (kingpin) do.
 */
export function tsdbCommand(result: { code: number }): Command {
  const cmd = new Command("tsdb").description("inspect TSDB data directories and create blocks (promtool's tsdb commands)");

  cmd
    .command("list")
    .description("List tsdb blocks.")
    .option("-r, --human-readable", "print human readable values", false)
    .argument("[db path]", "database path", DEFAULT_DB_PATH)
    .action((dataDir: string, flags: { humanReadable: boolean }) =>
      run(result, (out) => listBlocks({ dataDir, humanReadable: flags.humanReadable, out })),
    );

  cmd
    .command("dump")
    .description("Dump samples from the blocks of a TSDB. The head (WAL) is not read yet: samples not yet in a block are not shown.")
    .addOption(new Option("--min-time <ms>", "minimum timestamp to dump").argParser(parseInt64).default(Number(INT64_MIN), String(INT64_MIN)))
    .addOption(new Option("--max-time <ms>", "maximum timestamp to dump").argParser(parseInt64).default(Number(INT64_MAX), String(INT64_MAX)))
    .option("--match <selector>", "series selector", DUMP_ALL_SERIES)
    .argument("[db path]", "database path", DEFAULT_DB_PATH)
    .action((dataDir: string, flags: { minTime: number; maxTime: number; match: string }) =>
      run(result, (out) => dumpSamples({ dataDir, mint: flags.minTime, maxt: flags.maxTime, selector: flags.match, out })),
    );

  cmd
    .command("analyze")
    .description("Analyze churn, label pair cardinality and compaction efficiency.")
    .option("--limit <n>", "how many items to show in each list", parseInt64, 20)
    .option("--extended", "run extended analysis", false)
    .argument("[db path]", "database path", DEFAULT_DB_PATH)
    .argument("[block id]", "block to analyze (default is the last block)")
    .action((dataDir: string, blockId: string | undefined, flags: { limit: number; extended: boolean }) =>
      run(result, (out) => analyzeBlock({ dataDir, ...(blockId === undefined ? {} : { blockId }), limit: flags.limit, extended: flags.extended, out })),
    );

  cmd
    .command("create-blocks-from")
    .description("Create blocks of data from other sources.")
    .command("openmetrics")
    .description("Import samples from OpenMetrics input and produce TSDB blocks.")
    .option("-r, --human-readable", "print human readable values", false)
    .option("-q, --quiet", "do not print created blocks", false)
    .option("--max-block-duration <duration>", "maximum duration created blocks may span; anything less than 2h is ignored", checkDuration)
    .argument("<input file>", "OpenMetrics file to read samples from")
    .argument("[output directory]", "output directory for generated blocks", DEFAULT_DB_PATH)
    .action((inputFile: string, outputDir: string, flags: { humanReadable: boolean; quiet: boolean; maxBlockDuration?: number }) =>
      run(result, (out) =>
        backfillOpenMetrics({
          inputFile,
          outputDir,
          humanReadable: flags.humanReadable,
          quiet: flags.quiet,
          ...(flags.maxBlockDuration === undefined ? {} : { maxBlockDurationMs: flags.maxBlockDuration }),
          ulids: new UlidGenerator({ now: () => Date.now(), random: (n) => randomBytes(n) }),
          out,
        }),
      ),
    );
  return cmd;
}

async function run(result: { code: number }, task: (out: TextSink) => Promise<void>): Promise<void> {
  try {
    await task(streamSink(process.stdout));
    result.code = 0;
  } catch (err) {
    // A reader that went away (`| head`) ends the output, as SIGPIPE ends promtool.
    if ((err as NodeJS.ErrnoException).code !== "EPIPE") process.stderr.write(`${(err as Error).message}\n`);
    result.code = 1;
  }
}

// kingpin's int64 flags: strconv.ParseInt's syntax and messages.
function parseInt64(value: string): number {
  if (!/^[+-]?[0-9]+$/.test(value)) throw new InvalidArgumentError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  const n = BigInt(value);
  if (n < INT64_MIN || n > INT64_MAX) throw new InvalidArgumentError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`);
  return Number(n);
}

function checkDuration(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}
