import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { configsEqual, loadPrometheusConfig, parsePrometheusConfig } from "./index.js";
import type { ScrapeConfig } from "./index.js";

function testdata(name: string): string {
  // Compiled tests run from dist/, and testdata is not copied there, so find the package root.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  return join(dir, "src", "config", "testdata", name);
}

const DEFAULT_PROTOCOLS = ["OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4"];
const MiB = 1024 ** 2;

describe("loadPrometheusConfig on a realistic prometheus.yml", async () => {
  const file = testdata("prometheus.yml");
  const dir = dirname(file);
  const cfg = await loadPrometheusConfig(file, undefined, { env: { REPLICA: "r1" } });
  const job = (name: string): ScrapeConfig => {
    const j = cfg.scrapeConfigs.find((s) => s.jobName === name);
    assert.ok(j, name);
    return j;
  };

  it("reads global with defaults, env-expanded external labels and a resolved query log", () => {
    assert.deepEqual(cfg.global, {
      scrapeIntervalMs: 15_000,
      scrapeTimeoutMs: 10_000,
      evaluationIntervalMs: 30_000,
      ruleQueryOffsetMs: 0,
      externalLabels: { region: "eu-west-1", replica: "r1", cost: "${not_expanded}" },
      queryLogFile: join(dir, "logs/query.log"),
      bodySizeLimitBytes: 10 * MiB,
      sampleLimit: 50_000,
      labelLimit: 64,
      labelNameLengthLimit: 128,
      labelValueLengthLimit: 2048,
      targetLimit: 1000,
      keepDroppedTargets: 0,
    });
    assert.deepEqual(cfg.ruleFiles, [join(dir, "rules/*.yml"), "/etc/prometheus/alerts.yml"]);
  });

  it("fills a bare job entirely from defaults and global", () => {
    assert.deepEqual(job("prometheus"), {
      jobName: "prometheus",
      scrapeIntervalMs: 15_000,
      scrapeTimeoutMs: 10_000,
      scrapeProtocols: DEFAULT_PROTOCOLS,
      metricsPath: "/metrics",
      scheme: "http",
      params: {},
      honorLabels: false,
      honorTimestamps: true,
      trackTimestampsStaleness: false,
      enableCompression: true,
      http: { tls: { insecureSkipVerify: false }, followRedirects: true, enableHTTP2: true },
      staticConfigs: [{ targets: ["localhost:9090"], labels: {} }],
      fileSDConfigs: [],
      consulSDConfigs: [],
      relabelConfigs: [],
      metricRelabelConfigs: [],
      bodySizeLimitBytes: 10 * MiB,
      sampleLimit: 50_000,
      labelLimit: 64,
      labelNameLengthLimit: 128,
      labelValueLengthLimit: 2048,
      targetLimit: 1000,
      keepDroppedTargets: 0,
    });
  });

  it("reads every option of a job, caps the timeout at the interval and resolves its paths", () => {
    const node = job("node");
    assert.equal(node.scrapeIntervalMs, 5000);
    assert.equal(node.scrapeTimeoutMs, 5000);
    assert.deepEqual(node.scrapeProtocols, ["PrometheusText0.0.4", "OpenMetricsText1.0.0"]);
    assert.equal(node.fallbackScrapeProtocol, "PrometheusText0.0.4");
    assert.equal(node.metricsPath, "/probe");
    assert.equal(node.scheme, "https");
    assert.deepEqual(node.params, { module: ["http_2xx", "tcp"] });
    assert.equal(node.honorLabels, true);
    assert.equal(node.honorTimestamps, false);
    assert.deepEqual(node.http, {
      basicAuth: { username: "scraper", passwordFile: join(dir, "secrets/scrape-password") },
      tls: {
        caFile: join(dir, "certs/ca.pem"),
        certFile: "/abs/client.pem",
        keyFile: join(dir, "certs/client-key.pem"),
        serverName: "node.internal",
        insecureSkipVerify: false,
        minVersion: "TLS12",
      },
      followRedirects: false,
      enableHTTP2: false,
      proxyURL: "http://proxy.internal:3128",
    });
    assert.deepEqual(
      [node.bodySizeLimitBytes, node.sampleLimit, node.labelLimit, node.targetLimit],
      [1024 * MiB, 1000, 64, 20],
      "an unset or 0 limit inherits the global one",
    );
    assert.deepEqual(node.staticConfigs, [{ targets: ["node-1:9100", "node-2:9100"], labels: { env: "prod", rack: "12" } }]);
    assert.deepEqual(node.fileSDConfigs, [
      { files: [join(dir, "targets/*.json"), "/etc/prometheus/targets/nodes.yml"], refreshIntervalMs: 300_000 },
      { files: [join(dir, "more/*.yaml")], refreshIntervalMs: 60_000 },
    ]);
  });

  it("reads relabel rules with Prometheus's defaults and lowercased actions", () => {
    const node = job("node");
    const base = { sourceLabels: [], separator: ";", regex: "(.*)", replacement: "$1" };
    assert.deepEqual(node.relabelConfigs, [
      { ...base, sourceLabels: ["__address__"], regex: "([^:]+):\\d+", targetLabel: "host", replacement: "${1}", action: "replace" },
      { ...base, sourceLabels: ["__meta_filepath"], regex: ".*/ignored/.*", action: "drop" },
      { ...base, sourceLabels: ["host"], modulus: 4, targetLabel: "__tmp_shard", action: "hashmod" },
      { ...base, sourceLabels: ["__tmp_shard"], regex: "0", action: "keep" },
      { ...base, regex: "__meta_consul_service_metadata_(.+)", action: "labelmap" },
      { ...base, sourceLabels: ["env"], targetLabel: "env_upper", action: "uppercase" },
      { ...base, sourceLabels: ["__tmp_expected"], targetLabel: "env", action: "keepequal" },
    ]);
    assert.deepEqual(node.metricRelabelConfigs, [
      { ...base, sourceLabels: ["__name__"], regex: "go_gc_.*", action: "drop" },
      { ...base, regex: "__name__|instance|job|env", action: "labelkeep" },
    ]);
  });

  it("reads consul SD with all options and with defaults", () => {
    const consul = job("consul-services");
    assert.equal(consul.scrapeTimeoutMs, 10_000);
    assert.deepEqual(consul.http.authorization, { type: "Bearer", credentialsFile: join(dir, "secrets/token") });
    const defaultHTTP = { tls: { insecureSkipVerify: false }, followRedirects: true, enableHTTP2: true };
    assert.deepEqual(consul.consulSDConfigs, [
      {
        server: "consul.service:8500",
        pathPrefix: "/consul",
        token: "s3cr3t",
        datacenter: "dc1",
        namespace: "team-a",
        partition: "default",
        tagSeparator: "|",
        scheme: "https",
        allowStale: false,
        refreshIntervalMs: 10_000,
        services: ["web", "api"],
        tags: ["metrics"],
        nodeMeta: { rack: "r1" },
        filter: 'Service.Meta.scrape == "true"',
        http: { ...defaultHTTP, tls: { caFile: join(dir, "certs/consul-ca.pem"), insecureSkipVerify: false } },
      },
      {
        server: "localhost:8500",
        tagSeparator: ",",
        scheme: "http",
        username: "u",
        password: "p",
        allowStale: true,
        refreshIntervalMs: 30_000,
        services: [],
        tags: [],
        nodeMeta: {},
        http: defaultHTTP,
      },
    ]);
  });

  it("turns a legacy bearer_token into a Bearer authorization", () => {
    const legacy = job("legacy-bearer");
    assert.equal(legacy.scrapeTimeoutMs, 3000);
    assert.deepEqual(legacy.http.authorization, { type: "Bearer", credentials: "abc" });
  });

  it("reads alerting, remote write/read and storage with their defaults", () => {
    assert.deepEqual(cfg.alerting.alertRelabelConfigs, [
      { sourceLabels: [], separator: ";", regex: "replica", replacement: "$1", action: "labeldrop" },
    ]);
    const [am1, am2] = cfg.alerting.alertmanagers;
    assert.ok(am1 && am2);
    assert.deepEqual(
      [am1.scheme, am1.pathPrefix, am1.timeoutMs, am1.apiVersion, am1.http.tls.caFile],
      ["https", "/am", 5000, "v2", join(dir, "certs/ca.pem")],
    );
    assert.deepEqual(am1.staticConfigs, [{ targets: ["alertmanager-1:9093", "alertmanager-2:9093"], labels: {} }]);
    assert.deepEqual([am2.scheme, am2.pathPrefix, am2.timeoutMs], ["http", "", 10_000]);
    assert.deepEqual(am2.consulSDConfigs.map((c) => [c.server, c.services]), [["consul.service:8500", ["alertmanager"]]]);

    const [rw] = cfg.remoteWrite;
    assert.ok(rw);
    assert.equal(rw.url, "https://remote.example/api/v1/write");
    assert.equal(rw.name, "long-term");
    assert.equal(rw.remoteTimeoutMs, 10_000);
    assert.deepEqual(rw.headers, { "X-Scope-OrgID": "tenant-1" });
    assert.equal(rw.writeRelabelConfigs[0]?.action, "drop");
    assert.deepEqual(rw.queueConfig, {
      capacity: 10_000,
      maxShards: 10,
      minShards: 1,
      maxSamplesPerSend: 2000,
      batchSendDeadlineMs: 5000,
      minBackoffMs: 30,
      maxBackoffMs: 5000,
      retryOnRateLimit: false,
      sampleAgeLimitMs: 0,
    });
    assert.deepEqual(rw.metadataConfig, { send: true, sendIntervalMs: 60_000, maxSamplesPerSend: 2000 });
    assert.equal(rw.http.enableHTTP2, false, "remote write defaults HTTP/2 off");
    assert.deepEqual(rw.http.basicAuth, { username: "writer", password: "pw" });

    const [rr] = cfg.remoteRead;
    assert.ok(rr);
    assert.deepEqual(
      [rr.remoteTimeoutMs, rr.readRecent, rr.requiredMatchers, rr.filterExternalLabels, rr.chunkedReadLimit],
      [60_000, true, { team: "a" }, true, 50_000_000],
    );
    assert.deepEqual(cfg.storage, { outOfOrderTimeWindowMs: 30 * 60_000, maxExemplars: 100_000 });
  });

  it("parses the same text without a file, keeping paths as written and labels unexpanded", async () => {
    const text = await readFile(file, "utf8");
    const plain = parsePrometheusConfig(text);
    assert.equal(plain.global.queryLogFile, "logs/query.log");
    assert.equal(plain.global.externalLabels["replica"], "$REPLICA");
    assert.deepEqual(plain.ruleFiles, ["rules/*.yml", "/etc/prometheus/alerts.yml"]);
  });
});

