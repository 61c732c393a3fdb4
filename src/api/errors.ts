/**
 * Errors of the Prometheus HTTP API v1 and their one mapping from Meridian's typed errors, so
 * every handler answers failures in Prometheus's shape: `{"status":"error","errorType":…,"error":…}`.
 */
import { MeridianError } from "../model/index.js";
import { StorageClosedError } from "../storage/index.js";

/** Prometheus's `errorType` values. */
export type ApiErrorType = "bad_data" | "execution" | "internal" | "timeout" | "canceled" | "unavailable" | "not_found";

// HTTP status per error type, as Prometheus's respondError sets it.
const STATUS: Readonly<Record<ApiErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  unavailable: 503,
  internal: 500,
  not_found: 404,
};

/** An API failure with Prometheus's error type; `message` is sent verbatim as `error`. */
export class ApiError extends MeridianError {
  /** Prometheus's `errorType`. */
  readonly errorType: ApiErrorType;

  constructor(errorType: ApiErrorType, message: string, options?: ErrorOptions) {
    super(`api_${errorType}`, message, options);
    this.errorType = errorType;
  }

  /** The HTTP status Prometheus answers this error type with. */
  get status(): number {
    return STATUS[this.errorType];
  }
}

/** A bad parameter, worded as Prometheus's invalidParamError: `invalid parameter "start": …`. */
export function invalidParamError(parameter: string, cause: Error | string): ApiError {
  const reason = typeof cause === "string" ? cause : cause.message;
  return new ApiError("bad_data", `invalid parameter ${JSON.stringify(parameter)}: ${reason}`, { cause });
}

/**
 * Maps any thrown value to an ApiError: API errors pass through, a closed storage is
 * `unavailable` (as Prometheus's TSDB-not-ready), and anything else failed while executing.
 */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StorageClosedError) return new ApiError("unavailable", err.message, { cause: err });
  if (err instanceof Error) return new ApiError("execution", err.message, { cause: err });
  return new ApiError("internal", String(err));
}
