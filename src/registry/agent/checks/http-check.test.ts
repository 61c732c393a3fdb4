import assert from "node:assert/strict";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { after, before, describe, it } from "node:test";
import { closedPort, harness } from "./test-harness.js";
import type { CheckDefinition, CheckStatus } from "./types.js";

const INTERVAL = 30_000;
const TIMEOUT = 5_000;

/** Status that /toggle answers with; tests flip it between runs. */
let toggleStatus = 200;

/** Routes of the loopback service under check. */
function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  switch (path) {
    case "/ok":
      res.end("all good");
      return;
    case "/no-content":
      res.writeHead(204).end();
      return;
    case "/busy":
      res.writeHead(429).end("slow down");
      return;
    case "/fail":
      res.writeHead(500).end("boom");
      return;
    case "/unavailable":
      res.writeHead(503, "Down For Maintenance").end();
      return;
    case "/redirect":
      res.writeHead(302, { location: "/ok" }).end();
      return;
    case "/loop":
      res.writeHead(302, { location: "/loop" }).end();
      return;
    case "/big":
      res.end("x".repeat(10_000) + "END");
      return;
    case "/echo": {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () =>
        res.end(
          JSON.stringify({
            method: req.method,
            ua: req.headers["user-agent"],
            accept: req.headers["accept"],
            test: req.headers["x-test"],
            host: req.headers["host"],
            body: Buffer.concat(chunks).toString(),
          }),
        ),
      );
      return;
    }
    case "/toggle":
      res.writeHead(toggleStatus).end(String(toggleStatus));
      return;
    case "/hang":
      return;
    case "/hang-body":
      res.writeHead(200);
      res.write("partial");
      return;
    default:
      res.writeHead(404).end();
  }
}

