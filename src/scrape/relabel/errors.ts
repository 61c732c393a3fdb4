import { MeridianError } from "../../model/index.js";

/** Raised by `compileRelabel` when a rule cannot run as Prometheus would run it. */
export class RelabelConfigError extends MeridianError {
  /** Zero-based position of the offending rule in the list given to `compileRelabel`. */
  readonly ruleIndex: number;

  constructor(ruleIndex: number, reason: string, options?: ErrorOptions) {
    super("invalid_relabel_config", `relabel rule ${ruleIndex}: ${reason}`, options);
    this.ruleIndex = ruleIndex;
  }
}
