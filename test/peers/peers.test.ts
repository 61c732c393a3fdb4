import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { once } from "node:events";
import { test, type TestContext } from "node:test";
import {
  peerAvailable,
  pollUntil,
  portIsFree,
  requirePeer,
  runWithPeerLog,
  startAlertmanager,
  startBlackboxExporter,
  startNodeExporter,
  startPeer,
  startPrometheus,
  withPeer,
  type Peer,
  type PromVectorSample,
} from "./index.js";

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function assertStopped(peer: Peer): Promise<void> {
  await peer.stop();
  assert.equal(pidAlive(peer.pid), false, `${peer.name} pid ${peer.pid} still alive after stop`);
  assert.equal(await portIsFree(peer.port), true, `${peer.name} port ${peer.port} still bound after stop`);
  assert.equal(existsSync(peer.dir), false, `${peer.name} temp dir ${peer.dir} not removed`);
}

void test("peerAvailable is false for a binary that does not exist", () => {
  assert.equal(peerAvailable("meridian-no-such-binary-for-tests"), false);
});

void test("requirePeer skips outside CI when the binary is absent", (t: TestContext) => {
  if (process.env.CI === "true") {
    assert.throws(() => requirePeer(t, "meridian-no-such-binary-for-tests", "nothing"), /apt-get install nothing/);
    return;
  }
  assert.equal(requirePeer(t, "meridian-no-such-binary-for-tests", "nothing"), false);
});

void test("prometheus starts, scrapes itself, answers queries and stops", async (t) => {
  if (!requirePeer(t, "prometheus", "prometheus")) return;
  const prom = withPeer(
    t,
    await startPrometheus({
      config: { global: { scrape_interval: "1s" }, scrape_configs: [] },
    }),
  );
  await runWithPeerLog(prom, async () => {
    assert.match(prom.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const data = await prom.query("vector(42)");
    assert.equal(data.resultType, "vector");
    const [sample] = data.result as PromVectorSample[];
    assert.equal(sample?.value[1], "42");
    assert.match(prom.log(), /Server is ready to receive web requests/);
    await assertStopped(prom);
  });
});

void test("prometheus scrapes a job and waitFor sees its series", async (t) => {
  if (!requirePeer(t, "prometheus", "prometheus")) return;
  const first = withPeer(t, await startPrometheus({ config: "global:\n  scrape_interval: 1s\n" }));
  // A second Prometheus scraping the first proves each process has its own port and directory.
  const second = withPeer(
    t,
    await startPrometheus({
      config: {
        global: { scrape_interval: "1s" },
        scrape_configs: [{ job_name: "peer", static_configs: [{ targets: [`127.0.0.1:${first.port}`] }] }],
      },
    }),
  );
  await runWithPeerLog([first, second], async () => {
    assert.notEqual(first.port, second.port);
    assert.notEqual(first.dir, second.dir);
    const up = await second.waitFor(
      async () => {
        const data = await second.query('up{job="peer"}');
        return (data.result as PromVectorSample[])[0];
      },
      { timeoutMs: 15_000, what: "up{job=peer}" },
    );
    assert.equal(up.value[1], "1");
    await assertStopped(second);
    await assertStopped(first);
  });
});

void test("alertmanager starts, reports status and stops", async (t) => {
  if (!requirePeer(t, "prometheus-alertmanager", "prometheus-alertmanager")) return;
  const am = withPeer(t, await startAlertmanager());
  await runWithPeerLog(am, async () => {
    const status = JSON.parse(await am.get("/api/v2/status")) as { config: { original: string } };
    assert.match(status.config.original, /receiver: "?null"?/);
    await assertStopped(am);
  });
});

void test("blackbox_exporter starts, probes and stops", async (t) => {
  if (!requirePeer(t, "prometheus-blackbox-exporter", "prometheus-blackbox-exporter")) return;
  const bb = withPeer(t, await startBlackboxExporter());
  await runWithPeerLog(bb, async () => {
    // Probing its own /metrics gives a known-good target without another server.
    const body = await bb.get("/probe", { module: "http_2xx", target: `${bb.url}/metrics` });
    assert.match(body, /^probe_success 1$/m);
    await assertStopped(bb);
  });
});

void test("node_exporter starts, serves textfile metrics and stops", async (t) => {
  if (!requirePeer(t, "prometheus-node-exporter", "prometheus-node-exporter")) return;
  const ne = withPeer(
    t,
    await startNodeExporter({ textfiles: { "meridian.prom": "meridian_harness_marker 7\n" } }),
  );
  await runWithPeerLog(ne, async () => {
    assert.match(await ne.get("/metrics"), /^meridian_harness_marker 7$/m);
    await assertStopped(ne);
  });
});

void test("stop is idempotent and an aborted signal stops the peer", async (t) => {
  if (!requirePeer(t, "prometheus-node-exporter", "prometheus-node-exporter")) return;
  const controller = new AbortController();
  const ne = withPeer(t, await startNodeExporter({ signal: controller.signal }));
  await runWithPeerLog(ne, async () => {
    controller.abort();
    // The peer's own waitFor honours the now-aborted signal, so poll without it.
    await pollUntil(() => !pidAlive(ne.pid), { timeoutMs: 10_000, what: "exit after abort" });
    await Promise.all([ne.stop(), ne.stop()]);
    assert.equal(await portIsFree(ne.port), true);
  });
});

void test("start retries on another port when the chosen one is taken", async (t) => {
  if (!requirePeer(t, "prometheus-node-exporter", "prometheus-node-exporter")) return;
  const blocker = createServer();
  blocker.listen(0, "127.0.0.1");
  await once(blocker, "listening");
  t.after(() => blocker.close());
  const taken = (blocker.address() as { port: number }).port;
  let attempts = 0;
  // The first attempt is pointed at a bound port to force the EADDRINUSE path deterministically.
  const ne = withPeer(
    t,
    await startPeer({
      name: "node_exporter",
      binary: "prometheus-node-exporter",
      files: {},
      args: (_dir, port) => [`--web.listen-address=127.0.0.1:${attempts++ === 0 ? taken : port}`],
      readyPath: "/metrics",
    }),
  );
  await runWithPeerLog(ne, async () => {
    assert.equal(attempts, 2);
    assert.notEqual(ne.port, taken);
    await assertStopped(ne);
  });
});
