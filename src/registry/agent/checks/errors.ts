import { BadRequestError } from "../../errors.js";

/** A check definition this agent refuses to run (HTTP 400 at the API edge, code `bad_request`). */
export class InvalidCheckError extends BadRequestError {
  /** The check's ID as given, so the caller can name it; may be empty. */
  readonly checkID: string;

  constructor(checkID: string, message: string) {
    super(message);
    this.checkID = checkID;
  }
}
