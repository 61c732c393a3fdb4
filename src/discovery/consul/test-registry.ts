/** A real in-process Meridian registry on a loopback port, for discovery's tests. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import Fastify, { type FastifyRequest } from "fastify";
import { Registry } from "prom-client";
import { ConsulClient, createRegistryRole } from "../../registry/index.js";
import { silentLogger, systemClock } from "../../runtime/index.js";

/** Options of `startRegistry`. */
export interface TestRegistryOptions {
  readonly datacenter?: string;
  readonly nodeMeta?: Readonly<Record<string, string>>;
  readonly aclBootstrapToken?: string;
  /** Serves the Consul API under this path (as behind a reverse proxy). */
  readonly prefix?: string;
  /** Sees every request, e.g. to check headers and parameters. */
  readonly onRequest?: (req: FastifyRequest) => void;
}

/** A running registry: `server` is its `host:port`, `client` talks to it with the bootstrap token. */
export interface TestRegistry {
  readonly url: string;
  readonly server: string;
  readonly client: ConsulClient;
  close(): Promise<void>;
}

/** Starts a registry (server and its agent, node `node-a` at 127.0.0.1) that stops when `t` ends. */
export async function startRegistry(t: TestContext | undefined, opts: TestRegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), "meridian-discovery-registry-"));
  const role = await createRegistryRole({
    logger: silentLogger(),
    clock: systemClock(),
    metrics: new Registry(),
    version: "0.0.0-test",
    revision: "test",
    datacenter: opts.datacenter ?? "dc-test",
    dataDir: dir,
    node: "node-a",
    address: "127.0.0.1",
    nodeMeta: opts.nodeMeta,
    aclBootstrapToken: opts.aclBootstrapToken,
    serverAddress: "127.0.0.1:8300",
    fsync: "never",
  });
  const lifetime = new AbortController();
  for (const s of role.services) await s.start(lifetime.signal);
  // Blocking queries would otherwise hold `close` for their whole wait.
  const app = Fastify({ forceCloseConnections: true });
  if (opts.onRequest) {
    const seen = opts.onRequest;
    app.addHook("onRequest", async (req) => seen(req));
  }
  await app.register(async (scope) => role.routes(scope), { prefix: opts.prefix ?? "" });
  const url = `${await app.listen({ host: "127.0.0.1", port: 0 })}${opts.prefix ?? ""}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    lifetime.abort();
    await app.close();
    for (const s of [...role.services].reverse()) await s.stop();
    await rm(dir, { recursive: true, force: true });
  };
  t?.after(close);
  return { url, server: new URL(url).host, client: new ConsulClient({ baseUrl: url, token: opts.aclBootstrapToken }), close };
}
