import { MeridianError } from "../../model/index.js";

/**
 * A TTL update for a check that is not a TTL check. Consul answers it with 500 and this text,
 * so the code is deliberately not one of the 4xx codes `consulError` maps.
 */
export class CheckNotTtlError extends MeridianError {
  constructor(checkID: string) {
    super("check_not_ttl", `CheckID ${JSON.stringify(checkID)} does not have associated TTL`);
  }
}

/** A config-dir file that cannot be loaded; the message names the file and the field. */
export class AgentConfigError extends MeridianError {
  constructor(message: string, options?: ErrorOptions) {
    super("agent_config", message, options);
  }
}
