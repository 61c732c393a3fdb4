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
