import { MeridianError } from "../model/index.js";

/** A request the Consul API refuses with 400 and a plain-text reason, the catalog unchanged. */
export class BadRequestError extends MeridianError {
  constructor(message: string) {
    super("bad_request", message);
  }
}

/** A request for something that does not exist (404 in Consul's API). */
export class NotFoundError extends MeridianError {
  constructor(message: string) {
    super("not_found", message);
  }
}

/** A request the ACL system denies (403 "Permission denied"). */
export class PermissionDeniedError extends MeridianError {
  constructor(message = "Permission denied") {
    super("permission_denied", message);
  }
}
