/**
 * Configuration cases shared by the error-table test and the promtool cross-check: each is a
 * small `prometheus.yml` with what Meridian must say about it.
 */

/** One case: the file, and either the error (line and message) or acceptance. */
export interface ConfigCase {
  readonly name: string;
  readonly lines: readonly string[];
  /** Absent when the file is valid. */
  readonly error?: { readonly line: number; readonly message: RegExp };
  /**
   * Whether promtool 2.42 must agree; a string says why it cannot (a Prometheus 3 rule, or a
   * mechanism Meridian refuses on purpose).
   */
  readonly promtool: true | string;
}

const job = (...rest: string[]): string[] => ["scrape_configs:", "  - job_name: a", ...rest];

/** The cases, valid ones first. */
export const CONFIG_CASES: readonly ConfigCase[] = [
  { name: "minimal static job", lines: job("    static_configs:", "      - targets: [localhost:9090]"), promtool: true },
  { name: "empty file", lines: [], promtool: true },
  { name: "null sections", lines: ["global:", "scrape_configs:", "  - job_name: a", "    static_configs:", "    relabel_configs:", "alerting:"], promtool: true },
  { name: "YAML 1.1 booleans and numeric strings", lines: ["scrape_configs:", "  - job_name: 123", "    honor_labels: yes", "    static_configs:", "      - targets: [a:1]", "        labels: {port: 8080}"], promtool: true },
  { name: "body size with a fraction", lines: job("    body_size_limit: 1.5MB"), promtool: true },
  { name: "hashmod, labelmap and lowercase", lines: job("    relabel_configs:", "      - {source_labels: [a], modulus: 8, target_label: s, action: hashmod}", "      - {action: labelmap, regex: __meta_(.+)}", "      - {source_labels: [a], target_label: b, action: LowerCase}"), promtool: true },
  { name: "keepequal with defaults", lines: job("    relabel_configs:", "      - {action: keepequal, source_labels: [a], target_label: b}"), promtool: true },
  { name: "explicitly empty separator and regex", lines: job("    relabel_configs:", '      - {separator: "", regex: "", target_label: x}'), promtool: true },
  { name: "URL target allowed with relabelling", lines: job("    static_configs:", "      - targets: [http://x/metrics]", "    relabel_configs:", "      - {source_labels: [__address__], regex: 'http://([^/]+)/.*', target_label: __address__}"), promtool: true },
  { name: "remote write and read", lines: ["remote_write:", "  - url: http://w/api/v1/write", "remote_read:", "  - url: http://r/api/v1/read"], promtool: true },
  { name: "keepequal with explicit default regex", lines: job("    relabel_configs:", "      - {action: keepequal, source_labels: [a], target_label: b, regex: (.*)}"), promtool: "Prometheus 2.42 compares the regex by pointer and refuses this; 3.x compares the text" },
  { name: "UTF-8 label names", lines: ["global:", "  external_labels:", "    service.name: x"], promtool: "Prometheus 2.42 only allows legacy label names" },

  { name: "unknown top-level field", lines: ["scrape_config:", "  - job_name: a"], error: { line: 1, message: /field scrape_config not found in type config/ }, promtool: true },
  { name: "unknown field in a job", lines: job("    scrape_intervall: 1s"), error: { line: 3, message: /field scrape_intervall not found/ }, promtool: true },
  { name: "unknown field in a relabel rule", lines: job("    relabel_configs:", "      - target_label: x", "        sorce_labels: [a]"), error: { line: 5, message: /field sorce_labels not found/ }, promtool: true },
  { name: "unknown field in tls_config", lines: job("    tls_config:", "      ca: x", "      insecure: true"), error: { line: 5, message: /field insecure not found/ }, promtool: true },
  { name: "unknown field in consul_sd_configs", lines: job("    consul_sd_configs:", "      - server: c:8500", "        service: [x]"), error: { line: 5, message: /field service not found/ }, promtool: "Debian's promtool is built without consul SD" },
  { name: "bad duration", lines: job("    scrape_interval: 5x"), error: { line: 3, message: /scrape_interval: invalid duration "5x"/ }, promtool: true },
  { name: "bare number as duration", lines: job("    scrape_timeout: 10"), error: { line: 3, message: /scrape_timeout: invalid duration "10"/ }, promtool: true },
  { name: "bad regex", lines: job("    relabel_configs:", "      - source_labels: [a]", "        regex: 'a(b'", "        action: keep"), error: { line: 5, message: /regex: invalid regex "a\(b"/ }, promtool: true },
  { name: "Perl-only regex", lines: job("    metric_relabel_configs:", "      - {source_labels: [a], regex: '(?=x)', action: drop}"), error: { line: 4, message: /invalid regex/ }, promtool: true },
  { name: "duplicate job", lines: job("  - job_name: b", "  - job_name: a"), error: { line: 4, message: /found multiple scrape configs with job name "a"/ }, promtool: true },
  { name: "empty job name", lines: ["scrape_configs:", "  - job_name: ''"], error: { line: 2, message: /job_name is empty/ }, promtool: true },
  { name: "missing job name", lines: ["scrape_configs:", "  - scrape_interval: 1s"], error: { line: 2, message: /job_name is empty/ }, promtool: true },
  { name: "timeout greater than interval", lines: job("    scrape_interval: 5s", "    scrape_timeout: 6s"), error: { line: 4, message: /scrape timeout greater than scrape interval for scrape config with job name "a"/ }, promtool: true },
  { name: "timeout greater than global interval", lines: ["global:", "  scrape_interval: 5s", ...job("    scrape_timeout: 6s")], error: { line: 5, message: /scrape timeout greater than scrape interval/ }, promtool: true },
  { name: "global timeout greater than global interval", lines: ["global:", "  scrape_interval: 5s", "  scrape_timeout: 6s"], error: { line: 3, message: /global scrape timeout greater than scrape interval/ }, promtool: true },
  { name: "labeldrop with source_labels", lines: job("    relabel_configs:", "      - action: labeldrop", "        source_labels: [a]", "        regex: x"), error: { line: 4, message: /labeldrop action requires only 'regex', and no other fields/ }, promtool: true },
  { name: "labelkeep with a replacement", lines: job("    relabel_configs:", "      - {action: labelkeep, regex: x, replacement: y}"), error: { line: 4, message: /labelkeep action requires only 'regex'/ }, promtool: true },
  { name: "hashmod without modulus", lines: job("    relabel_configs:", "      - {action: hashmod, target_label: s, source_labels: [a]}"), error: { line: 4, message: /hashmod requires non-zero modulus/ }, promtool: true },
  { name: "replace without target_label", lines: job("    relabel_configs:", "      - source_labels: [a]"), error: { line: 4, message: /replace action requires 'target_label' value/ }, promtool: true },
  { name: "uppercase with a replacement", lines: job("    relabel_configs:", "      - source_labels: [a]", "        target_label: b", "        action: uppercase", "        replacement: x"), error: { line: 7, message: /'replacement' can not be set for uppercase action/ }, promtool: true },
  { name: "dropequal with a separator", lines: job("    relabel_configs:", "      - source_labels: [a]", "        target_label: b", "        action: dropequal", "        separator: ','"), error: { line: 6, message: /dropequal action requires only 'source_labels' and `target_label`/ }, promtool: true },
  { name: "unknown relabel action", lines: job("    relabel_configs:", "      - action: rename"), error: { line: 4, message: /unknown relabel action "rename"/ }, promtool: true },
  { name: "URL as a static target", lines: job("    static_configs:", "      - targets: [http://x/metrics]"), error: { line: 4, message: /"http:\/\/x\/metrics" is not a valid hostname/ }, promtool: true },
  { name: "empty label name", lines: job("    static_configs:", "      - targets: [a:1]", "        labels: {'': x}"), error: { line: 5, message: /"" is not a valid label name/ }, promtool: true },
  { name: "body size without unit", lines: job("    body_size_limit: 1000"), error: { line: 3, message: /body_size_limit: invalid byte size "1000"/ }, promtool: true },
  { name: "negative sample limit", lines: job("    sample_limit: -1"), error: { line: 3, message: /sample_limit/ }, promtool: true },
  { name: "bad file SD name", lines: job("    file_sd_configs:", "      - files: [targets.txt]"), error: { line: 4, message: /path name "targets.txt" is not valid for file discovery/ }, promtool: true },
  { name: "bad rule file glob", lines: ["rule_files:", "  - rules/*/x.yml"], error: { line: 2, message: /invalid rule file path "rules\/\*\/x.yml"/ }, promtool: true },
  { name: "basic authorization type", lines: job("    authorization:", "      type: Basic", "      credentials: x"), error: { line: 4, message: /authorization type cannot be set to "basic"/ }, promtool: true },
  { name: "password and password_file", lines: job("    basic_auth:", "      username: u", "      password: p", "      password_file: f"), error: { line: 3, message: /at most one of basic_auth password, password_file/ }, promtool: true },
  { name: "client cert without key", lines: job("    tls_config:", "      cert_file: c.pem"), error: { line: 3, message: /exactly one of key or key_file must be configured/ }, promtool: true },
  { name: "unknown scheme", lines: job("    scheme: ftp"), error: { line: 3, message: /scheme/ }, promtool: "Prometheus 2.42 checks the scheme only when scraping" },
  { name: "remote write without url", lines: ["remote_write:", "  - name: x"], error: { line: 2, message: /url for remote_write is empty/ }, promtool: true },
  { name: "reserved remote write header", lines: ["remote_write:", "  - url: http://w/", "    headers:", "      Content-Type: x"], error: { line: 4, message: /Content-Type is a reserved header/ }, promtool: true },
  { name: "unsupported SD", lines: job("    kubernetes_sd_configs:", "      - role: pod"), error: { line: 3, message: /kubernetes_sd_configs is not supported by Meridian/ }, promtool: true },
  { name: "unsupported SD in an alertmanager", lines: ["alerting:", "  alertmanagers:", "    - dns_sd_configs:", "        - names: [am]"], error: { line: 3, message: /dns_sd_configs is not supported by Meridian/ }, promtool: "Prometheus supports DNS SD" },
  { name: "tracing", lines: ["tracing:", "  endpoint: localhost:4317"], error: { line: 1, message: /tracing is not supported by Meridian/ }, promtool: "Prometheus supports tracing" },
  { name: "oauth2", lines: job("    oauth2:", "      client_id: x", "      token_url: http://t/"), error: { line: 3, message: /oauth2 is not supported by Meridian/ }, promtool: "Prometheus supports oauth2" },
  { name: "Alertmanager API v1", lines: ["alerting:", "  alertmanagers:", "    - api_version: v1"], error: { line: 3, message: /expected Alertmanager api version to be one of \[v2\] but got v1/ }, promtool: "Prometheus 2.42 still accepts v1; 3.x refuses it" },
  { name: "unknown scrape protocol", lines: job("    scrape_protocols: [PrometheusText0.0.4, Protobuf]"), error: { line: 3, message: /unknown scrape protocol Protobuf/ }, promtool: "scrape_protocols is newer than Prometheus 2.42" },
  { name: "unknown field in storage.tsdb", lines: ["storage:", "  tsdb:", "    out_of_order_window: 1h"], error: { line: 3, message: /field out_of_order_window not found/ }, promtool: true },
  { name: "YAML syntax error", lines: ["scrape_configs:", "  - job_name: [a"], error: { line: 3, message: /yaml:/ }, promtool: true },
];
