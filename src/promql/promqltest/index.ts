export { parseScript, ScriptParseError } from "./parse-script.js";
export { STALE } from "./script.js";
export type {
  ClearCommand, Command, EvalCommand, Expectations, ExpectedSeries, HistogramText, LoadCommand, LoadSeries, Script,
  SequenceValue, StaleMarker, TextExpectation,
} from "./script.js";
export { SeriesDescriptionError, parsePromNumber, parseSeriesDescription, parseValueSequence } from "./series-description.js";
export { DEFAULT_EPSILON, almostEqual, checkAnnotations, checkFailure, compareResult } from "./compare.js";
export { SKIP_REASONS } from "./skips.js";
export type { SkipReason } from "./skips.js";
export { TEST_ENGINE_OPTIONS, runScript } from "./run-script.js";
export type { EvalOutcome, ExtraCheckOutcome, QueryEngine, RunOptions, ScriptReport } from "./run-script.js";
export { formatReport, summarize, total } from "./report.js";
export type { FormatOptions, ReportSummary } from "./report.js";
