// Issue 4's differential test: one prometheus.yml, run by `meridian engine` and by a real
// Prometheus 2.42 against the same targets, and what both report about the scrapes compared.
//
// Debian's Prometheus is built without Consul SD, so for it each `consul_sd_configs` entry is
// replaced by `file_sd_configs` fed by Prometheus 2.42's own Consul discovery code (the
// prom-consul-sd Go program); file SD adds `__meta_filepath`, which is left out of those jobs'
// discovered labels. Meridian has no PromQL yet, so its `up` is read from target health.
import assert, { AssertionError } from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { stringify } from "yaml";
import { pollUntil, requirePeer, runWithPeerLog, startNodeExporter, startPrometheus, withPeer, type PromVectorSample, type PrometheusPeer } from "../peers/index.js";
import { buildGoProgram } from "./go-program.js";
import { exposition, failing, hanging, startExporter, type LoopbackExporter } from "./loopback-exporters.js";
import { startMeridian, type MeridianProcess } from "./meridian-process.js";
import { assertSameSets, diffSets, labelKey, same, seriesFacts, targetFacts, upFromHealth, upFromQuery, type ApiTargets, type IgnoredLabels } from "./target-diff.js";

type ScrapeConfig = Record<string, unknown> & { job_name: string };
type LabelSet = Readonly<Record<string, string>>;

// One side of the comparison: the same two read endpoints on either server.
interface Side {
  readonly name: string;
  targets(): Promise<ApiTargets>;
  series(): Promise<LabelSet[]>;
}

const ALL_SERIES = '{job=~".+"}';
const NEVER_SCRAPED = "0001-01-01T00:00:00Z";

// Writes through a rename so neither file SD ever reads half a file.
async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