describe("parsePrometheusConfig defaults", () => {
  it("gives Prometheus's defaults for an empty file", () => {
    const cfg = parsePrometheusConfig("");
    assert.deepEqual(cfg.global, {
      scrapeIntervalMs: 60_000,
      scrapeTimeoutMs: 10_000,
      evaluationIntervalMs: 60_000,
      ruleQueryOffsetMs: 0,
      externalLabels: {},
      bodySizeLimitBytes: 0,
      sampleLimit: 0,
      labelLimit: 0,
      labelNameLengthLimit: 0,
      labelValueLengthLimit: 0,
      targetLimit: 0,
      keepDroppedTargets: 0,
    });
    assert.deepEqual(
      [cfg.ruleFiles, cfg.scrapeConfigs, cfg.alerting, cfg.remoteWrite, cfg.remoteRead],
      [[], [], { alertRelabelConfigs: [], alertmanagers: [] }, [], []],
    );
  });

  const timeouts: { name: string; yaml: string; interval: number; timeout: number }[] = [
    { name: "global interval below the default timeout", yaml: "global: {scrape_interval: 5s}\nscrape_configs: [{job_name: a}]", interval: 5000, timeout: 5000 },
    { name: "job interval below the global timeout", yaml: "scrape_configs: [{job_name: a, scrape_interval: 2s}]", interval: 2000, timeout: 2000 },
    { name: "explicit 0 means unset", yaml: "scrape_configs: [{job_name: a, scrape_interval: 0, scrape_timeout: 0}]", interval: 60_000, timeout: 10_000 },
    { name: "global timeout inherited", yaml: "global: {scrape_timeout: 20s}\nscrape_configs: [{job_name: a}]", interval: 60_000, timeout: 20_000 },
    { name: "job timeout equal to its interval", yaml: "scrape_configs: [{job_name: a, scrape_interval: 3s, scrape_timeout: 3s}]", interval: 3000, timeout: 3000 },
  ];
  for (const t of timeouts) {
    it(`derives interval and timeout: ${t.name}`, () => {
      const [job] = parsePrometheusConfig(t.yaml).scrapeConfigs;
      assert.deepEqual([job?.scrapeIntervalMs, job?.scrapeTimeoutMs], [t.interval, t.timeout]);
    });
  }

  it("uses the global scrape_protocols for jobs that set none", () => {
    const cfg = parsePrometheusConfig("global: {scrape_protocols: [PrometheusProto]}\nscrape_configs: [{job_name: a}]");
    assert.deepEqual(cfg.scrapeConfigs[0]?.scrapeProtocols, ["PrometheusProto"]);
  });
});

