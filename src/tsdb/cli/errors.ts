import { MeridianError } from "../../model/index.js";

/**
 * A `meridian tsdb` command failed. The message is worded as promtool 2.42 words the same failure
 * (`opening the db dir: stat data: no such file or directory`), since scripts match on it; the CLI
 * prints it and exits with 1.
 */
export class TsdbToolError extends MeridianError {
  constructor(message: string, options?: ErrorOptions) {
    super("tsdb_tool", message, options);
  }
}

/** Prefixes a failure with what was being done, as Go's `fmt.Errorf("%s: %w")` chains do. */
export function wrapToolError(context: string, err: unknown): TsdbToolError {
  return new TsdbToolError(`${context}: ${(err as Error).message}`, { cause: err });
}
