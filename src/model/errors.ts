/** Base class of every error Meridian raises on purpose; `code` is stable and safe to match on. */
export class MeridianError extends Error {
  /** A stable machine-readable code such as `invalid_label_name`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Raised when a label name or value is not valid under the validation scheme in force. */
export class InvalidLabelError extends MeridianError {
  /** The offending label's name, so callers can point at the field. */
  readonly labelName: string;

  constructor(labelName: string, reason: string) {
    super("invalid_label", `invalid label ${JSON.stringify(labelName)}: ${reason}`);
    this.labelName = labelName;
  }
}

/**
 * Raised when a regular expression is not valid RE2 syntax, or is valid RE2 that cannot be run
 * exactly by JavaScript's RegExp; refusing is safer than matching something else than Prometheus.
 */
export class RegexSyntaxError extends MeridianError {
  /** The whole pattern as given. */
  readonly pattern: string;
  /** UTF-16 offset into `pattern` where the offending construct starts. */
  readonly position: number;
  /** The offending text, such as `(?=` or `\1`. */
  readonly construct: string;

  constructor(pattern: string, position: number, construct: string, reason: string) {
    super(
      "invalid_regex",
      `invalid regex ${JSON.stringify(pattern)} at position ${position} (${JSON.stringify(construct)}): ${reason}`,
    );
    this.pattern = pattern;
    this.position = position;
    this.construct = construct;
  }
}

/** Raised when a duration string is not in Prometheus's duration syntax or is out of range. */
export class DurationParseError extends MeridianError {
  /** The input that failed to parse. */
  readonly input: string;

  constructor(input: string, reason: string) {
    super("invalid_duration", `invalid duration ${JSON.stringify(input)}: ${reason}`);
    this.input = input;
  }
}
