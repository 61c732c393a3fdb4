export { MeridianError } from "./errors.js";
export { Labels, METRIC_NAME, compareStrings } from "./labels.js";
export type { Label } from "./labels.js";
