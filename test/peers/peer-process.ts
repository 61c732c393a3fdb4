import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { findBinary } from "./availability.js";
import { PeerRequestError, PeerStartError } from "./errors.js";
import { LOOPBACK, freePort } from "./free-port.js";
import { pollUntil, type PollOptions } from "./poll.js";

/** A config given either as YAML text or as an object the harness serializes to YAML. */
export type PeerConfig = string | Readonly<Record<string, unknown>>;

/** Options every peer's start function accepts. */
export interface StartOptions {
  /** Extra command-line flags appended after the harness' own. */
  readonly args?: readonly string[];
  /** Stops the peer when aborted (and aborts a start in progress). */
  readonly signal?: AbortSignal;
  /** How long to wait for the readiness endpoint, in milliseconds. */
  readonly readyTimeoutMs?: number;
  /** How long `stop` waits after SIGTERM before sending SIGKILL, in milliseconds. */
  readonly stopTimeoutMs?: number;
}

/** A running peer process on its own loopback port and temp directory. */
export interface Peer {
  /** Short name used in messages, such as `prometheus`. */
  readonly name: string;
  /** Base URL, `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** The loopback port the peer listens on. */
  readonly port: number;
  /** The peer's process id. */
  readonly pid: number;
  /** The peer's private temp directory (config, data); removed by `stop`. */
  readonly dir: string;
  /** Everything the process wrote to stdout and stderr so far (the tail, when very long). */
  log(): string;
  /** Stops the process (SIGTERM, then SIGKILL after the stop timeout) and removes `dir`; idempotent. */
  stop(): Promise<void>;
  /** GETs `path` (with query `params`) and returns the response body as text; non-2xx throws. */
  get(path: string, params?: Readonly<Record<string, string>>): Promise<string>;
  /** Polls `probe` until it yields a value; see `pollUntil`. */
  waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, options?: PollOptions): Promise<T>;
}

/** What distinguishes one kind of peer from another. */
export interface PeerSpec {
  /** Short name used in messages. */
  readonly name: string;
  /** Executable name or path. */
  readonly binary: string;
  /** Files to write into the temp dir before start, by relative path. */
  readonly files: Readonly<Record<string, string>>;
  /** Directories to create inside the temp dir before start. */
  readonly dirs?: readonly string[];
  /** Command-line flags for a given temp dir and port. */
  args(dir: string, port: number): string[];
  /** Path polled until it answers 200. */
  readonly readyPath: string;
}

/** Serializes a config to YAML text unless it already is text. */
export function configText(config: PeerConfig): string {
  return typeof config === "string" ? config : stringify(config);
}

// The log is capped so a chatty peer cannot exhaust the test process' memory.
const LOG_LIMIT_BYTES = 4 * 1024 * 1024;
const START_ATTEMPTS = 5;

class LogBuffer {
  readonly #chunks: Buffer[] = [];
  #bytes = 0;

  append(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes > LOG_LIMIT_BYTES && this.#chunks.length > 1) {
      this.#bytes -= (this.#chunks.shift() as Buffer).length;
    }
  }

  text(): string {
    return Buffer.concat(this.#chunks).toString("utf8");
  }
}

/** Result of one start attempt: a ready peer, or a bind race worth retrying on another port. */
type Attempt = { readonly peer: Peer } | { readonly addressInUse: true; readonly log: string };

/**
 * Starts the peer described by `spec` on a fresh free port and temp dir and waits for readiness;
 * a lost race for the port (EADDRINUSE) is retried on a new port.
 */
export async function startPeer(spec: PeerSpec, options: StartOptions = {}): Promise<Peer> {
  const binary = findBinary(spec.binary);
  if (binary === undefined) throw new PeerStartError(`${spec.binary} not found on PATH`);
  let lastLog = "";
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    options.signal?.throwIfAborted();
    const result = await startOnce(spec, binary, options);
    if ("peer" in result) return result.peer;
    lastLog = result.log;
  }
  throw new PeerStartError(
    `${spec.name}: address in use on ${START_ATTEMPTS} ports in a row\n--- ${spec.name} log ---\n${lastLog}`,
  );
}

