import assert from "node:assert/strict";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import {
  decodeHealthCheckRequest,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  encodeHealthCheckResponse,
  frameMessage,
  HEALTH_CHECK_PATH,
  unframeMessage,
} from "./grpc-health-wire.js";
import { closedPort, harness } from "./test-harness.js";
import type { CheckDefinition, CheckStatus } from "./types.js";

const INTERVAL = 30_000;
const TIMEOUT = 5_000;

/** Serving status per service name, as a health server registry would hold it. */
const SERVICES = new Map<string, number>([
  ["", 1],
  ["web", 1],
  ["draining", 2],
]);

/** A gRPC health server over plain node:http2, speaking the same framing a gRPC library does. */
function serveHealth(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
  if (headers[":path"] !== HEALTH_CHECK_PATH) {
    stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "12" }, { endStream: true });
    return;
  }
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  stream.on("end", () => {
    const service = decodeHealthCheckRequest(unframeMessage(Buffer.concat(chunks)));
    if (service === "hang") return;
    const status = SERVICES.get(service);
    stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
    stream.on("wantTrailers", () =>
      stream.sendTrailers(
        status === undefined ? { "grpc-status": "5", "grpc-message": "unknown%20service" } : { "grpc-status": "0" },
      ),
    );
    stream.end(status === undefined ? undefined : frameMessage(encodeHealthCheckResponse(status)));
  });
}

describe("gRPC health wire", () => {
  const cases: [string, Uint8Array][] = [
    ["", new Uint8Array(0)],
    ["web", Uint8Array.from([0x0a, 3, 0x77, 0x65, 0x62])],
    ["s".repeat(200), Buffer.concat([Buffer.from([0x0a, 0xc8, 0x01]), Buffer.from("s".repeat(200))])],
  ];
  for (const [service, bytes] of cases) {
    it(`encodes HealthCheckRequest{service=${JSON.stringify(service.slice(0, 8))}}`, () => {
      assert.deepEqual(Buffer.from(encodeHealthCheckRequest(service)), Buffer.from(bytes));
      assert.equal(decodeHealthCheckRequest(bytes), service);
    });
  }

  it("skips unknown fields of a response and frames messages", () => {
    // field 2 (string "x"), field 1 = 2 (NOT_SERVING), field 3 fixed32.
    const message = Uint8Array.from([0x12, 1, 0x78, 0x08, 2, 0x1d, 0, 0, 0, 0]);
    assert.equal(decodeHealthCheckResponse(message), 2);
    assert.deepEqual(Buffer.from(unframeMessage(frameMessage(message))), Buffer.from(message));
    assert.throws(() => unframeMessage(Uint8Array.from([1, 0, 0, 0, 0])), /compressed/);
    assert.throws(() => unframeMessage(Uint8Array.from([0, 0, 0, 0, 9, 1])), /truncated/);
  });
});

describe("gRPC check", () => {
  let server: http2.Http2Server;
  let secure: http2.Http2SecureServer;
  let address = "";
  let secureAddress = "";
  let refused = "";
  const sessions = new Set<http2.ServerHttp2Session>();

  before(async () => {
    server = http2.createServer();
    server.on("stream", serveHealth);
    const dir = new URL("../../../../../src/registry/agent/checks/testdata/", import.meta.url);
    secure = http2.createSecureServer({ key: readFileSync(new URL("server.key", dir)), cert: readFileSync(new URL("server.crt", dir)) });
    secure.on("stream", serveHealth);
    for (const s of [server, secure]) {
      s.on("session", (session: http2.ServerHttp2Session) => {
        sessions.add(session);
        session.on("close", () => sessions.delete(session));
      });
    }
    server.listen(0, "127.0.0.1");
    secure.listen(0, "127.0.0.1");
    await Promise.all([once(server, "listening"), once(secure, "listening")]);
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    secureAddress = `127.0.0.1:${(secure.address() as AddressInfo).port}`;
    refused = await closedPort();
  });
  after(() => {
    for (const s of sessions) s.destroy();
    server.close();
    secure.close();
  });

  const def = (extra: Partial<CheckDefinition>): CheckDefinition => ({
    CheckID: "rpc",
    Name: "rpc",
    IntervalMs: INTERVAL,
    TimeoutMs: TIMEOUT,
    ...extra,
  });

  const cases: { name: string; def: () => CheckDefinition; status: CheckStatus; output: () => string | RegExp; hangs?: boolean }[] = [
    { name: "server health SERVING is passing", def: () => def({ GRPC: address }), status: "passing", output: () => `gRPC check ${address}: success` },
    { name: "service SERVING is passing", def: () => def({ GRPC: `${address}/web` }), status: "passing", output: () => `gRPC check ${address}/web: success` },
    {
      name: "NOT_SERVING is critical",
      def: () => def({ GRPC: `${address}/draining` }),
      status: "critical",
      output: () => `gRPC ${address}/draining serving status: NOT_SERVING`,
    },
    {
      name: "an error status is critical with its message",
      def: () => def({ GRPC: `${address}/nope` }),
      status: "critical",
      output: () => "rpc error: code = NotFound desc = unknown service",
    },
    {
      name: "refused is critical",
      def: () => def({ GRPC: refused }),
      status: "critical",
      output: () =>
        `rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp ${refused}: connect: connection refused"`,
    },
    {
      name: "no answer within the timeout is critical",
      def: () => def({ GRPC: `${address}/hang` }),
      status: "critical",
      output: () => "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
      hangs: true,
    },
    {
      name: "TLS with TLSSkipVerify is passing",
      def: () => def({ GRPC: `${secureAddress}/web`, GRPCUseTLS: true, TLSSkipVerify: true }),
      status: "passing",
      output: () => `gRPC check ${secureAddress}/web: success`,
    },
    {
      name: "TLS with an untrusted certificate is critical",
      def: () => def({ GRPC: `${secureAddress}/web`, GRPCUseTLS: true }),
      status: "critical",
      output: () => /^rpc error: code = Unavailable .*self.signed/i,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const h = harness(c.def());
      h.runner.start();
      if (c.hangs === true) {
        const arrived = once(server, "stream");
        h.scheduler.advance(0);
        await arrived;
        h.scheduler.advance(TIMEOUT);
      } else {
        h.scheduler.advance(0);
      }
      await h.scheduler.whenScheduled(INTERVAL);
      h.runner.stop();
      assert.equal(h.updates.length, 2);
      assert.equal(h.updates[1]?.status, c.status);
      const want = c.output();
      if (typeof want === "string") assert.equal(h.updates[1]?.output, want);
      else assert.match(h.updates[1]?.output ?? "", want);
      assert.equal(h.scheduler.pending, 0);
    });
  }
});
