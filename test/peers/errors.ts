import { MeridianError } from "../../src/model/index.js";

/** Base class of the peer harness' errors; `code` names what went wrong. */
export class PeerError extends MeridianError {}

/** The peer's binary is not installed, and the run is in CI where a skip would hide the gap. */
export class PeerUnavailableError extends PeerError {
  constructor(binary: string, debianPackage: string) {
    super(
      "peer_unavailable",
      `${binary} not found: install the Debian package ${debianPackage} (apt-get install ${debianPackage})`,
    );
  }
}

/** The peer exited or never became ready while starting. */
export class PeerStartError extends PeerError {
  constructor(message: string, options?: ErrorOptions) {
    super("peer_start_failed", message, options);
  }
}

/** A poll (readiness, `waitFor`) ran past its deadline. */
export class PeerTimeoutError extends PeerError {
  constructor(message: string, options?: ErrorOptions) {
    super("peer_timeout", message, options);
  }
}

/** An HTTP call to a peer's API failed or returned an error status. */
export class PeerRequestError extends PeerError {
  constructor(message: string, options?: ErrorOptions) {
    super("peer_request_failed", message, options);
  }
}
