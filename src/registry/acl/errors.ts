import { MeridianError } from "../../model/index.js";
import { BadRequestError } from "../errors.js";

/** ACL rules that do not parse or name an unknown resource or policy; answered with 400. */
export class AclRulesError extends BadRequestError {
  /** 1-based line of the problem, or 0 when the input gives no position (JSON semantics). */
  readonly line: number;
  /** 1-based column of the problem, or 0 when unknown. */
  readonly column: number;

  constructor(reason: string, line = 0, column = 0) {
    // Consul reports HCL problems as "At line:col: reason"; tools that grep for it keep working.
    super(`Failed to parse ACL rules: ${line > 0 ? `At ${line}:${column}: ` : ""}${reason}`);
    this.line = line;
    this.column = column;
  }
}

/** Saved ACL state cannot be read back; refusing to start beats silently forgetting tokens. */
export class AclStateCorruptError extends MeridianError {
  /** `what` names the broken part, e.g. `file /data/acl.json` or `policy <id>`. */
  constructor(what: string, reason: string, options?: ErrorOptions) {
    super("acl_state_corrupt", `ACL state ${what} is unreadable: ${reason}`, options);
  }
}
