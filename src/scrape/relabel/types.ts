/** Relabeling actions, as Prometheus names them in configuration. */
export type RelabelAction =
  | "replace"
  | "keep"
  | "drop"
  | "keepequal"
  | "dropequal"
  | "hashmod"
  | "labelmap"
  | "labeldrop"
  | "labelkeep"
  | "lowercase"
  | "uppercase";

/**
 * One `relabel_configs` / `metric_relabel_configs` entry after defaults were applied (Prometheus's
 * defaults: separator ";", regex "(.*)", replacement "$1", action "replace").
 */
export interface RelabelConfig {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  /** The regex as written; matching anchors it fully, as Prometheus does. */
  readonly regex: string;
  readonly modulus?: number;
  readonly targetLabel?: string;
  readonly replacement: string;
  readonly action: RelabelAction;
}
