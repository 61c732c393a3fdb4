import assert from "node:assert/strict";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import * as net from "node:net";
import * as tls from "node:tls";
import { after, before, describe, it } from "node:test";
import { addressOf, closedPort, harness } from "./test-harness.js";
import type { CheckDefinition, CheckStatus } from "./types.js";

const INTERVAL = 30_000;
const TIMEOUT = 5_000;

describe("TCP check", () => {
  let plain: net.Server;
  let secure: tls.Server;
  const sockets = new Set<net.Socket>();
  let refused = "";

  before(async () => {
    // Accepts and stays silent, so a TLS handshake against it can only time out.
    plain = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    const dir = new URL("../../../../../src/registry/agent/checks/testdata/", import.meta.url);
    secure = tls.createServer({ key: readFileSync(new URL("server.key", dir)), cert: readFileSync(new URL("server.crt", dir)) }, (s) => s.end());
    secure.on("tlsClientError", () => undefined);
    plain.listen(0, "127.0.0.1");
    secure.listen(0, "127.0.0.1");
    await Promise.all([once(plain, "listening"), once(secure, "listening")]);
    refused = await closedPort();
  });
  after(() => {
    for (const s of sockets) s.destroy();
    plain.close();
    secure.close();
  });

  const def = (extra: Partial<CheckDefinition>): CheckDefinition => ({
    CheckID: "db",
    Name: "db",
    IntervalMs: INTERVAL,
    TimeoutMs: TIMEOUT,
    ...extra,
  });

  const cases: { name: string; def: () => CheckDefinition; status: CheckStatus; output: () => string | RegExp; hangs?: boolean }[] = [
    {
      name: "a connection is passing",
      def: () => def({ TCP: addressOf(plain) }),
      status: "passing",
      output: () => `TCP connect ${addressOf(plain)}: Success`,
    },
    {
      name: "refused is critical",
      def: () => def({ TCP: refused }),
      status: "critical",
      output: () => `dial tcp ${refused}: connect: connection refused`,
    },
    {
      name: "an address without port is critical",
      def: () => def({ TCP: "127.0.0.1" }),
      status: "critical",
      output: () => "dial tcp: address 127.0.0.1: missing port in address",
    },
    {
      name: "a TLS handshake is passing",
      def: () => def({ TCP: addressOf(secure), TCPUseTLS: true, TLSSkipVerify: true }),
      status: "passing",
      output: () => `TCP+TLS connect ${addressOf(secure)}: Success`,
    },
    {
      name: "an untrusted certificate is critical",
      def: () => def({ TCP: addressOf(secure), TCPUseTLS: true }),
      status: "critical",
      output: () => /self.signed/i,
    },
    {
      name: "a handshake that never completes times out",
      def: () => def({ TCP: addressOf(plain), TCPUseTLS: true }),
      status: "critical",
      output: () => `dial tcp ${addressOf(plain)}: i/o timeout`,
      hangs: true,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const h = harness(c.def());
      h.runner.start();
      if (c.hangs === true) {
        const accepted = once(plain, "connection");
        h.scheduler.advance(0);
        await accepted;
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

  it("stop during a handshake closes the socket and reports nothing", async () => {
    const h = harness(def({ TCP: addressOf(plain), TCPUseTLS: true }));
    h.runner.start();
    const accepted = once(plain, "connection") as Promise<[net.Socket]>;
    h.scheduler.advance(0);
    const [socket] = await accepted;
    const closed = once(socket, "close");
    h.runner.stop();
    await closed;
    assert.equal(h.scheduler.pending, 0);
    assert.deepEqual(h.updates, [{ status: "critical", output: "" }]);
  });
});
