import { MeridianError } from "../model/index.js";

/** A configuration file could not be read, parsed or validated. */
export class ConfigError extends MeridianError {
  /** Path of the file, when the configuration came from one. */
  readonly file: string | undefined;
  /** 1-based line of the offending field, when known. */
  readonly line: number | undefined;

  constructor(message: string, options: { file?: string; line?: number; cause?: unknown } = {}) {
    const where = [options.file, options.line].filter((x) => x !== undefined).join(":");
    super("invalid_config", where ? `${where}: ${message}` : message, { cause: options.cause });
    this.file = options.file;
    this.line = options.line;
  }
}

/** A service failed to start or stopped on its own with an error. */
export class ServiceError extends MeridianError {
  /** Name of the service. */
  readonly service: string;

  constructor(service: string, message: string, cause?: unknown) {
    super("service_failed", `${service}: ${message}`, { cause });
    this.service = service;
  }
}
