// Prometheus relabelling (`relabel_configs`, `metric_relabel_configs`), as model/relabel does it.
export { compileRelabel } from "./compile.js";
export type { CompiledRelabel } from "./compile.js";
export { relabel } from "./process.js";
export { RelabelConfigError } from "./errors.js";
export type { RelabelAction, RelabelConfig } from "./types.js";
