import { checkType } from "./check-type.js";
import { grpcProbe } from "./grpc-check.js";
import { httpProbe } from "./http-check.js";
import { IntervalCheck, type Probe } from "./interval-check.js";
import { tcpProbe } from "./tcp-check.js";
import { TtlCheck } from "./ttl-check.js";
import type { CheckDefinition, CheckRunner, CheckRunnerDeps } from "./types.js";

/** Consul refuses to run a check more often than this; shorter intervals are raised to it. */
export const MIN_INTERVAL_MS = 1000;
/** Bound of a run when the definition sets no positive Timeout. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Builds the runner of a check definition, not yet started; throws `InvalidCheckError` for
 * definitions `checkType` refuses. TTL checks come back as a `TtlCheck` to be fed by the agent.
 */
export function createCheckRunner(def: CheckDefinition, deps: CheckRunnerDeps): CheckRunner {
  const type = checkType(def);
  if (type === "ttl") return new TtlCheck(def, deps);

  let probe: Probe;
  switch (type) {
    case "http":
      probe = httpProbe(def, deps.fetch);
      break;
    case "tcp":
      probe = tcpProbe(def);
      break;
    case "grpc":
      probe = grpcProbe(def);
      break;
  }
  let intervalMs = def.IntervalMs ?? 0;
  if (intervalMs < MIN_INTERVAL_MS) {
    deps.logger.warn({ check: def.CheckID, intervalMs, minimumMs: MIN_INTERVAL_MS }, "check interval below minimum, raised");
    intervalMs = MIN_INTERVAL_MS;
  }
  return new IntervalCheck(
    {
      type,
      checkID: def.CheckID,
      initialStatus: def.Status ?? "critical",
      intervalMs,
      timeoutMs: def.TimeoutMs !== undefined && def.TimeoutMs > 0 ? def.TimeoutMs : DEFAULT_TIMEOUT_MS,
      thresholds: {
        successBeforePassing: def.SuccessBeforePassing,
        failuresBeforeWarning: def.FailuresBeforeWarning,
        failuresBeforeCritical: def.FailuresBeforeCritical,
      },
    },
    probe,
    deps,
  );
}