function meridianSide(m: MeridianProcess): Side {
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${m.url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`meridian ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    name: "meridian",
    targets: () => get<ApiTargets>("/api/v1/targets"),
    series: () => get<LabelSet[]>(`/api/v1/series?${new URLSearchParams({ "match[]": ALL_SERIES })}`),
  };
}

function prometheusSide(p: PrometheusPeer): Side {
  return {
    name: "prometheus",
    targets: () => p.api<ApiTargets>("/api/v1/targets"),
    series: () => p.api<LabelSet[]>("/api/v1/series", { "match[]": ALL_SERIES }),
  };
}

/**
 * A probe that is satisfied once `side` has exactly `expected` active targets per job and has
 * scraped each of them at least twice (its last scrape moved past the first one seen).
 */
function scrapedTwice(side: Side, expected: Readonly<Record<string, number>>): () => Promise<boolean> {
  const first = new Map<string, string>();
  return async () => {
    const { activeTargets } = await side.targets();
    const counts: Record<string, number> = {};
    for (const t of activeTargets) counts[t.scrapePool] = (counts[t.scrapePool] ?? 0) + 1;
    if (Object.entries(expected).some(([job, n]) => counts[job] !== n)) return false;
    let done = true;
    for (const t of activeTargets) {
      const key = `${t.scrapePool} ${t.scrapeUrl} ${JSON.stringify(t.labels)}`;
      if (t.lastScrape === NEVER_SCRAPED) done = false;
      else if (!first.has(key)) {
        first.set(key, t.lastScrape);
        done = false;
      } else if (Date.parse(t.lastScrape) <= Date.parse(first.get(key) as string)) done = false;
    }
    return done;
  };
}

// Polls until both sides give equal fact sets, then returns; on timeout asserts with both sides.
async function expectAgreement(what: string, sides: readonly [Side, Side], facts: (side: Side) => Promise<string[]>, timeoutMs: number): Promise<void> {
  let last: [string[], string[]] = [[], []];
  try {
    await pollUntil(
      async () => {
        last = [await facts(sides[0]), await facts(sides[1])];
        return same(diffSets(...last));
      },
      { timeoutMs, intervalMs: 250, what },
    );
  } catch {
    assertSameSets(what, ...last);
  }
}

// Agreement proves little unless the reference shows what the config is built to exercise.
function assertExercised(series: readonly LabelSet[]): void {
  const wanted: LabelSet[] = [
    { __name__: "demo_clash", job: "static", exported_job: "pre", exported_exported_job: "inner", exported_instance: "fake" },
    { __name__: "demo_clash", job: "inner", instance: "fake-c" },
    { __name__: "demo_honor", job: "files", shard: "99" },
    { __name__: "demo_params", module: "override,b", format: "prometheus" },
    { __name__: "demo_temperature_celsius", new_name: "kept", exported_env: "exposed", env_lower: "prod", owner: "Team-X" },
    { __name__: "demo_service", service: "web", exported_service: "inner", meta_build_id: "42", dc: "DC-DIFF" },
    { __name__: "demo_small", job: "limits" },
    { __name__: "node_uname_info", job: "node" },
  ];
  const has = (want: LabelSet) => series.some((s) => Object.entries(want).every(([k, v]) => s[k] === v));
  for (const want of wanted) assert.ok(has(want), `prometheus has no series with ${labelKey(want)}`);
  for (const name of ["demo_drop_me", "demo_big", "demo_wide"]) assert.ok(!has({ __name__: name }), `prometheus kept ${name}`);
  for (const label of ["old_name", "extra"]) assert.ok(!series.some((s) => label in s), `prometheus kept label ${label}`);
}

// Runs Prometheus 2.42's Consul discovery for one consul_sd_configs entry; returns its file_sd file.
async function startConsulSd(t: TestContext, bin: string, dir: string, name: string, config: unknown, logs: { name: string; log(): string }[]): Promise<string> {
  const cfg = join(dir, `${name}.yml`);
  const out = join(dir, `${name}.json`);
  await writeFile(cfg, JSON.stringify(config));
  await writeFile(out, "[]");
  const child = spawn(bin, [cfg, out], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr.on("data", (b: Buffer) => (log += b.toString()));
  child.once("exit", (code, signal) => (log += `\nexited ${code ?? signal}`));
  t.after(() => void child.kill("SIGKILL"));
  logs.push({ name: `prom-consul-sd ${name}`, log: () => log });
  return out;
}

/**
 * The prometheus.yml for the real Prometheus: each consul_sd_configs entry becomes file_sd fed
 * by prom-consul-sd. Returns the config and the jobs whose discovered labels gain `__meta_filepath`.
 */
async function forPrometheus(t: TestContext, bin: string, dir: string, config: { scrape_configs: ScrapeConfig[] }, logs: { name: string; log(): string }[]) {
  const consulJobs = new Map<string, readonly string[]>();
  const scrapeConfigs: ScrapeConfig[] = [];
  for (const sc of config.scrape_configs) {
    const { consul_sd_configs: consul, ...rest } = sc as ScrapeConfig & { consul_sd_configs?: unknown[]; file_sd_configs?: unknown[] };
    if (!consul) {
      scrapeConfigs.push(sc);
      continue;
    }
    const files = await Promise.all(consul.map((c, i) => startConsulSd(t, bin, dir, `${sc.job_name}-${i}`, c, logs)));
    rest.file_sd_configs = [...(rest.file_sd_configs ?? []), { files, refresh_interval: "1s" }];
    scrapeConfigs.push(rest);
    consulJobs.set(sc.job_name, ["__meta_filepath"]);
  }
  return { config: { ...config, scrape_configs: scrapeConfigs }, ignored: consulJobs as IgnoredLabels };
}

async function registerService(registryUrl: string, service: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${registryUrl}/v1/agent/service/register`, { method: "PUT", body: JSON.stringify(service) });
  if (!res.ok) throw new Error(`registering ${String(service["ID"])}: ${res.status} ${await res.text()}`);
}

