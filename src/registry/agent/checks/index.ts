export { checkType } from "./check-type.js";
export { createCheckRunner, DEFAULT_TIMEOUT_MS, MIN_INTERVAL_MS } from "./create.js";
export { InvalidCheckError } from "./errors.js";
export { DEFAULT_OUTPUT_MAX_SIZE } from "./output.js";
export { ManualScheduler, systemScheduler } from "./scheduler.js";
export type { Scheduler, TimerHandle } from "./scheduler.js";
export { TtlCheck } from "./ttl-check.js";
export type { CheckDefinition, CheckRunner, CheckRunnerDeps, CheckStatus, CheckType, CheckUpdate } from "./types.js";
