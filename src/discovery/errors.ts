import { MeridianError } from "../model/index.js";

/** Raised when a discovery configuration cannot work at all (a bad file pattern, no server). */
export class DiscoveryConfigError extends MeridianError {
  constructor(message: string) {
    super("invalid_sd_config", message);
  }
}

/** Raised when a file_sd file is not a valid list of target groups; the file keeps its old groups. */
export class FileSDFormatError extends MeridianError {
  /** The file that was rejected. */
  readonly path: string;

  constructor(path: string, reason: string) {
    super("invalid_file_sd", `${path}: ${reason}`);
    this.path = path;
  }
}
