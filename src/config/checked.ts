/**
 * Lets validation code throw at the first problem, as Prometheus's Validate methods return at
 * the first error, while zod still learns the path so the error can name the field's line.
 */
import { z } from "zod";

/** A validation failure at `path`, relative to the value being checked. */
export class FieldError extends Error {
  readonly path: readonly (string | number)[];

  constructor(message: string, path: readonly (string | number)[] = []) {
    super(message);
    this.path = path;
  }
}

/** Throws a `FieldError`; reads as a statement where Go would `return fmt.Errorf(...)`. */
export function fail(message: string, path: readonly (string | number)[] = []): never {
  throw new FieldError(message, path);
}

/** Wraps a validating builder as a zod transform that turns a `FieldError` into an issue. */
export function checked<I, O>(build: (raw: I) => O): (raw: I, ctx: z.RefinementCtx) => O {
  return (raw, ctx) => {
    try {
      return build(raw);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message, path: [...err.path] });
      return z.NEVER;
    }
  };
}

/** Runs `check` and moves any `FieldError` it throws under `prefix`, for checks of a nested value. */
export function within<T>(prefix: readonly (string | number)[], check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof FieldError) throw new FieldError(err.message, [...prefix, ...err.path]);
    throw err;
  }
}
