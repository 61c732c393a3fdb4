export { buildProgram, versionText } from "./program.js";
export type { ExitCode } from "./program.js";
export { runUp } from "./up.js";
export type { UpFlags } from "./up.js";
export { UP_DEFAULTS, upConfigSchema } from "./up-config.js";
export type { UpConfig } from "./up-config.js";