// Appends the logs of non-peer processes to a failure, as runWithPeerLog does for peers.
async function withLogs(sources: readonly { name: string; log(): string }[], fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Error) err.message += sources.map((s) => `\n--- ${s.name} ---\n${s.log()}`).join("");
    throw err;
  }
}

describe("meridian engine against a real Prometheus 2.42 (differential)", () => {
  it("discovers, relabels, scrapes and reports the same targets and series from one prometheus.yml", async (t) => {
    if (!requirePeer(t, "prometheus", "prometheus")) return;
    if (!requirePeer(t, "prometheus-node-exporter", "prometheus-node-exporter")) return;
    const sdBin = await buildGoProgram(t, "prom-consul-sd");
    if (!sdBin) return;
    const dir = await mkdtemp(join(tmpdir(), "meridian-diff-"));
    t.after(() => rm(dir, { recursive: true, force: true }));

    const exporters: LoopbackExporter[] = [];
    t.after(() => exporters.forEach((e) => e.close()));
    const exporter = async (handler: Parameters<typeof startExporter>[0]) => {
      const e = await startExporter(handler);
      exporters.push(e);
      return e.address;
    };
    const plain = await exporter(
      exposition(
        [
          "# HELP demo_requests_total Requests served.",
          "# TYPE demo_requests_total counter",
          'demo_requests_total{code="200",method="get"} 10',
          'demo_requests_total{code="500",method="get"} 1',
          "# TYPE demo_temperature_celsius gauge",
          'demo_temperature_celsius{room="lab",old_name="kept",env="exposed"} 21.5',
          "# TYPE demo_drop_me gauge",
          "demo_drop_me 1",
          "",
        ].join("\n"),
      ),
    );
    // Exposes target label names, and echoes the query parameters the scrape sent.
    const clash = await exporter(
      exposition((url) => {
        const params = [...new Set(url.searchParams.keys())].sort().map((k) => `${k}="${url.searchParams.getAll(k).join(",")}"`);
        return `demo_clash{job="inner",instance="fake",exported_job="pre"} 1\ndemo_params{${params.join(",")}} 1\n`;
      }),
    );
    const honored = await exporter(exposition('demo_clash{job="inner",instance="fake-c"} 1\ndemo_honor{shard="99"} 1\n'));
    const flapping = await exporter(exposition("demo_flap 1\n"));
    const web1 = await exporter(exposition('demo_service{name="web-1",service="inner"} 1\n'));
    const web2 = await exporter(exposition('demo_service{name="web-2"} 1\n'));
    const broken = await exporter(failing(500));
    const hang = await exporter(hanging);
    const big = await exporter(exposition([0, 1, 2, 3, 4].map((i) => `demo_big{i="${i}"} ${i}`).join("\n") + "\n"));
    const small = await exporter(exposition('demo_small{x="1"} 1\ndemo_small{x="2"} 2\n'));
    const wide = await exporter(exposition('demo_wide{a="1",b="2",c="3"} 1\n'));

    const node = withPeer(t, await startNodeExporter({ textfiles: { "demo.prom": 'demo_textfile{source="node"} 1\n' } }));
    const registry = await startMeridian(["registry", "--listen", "127.0.0.1:0", "--data-dir", join(dir, "registry"), "--datacenter", "dc-diff", "--node", "node-a"]);
    t.after(() => registry.kill());
    const services: Record<string, unknown>[] = [
      { ID: "web-1", Name: "web", Tags: ["prod", "v1"], Address: "127.0.0.1", Port: Number(web1.split(":")[1]), Meta: { team: "core", "build-id": "42" } },
      { ID: "web-2", Name: "web", Tags: ["prod"], Address: "127.0.0.1", Port: Number(web2.split(":")[1]), Meta: { team: "edge" }, Check: { CheckID: "web-2-ttl", TTL: "1h", Status: "passing" } },
      { ID: "broken-1", Name: "broken", Tags: ["prod"], Address: "127.0.0.1", Port: Number(broken.split(":")[1]) },
      { ID: "batch-1", Name: "batch", Tags: ["dev"], Address: "127.0.0.1", Port: Number(plain.split(":")[1]) },
      { ID: "sick-1", Name: "sick", Tags: ["prod"], Address: "127.0.0.1", Port: Number(plain.split(":")[1]), Check: { CheckID: "sick-ttl", TTL: "1h", Status: "critical" } },
    ];
    for (const s of services) await registerService(registry.url, s);

    const honorFile = join(dir, "honor.json");
    const flapFile = join(dir, "flap.json");
    const targetGroup = (address: string, labels: LabelSet) => ({ targets: [address], labels });
    const kept = { a: "1", b: "1", c: "x", d: "y" };
    await writeAtomic(
      honorFile,
      JSON.stringify([
        targetGroup(honored, kept),
        targetGroup("127.0.0.1:1", { ...kept, b: "2" }),
        targetGroup("127.0.0.1:2", { ...kept, c: "z", d: "z" }),
        targetGroup("127.0.0.1:3", { ...kept, skip: "yes" }),
      ]),
    );
    await writeAtomic(flapFile, "[]");

    const config = {
      global: { scrape_interval: "1s", scrape_timeout: "900ms", external_labels: { side: "both" } },
      scrape_configs: [
        {
          job_name: "static",
          // Keys deliberately unsorted: Prometheus encodes the query with url.Values.Encode (sorted keys).
          params: { module: ["a", "b"], format: ["prometheus"] },
          static_configs: [
            { targets: [plain], labels: { __tmp_env: "Prod", __tmp_owner: "Team-X", extra: "gone" } },
            { targets: [clash], labels: { __tmp_env: "Stage", __tmp_variant: "b", extra: "gone" } },
          ],
          relabel_configs: [
            { action: "labelmap", regex: "__tmp_(.+)" },
            { action: "lowercase", source_labels: ["env"], target_label: "env_lower" },
            { source_labels: ["variant"], regex: "b", target_label: "__param_module", replacement: "override" },
            { action: "labelkeep", regex: "__.*|job|instance|env|env_lower|owner|variant" },
          ],
          metric_relabel_configs: [
            { action: "drop", source_labels: ["__name__"], regex: "demo_drop_me" },
            { source_labels: ["old_name"], regex: "(.+)", target_label: "new_name" },
            { action: "labeldrop", regex: "old_name" },
          ],
        },
        {
          job_name: "files",
          honor_labels: true,
          file_sd_configs: [{ files: [honorFile, flapFile], refresh_interval: "1s" }],
          relabel_configs: [
            { action: "drop", source_labels: ["skip"], regex: "yes" },
            { action: "keepequal", source_labels: ["a"], target_label: "b" },
            { action: "dropequal", source_labels: ["c"], target_label: "d" },
            { action: "hashmod", source_labels: ["__address__"], modulus: 4, target_label: "shard" },
            { action: "labeldrop", regex: "[abcd]|skip" },
          ],
        },
        {
          job_name: "consul",
          consul_sd_configs: [{ server: new URL(registry.url).host, refresh_interval: "1s" }],
          relabel_configs: [
            { action: "keep", source_labels: ["__meta_consul_tags"], regex: ".*,prod,.*" },
            { action: "drop", source_labels: ["__meta_consul_health"], regex: "critical" },
            { action: "labelmap", regex: "__meta_consul_service_metadata_(.+)", replacement: "meta_$1" },
            { source_labels: ["__meta_consul_service"], target_label: "service" },
            { action: "uppercase", source_labels: ["__meta_consul_dc"], target_label: "dc" },
          ],
        },
        {
          job_name: "node",
          static_configs: [{ targets: [new URL(node.url).host] }],
          metric_relabel_configs: [{ action: "keep", source_labels: ["__name__"], regex: "node_uname_info|node_exporter_build_info|demo_textfile" }],
        },
        { job_name: "limits", sample_limit: 3, label_limit: 5, static_configs: [{ targets: [big, small, wide] }] },
        { job_name: "timeouts", scrape_timeout: "300ms", static_configs: [{ targets: [hang] }] },
      ] as ScrapeConfig[],
    };
    const configFile = join(dir, "prometheus.yml");
    await writeFile(configFile, stringify(config));

    const logs: { name: string; log(): string }[] = [{ name: "meridian registry", log: () => registry.output() }];
    const promConfig = await forPrometheus(t, sdBin, dir, config, logs);
    const [engine, prom] = await Promise.all([
      startMeridian(["engine", "--config", configFile, "--listen", "127.0.0.1:0", "--data-dir", join(dir, "engine")]),
      startPrometheus({ config: promConfig.config }).then((p) => withPeer(t, p)),
    ]);
    t.after(() => engine.kill());
    logs.unshift({ name: "meridian engine", log: () => engine.output() });
    const sides = [meridianSide(engine), prometheusSide(prom)] as const;
    const ignored = promConfig.ignored;
    const expected = { static: 2, files: 2, consul: 3, node: 1, limits: 3, timeouts: 1 };

    await runWithPeerLog([prom, node], () =>
      withLogs(logs, async () => {
        // The flapping target appears only after both have read the file job's first state.
        for (const side of sides) {
          await pollUntil(async () => (await side.targets()).activeTargets.filter((x) => x.scrapePool === "files").length === 1, {
            timeoutMs: 20_000,
            what: `${side.name} to discover the file job's first target`,
          });
        }
        await writeAtomic(flapFile, JSON.stringify([targetGroup(flapping, kept)]));
        await Promise.all(sides.map((side) => pollUntil(scrapedTwice(side, expected), { timeoutMs: 30_000, intervalMs: 200, what: `${side.name} to scrape every target twice` })));

        // Every comparison runs, so one failure report shows all disagreements.
        const failures: string[] = [];
        const check = async (fn: () => Promise<void>) => {
          try {
            await fn();
          } catch (err) {
            failures.push(err instanceof Error ? err.message : String(err));
          }
        };
        // (a) Targets: labels, health and scrape URL of active ones, discovered labels of dropped ones.
        await check(() => expectAgreement("targets", sides, async (side) => targetFacts(await side.targets(), ignored), 10_000));
        // (b) Series label sets; node_exporter's are cut to a stable subset by metric relabeling.
        assertExercised(await sides[1].series());
        await check(() => expectAgreement("series", sides, async (side) => seriesFacts(await side.series()), 5_000));
        // (c) up per target: Meridian's from target health, Prometheus's from PromQL.
        const promUp = async () => upFromQuery((await prom.query("up")).result as PromVectorSample[]);
        await check(async () => assertSameSets("up (Meridian health vs Prometheus up)", upFromHealth(await sides[0].targets()), await promUp()));

        // The flapping target leaves both once its file is emptied.
        await writeAtomic(flapFile, "[]");
        const gone = (data: ApiTargets) =>
          !data.activeTargets.some((x) => x.labels["instance"] === flapping) && !data.droppedTargets.some((x) => x.discoveredLabels["__address__"] === flapping);
        await Promise.all(
          sides.map((side) => check(() => pollUntil(async () => gone(await side.targets()), { timeoutMs: 20_000, what: `${side.name} to drop the removed file target` }).then(() => undefined))),
        );
        await check(() => expectAgreement("targets after removal", sides, async (side) => targetFacts(await side.targets(), ignored), 5_000));
        await check(() =>
          pollUntil(async () => ((await prom.query(`up{instance="${flapping}"}`)).result as unknown[]).length === 0, {
            timeoutMs: 5_000,
            what: "prometheus to mark the removed target's up stale",
          }).then(() => undefined),
        );
        if (failures.length > 0) throw new AssertionError({ message: `${failures.length} disagreement(s):\n\n${failures.join("\n\n")}` });
      }),
    );
  });
});