describe("configsEqual", () => {
  const base = "scrape_configs:\n  - job_name: a\n    static_configs: [{targets: ['x:1'], labels: {a: b}}]\n    relabel_configs: [{source_labels: [a], target_label: b}]\n";
  const first = (text: string): ScrapeConfig => {
    const job = parsePrometheusConfig(text).scrapeConfigs[0];
    assert.ok(job);
    return job;
  };

  it("holds for the same text, and for spellings that mean the same", () => {
    assert.ok(configsEqual(first(base), first(base)));
    assert.ok(configsEqual(first(base), first(base + "    scrape_interval: 1m\n    metrics_path: /metrics\n")));
  });

  for (const change of ["    scrape_interval: 30s\n", "    honor_labels: true\n", "    tls_config: {insecure_skip_verify: true}\n", "    metric_relabel_configs: [{action: labeldrop, regex: x}]\n"]) {
    it(`fails after adding ${change.trim()}`, () => {
      assert.ok(!configsEqual(first(base), first(base + change)));
    });
  }

  it("notices a change deep in a list", () => {
    assert.ok(!configsEqual(first(base), first(base.replace("labels: {a: b}", "labels: {a: c}"))));
  });
});

describe("loadPrometheusConfig", () => {
  it("reports a missing file and names the file in errors", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meridian-config-"));
    try {
      await assert.rejects(loadPrometheusConfig(join(dir, "absent.yml")), { code: "invalid_config", message: /cannot read/ });
      const file = join(dir, "bad.yml");
      await writeFile(file, "scrape_configs:\n  - job_name: a\n    scrape_interval: fast\n");
      await assert.rejects(loadPrometheusConfig(file), { message: new RegExp(`^${file}:3: scrape_configs\\.0\\.scrape_interval: `) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