async function startOnce(spec: PeerSpec, binary: string, options: StartOptions): Promise<Attempt> {
  const dir = await mkdtemp(join(tmpdir(), `meridian-${spec.name}-`));
  try {
    for (const [rel, content] of Object.entries(spec.files)) {
      const path = join(dir, rel);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
    for (const rel of spec.dirs ?? []) await mkdir(join(dir, rel), { recursive: true });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const port = await freePort();
  const child = spawn(binary, [...spec.args(dir, port), ...(options.args ?? [])], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = new LogBuffer();
  child.stdout?.on("data", (chunk: Buffer) => log.append(chunk));
  child.stderr?.on("data", (chunk: Buffer) => log.append(chunk));
  // `once` rejects when 'error' fires instead (spawn failure); either way the process is gone.
  const exited = once(child, "exit").then(
    () => undefined,
    () => undefined,
  );
  // A spawn error (ENOENT, EACCES) is reported through 'error' and also ends as 'exit' or not at all.
  const spawnError = once(child, "error").then(([err]) => err as Error);
  const peer = makePeer(spec.name, port, dir, child, log, exited, options);
  if (child.pid === undefined) {
    const err = await spawnError;
    await rm(dir, { recursive: true, force: true });
    throw new PeerStartError(`${spec.name}: spawn ${binary} failed: ${err.message}`, { cause: err });
  }
  try {
    await pollUntil(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) return "exited" as const;
        const res = await fetch(`${peer.url}${spec.readyPath}`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        return res.ok ? ("ready" as const) : undefined;
      },
      {
        timeoutMs: options.readyTimeoutMs ?? 20_000,
        intervalMs: 50,
        what: `${spec.name} readiness at ${peer.url}${spec.readyPath}`,
        ...(options.signal ? { signal: options.signal } : {}),
      },
    ).then(async (state) => {
      if (state === "exited") {
        await exited;
        throw new PeerStartError(`${spec.name} exited during start (code ${child.exitCode}, signal ${child.signalCode})`);
      }
    });
  } catch (err) {
    await peer.stop();
    const text = log.text();
    if (/address already in use|EADDRINUSE/i.test(text)) return { addressInUse: true, log: text };
    const message = err instanceof Error ? err.message : String(err);
    throw new PeerStartError(`${spec.name} did not start: ${message}\n--- ${spec.name} log ---\n${text}`, {
      cause: err,
    });
  }
  return { peer };
}

function makePeer(
  name: string,
  port: number,
  dir: string,
  child: ChildProcess,
  log: LogBuffer,
  exited: Promise<void>,
  options: StartOptions,
): Peer {
  const url = `http://${LOOPBACK}:${port}`;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  let stopping: Promise<void> | undefined;
  const onAbort = (): void => void peer.stop();

  async function terminate(): Promise<void> {
    options.signal?.removeEventListener("abort", onAbort);
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill("SIGTERM");
      const timer = AbortSignal.timeout(stopTimeoutMs);
      const timedOut = once(timer, "abort").then(() => true);
      if (await Promise.race([exited.then(() => false), timedOut])) {
        child.kill("SIGKILL");
        await exited;
      }
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
    await rm(dir, { recursive: true, force: true });
  }

  const peer: Peer = {
    name,
    url,
    port,
    pid: child.pid ?? -1,
    dir,
    log: () => log.text(),
    stop: () => (stopping ??= terminate()),
    async get(path, params) {
      const query = params ? `?${new URLSearchParams(params).toString()}` : "";
      let res: Response;
      try {
        res = await fetch(`${url}${path}${query}`, {
          signal: options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(30_000)]) : AbortSignal.timeout(30_000),
        });
      } catch (err) {
        throw new PeerRequestError(`${name}: GET ${path} failed: ${(err as Error).message}`, { cause: err });
      }
      const body = await res.text();
      if (!res.ok) throw new PeerRequestError(`${name}: GET ${path}${query} returned ${res.status}: ${body}`);
      return body;
    },
    waitFor: (probe, pollOptions) =>
      pollUntil(probe, { ...(options.signal ? { signal: options.signal } : {}), ...pollOptions }),
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  return peer;
}
