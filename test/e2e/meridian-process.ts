import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** Path of the compiled CLI entry point. */
export const MERIDIAN_BIN = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));

/** A running `meridian` child process. */
export interface MeridianProcess {
  readonly child: ChildProcess;
  /** Base URL printed by the process once it listens. */
  readonly url: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited(): Promise<number | string>;
  /** Sends SIGKILL if it is still running. */
  kill(): void;
}

/**
 * Starts `meridian <args>` and resolves once it printed its URL ("running at …"), or rejects with
 * its output when it exits first or `timeoutMs` passes.
 */
export async function startMeridian(args: readonly string[], timeoutMs = 10_000): Promise<MeridianProcess> {
  const child = spawn(process.execPath, [MERIDIAN_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr.on("data", (b: Buffer) => (output += b.toString()));
  const exit = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`meridian did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", check);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`meridian exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited: () => exit, kill };
}

/** Runs `meridian <args>` to completion and returns its exit code and output. */
export async function runMeridian(args: readonly string[]): Promise<{ code: number | string; output: string }> {
  const child = spawn(process.execPath, [MERIDIAN_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr.on("data", (b: Buffer) => (output += b.toString()));
  const [code, signal] = (await once(child, "exit")) as [number | null, string | null];
  return { code: code ?? signal ?? -1, output };
}

/** Resolves with `value` when `promise` settles within `ms`, otherwise rejects naming `what`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