describe("HTTP check", () => {
  let server: http.Server;
  let base = "";
  let refused = "";

  before(async () => {
    server = http.createServer(handle);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    refused = await closedPort();
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const def = (extra: Partial<CheckDefinition>): CheckDefinition => ({
    CheckID: "web",
    Name: "web",
    IntervalMs: INTERVAL,
    TimeoutMs: TIMEOUT,
    ...extra,
  });

  const cases: { name: string; def: () => CheckDefinition; status: CheckStatus; output: () => string | RegExp; timeout?: boolean }[] = [
    { name: "200 is passing", def: () => def({ HTTP: `${base}/ok` }), status: "passing", output: () => `HTTP GET ${base}/ok: 200 OK Output: all good` },
    { name: "204 is passing", def: () => def({ HTTP: `${base}/no-content` }), status: "passing", output: () => `HTTP GET ${base}/no-content: 204 No Content Output: ` },
    { name: "429 is warning", def: () => def({ HTTP: `${base}/busy` }), status: "warning", output: () => `HTTP GET ${base}/busy: 429 Too Many Requests Output: slow down` },
    { name: "500 is critical", def: () => def({ HTTP: `${base}/fail` }), status: "critical", output: () => `HTTP GET ${base}/fail: 500 Internal Server Error Output: boom` },
    {
      name: "the server's reason phrase is kept",
      def: () => def({ HTTP: `${base}/unavailable` }),
      status: "critical",
      output: () => `HTTP GET ${base}/unavailable: 503 Down For Maintenance Output: `,
    },
    { name: "redirects are followed", def: () => def({ HTTP: `${base}/redirect` }), status: "passing", output: () => `HTTP GET ${base}/redirect: 200 OK Output: all good` },
    {
      name: "DisableRedirects reports the redirect itself",
      def: () => def({ HTTP: `${base}/redirect`, DisableRedirects: true }),
      status: "critical",
      output: () => `HTTP GET ${base}/redirect: 302 Found Output: `,
    },
    {
      name: "a redirect loop stops after 10",
      def: () => def({ HTTP: `${base}/loop` }),
      status: "critical",
      output: () => `Get "${base}/loop": stopped after 10 redirects`,
    },
    {
      name: "method, headers and body are sent; defaults fill User-Agent and Accept",
      def: () => def({ HTTP: `${base}/echo`, Method: "put", Body: "ping", Header: { "X-Test": ["yes"], Host: ["svc.example"] } }),
      status: "passing",
      output: () =>
        `HTTP PUT ${base}/echo: 200 OK Output: ` +
        JSON.stringify({ method: "PUT", ua: "Consul Health Check", accept: "text/plain, text/*, */*", test: "yes", host: "svc.example", body: "ping" }),
    },
    {
      name: "output keeps the last OutputMaxSize bytes",
      def: () => def({ HTTP: `${base}/big`, OutputMaxSize: 8 }),
      status: "passing",
      output: () => `HTTP GET ${base}/big: 200 OK Output: xxxxxEND`,
    },
    {
      name: "output is capped at 4 KiB by default",
      def: () => def({ HTTP: `${base}/big` }),
      status: "passing",
      output: () => `HTTP GET ${base}/big: 200 OK Output: ${"x".repeat(4096 - 3)}END`,
    },
    {
      name: "connection refused is critical",
      def: () => def({ HTTP: `http://${refused}/` }),
      status: "critical",
      output: () => `Get "http://${refused}/": dial tcp ${refused}: connect: connection refused`,
    },
    {
      name: "no response within the timeout is critical",
      def: () => def({ HTTP: `${base}/hang` }),
      status: "critical",
      output: () => `Get "${base}/hang": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      timeout: true,
    },
    {
      name: "a URL that is not http is critical",
      def: () => def({ HTTP: "ftp://127.0.0.1/" }),
      status: "critical",
      output: () => `Get "ftp://127.0.0.1/": unsupported protocol scheme "ftp"`,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const h = harness(c.def());
      h.runner.start();
      assert.deepEqual(h.updates, [{ status: "critical", output: "" }], "initial status is reported at start");
      h.scheduler.advance(0);
      if (c.timeout === true) {
        // Let the request reach the server before the deadline passes.
        await new Promise((resolve) => server.once("request", resolve));
        h.scheduler.advance(TIMEOUT);
      }
      await h.scheduler.whenScheduled(INTERVAL);
      h.runner.stop();
      assert.equal(h.updates.length, 2);
      const got = h.updates[1];
      assert.equal(got?.status, c.status);
      const want = c.output();
      if (typeof want === "string") assert.equal(got?.output, want);
      else assert.match(got?.output ?? "", want);
      assert.equal(h.scheduler.pending, 0);
    });
  }

  it("goes through an injected fetch when given", async () => {
    const urls: string[] = [];
    const spy: typeof fetch = (input, init) => {
      urls.push(String(input));
      return fetch(input, init);
    };
    const h = harness(def({ HTTP: `${base}/busy`, Status: "passing" }), { fetch: spy });
    h.runner.start();
    await h.step(0);
    h.runner.stop();
    assert.deepEqual(urls, [`${base}/busy`]);
    assert.deepEqual(h.updates, [
      { status: "passing", output: "" },
      { status: "warning", output: `HTTP GET ${base}/busy: 429 Too Many Requests Output: slow down` },
    ]);
  });

  it("a body cut short by the timeout still reports the status", async () => {
    // The injected fetch tells when headers arrived, so the deadline lands after them for sure.
    let headersArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (headersArrived = resolve));
    const spy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      headersArrived();
      return res;
    };
    const h = harness(def({ HTTP: `${base}/hang-body` }), { fetch: spy });
    h.runner.start();
    h.scheduler.advance(0);
    await arrived;
    h.scheduler.advance(TIMEOUT);
    await h.scheduler.whenScheduled(INTERVAL);
    h.runner.stop();
    assert.equal(h.updates[1]?.status, "passing");
    // Whether the first chunk was read before the deadline is up to the socket.
    assert.match(h.updates[1]?.output ?? "", new RegExp(`^HTTP GET ${base}/hang-body: 200 OK Output: (partial)?$`));
  });

  it("runs after a stagger, then every interval", async () => {
    let requests = 0;
    const counter = (): void => void requests++;
    server.on("request", counter);
    try {
      const h = harness(def({ HTTP: `${base}/ok` }), { random: () => 0.5 });
      h.runner.start();
      h.scheduler.advance(INTERVAL / 2 - 1);
      assert.equal(requests, 0, "nothing before the stagger");
      await h.step(1);
      assert.equal(requests, 1);
      h.scheduler.advance(INTERVAL - 1);
      assert.equal(requests, 1, "nothing before the interval");
      await h.step(1);
      assert.equal(requests, 2);
      h.runner.stop();
      assert.deepEqual(h.updates.map((u) => u.status), ["critical", "passing", "passing"]);
    } finally {
      server.off("request", counter);
    }
  });

  it("stop during a run reports nothing more and closes the connection", async () => {
    const h = harness(def({ HTTP: `${base}/hang` }));
    h.runner.start();
    const arrived = once(server, "request") as Promise<[http.IncomingMessage]>;
    h.scheduler.advance(0);
    const [req] = await arrived;
    const closed = once(req.socket, "close");
    h.runner.stop();
    await closed;
    assert.equal(h.scheduler.pending, 0);
    h.scheduler.advance(INTERVAL * 3);
    assert.deepEqual(h.updates, [{ status: "critical", output: "" }]);
  });

  it("applies thresholds across runs", async () => {
    const h = harness(
      def({ HTTP: `${base}/toggle`, SuccessBeforePassing: 2, FailuresBeforeWarning: 1, FailuresBeforeCritical: 3 }),
    );
    // Responses of the runs in order, and the status reported after each ("-": none).
    const plan: [number, CheckStatus | "-"][] = [
      [200, "passing"], // counters start at their thresholds, so the first result is reported at once
      [500, "warning"],
      [500, "warning"],
      [500, "critical"],
      [200, "-"],
      [200, "passing"],
    ];
    h.runner.start();
    const seen: (CheckStatus | "-")[] = [];
    for (const [i, [status]] of plan.entries()) {
      toggleStatus = status;
      const before = h.updates.length;
      await h.step(i === 0 ? 0 : INTERVAL);
      seen.push(h.updates.length > before ? (h.updates.at(-1)?.status ?? "-") : "-");
    }
    h.runner.stop();
    toggleStatus = 200;
    assert.deepEqual(seen, plan.map(([, want]) => want));
  });
});

describe("HTTPS check", () => {
  let server: https.Server;
  let port = 0;
  const seenServerNames: (string | false | null)[] = [];

  before(async () => {
    const dir = new URL("../../../../../src/registry/agent/checks/testdata/", import.meta.url);
    server = https.createServer(
      { key: readFileSync(new URL("server.key", dir)), cert: readFileSync(new URL("server.crt", dir)) },
      (req, res) => {
        seenServerNames.push((req.socket as TLSSocket).servername);
        res.end("secure");
      },
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const cases: [string, Partial<CheckDefinition>, CheckStatus, RegExp][] = [
    ["an untrusted certificate is critical", {}, "critical", /^Get "https:\/\/127\.0\.0\.1:\d+\/": .*self.signed/i],
    ["TLSSkipVerify accepts it", { TLSSkipVerify: true }, "passing", /^HTTP GET https:\/\/127\.0\.0\.1:\d+\/: 200 OK Output: secure$/],
  ];
  for (const [name, extra, status, output] of cases) {
    it(name, async () => {
      const h = harness({ CheckID: "tls", Name: "tls", HTTP: `https://127.0.0.1:${port}/`, IntervalMs: INTERVAL, ...extra });
      h.runner.start();
      await h.step(0);
      h.runner.stop();
      assert.equal(h.updates[1]?.status, status);
      assert.match(h.updates[1]?.output ?? "", output);
    });
  }

  it("sends TLSServerName as SNI", async () => {
    const h = harness({
      CheckID: "tls",
      Name: "tls",
      HTTP: `https://127.0.0.1:${port}/`,
      IntervalMs: INTERVAL,
      TLSSkipVerify: true,
      TLSServerName: "meridian.test",
    });
    h.runner.start();
    await h.step(0);
    h.runner.stop();
    assert.equal(h.updates[1]?.status, "passing");
    assert.equal(seenServerNames.at(-1), "meridian.test");
  });
});
