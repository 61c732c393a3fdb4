import { hostname } from "node:os";
import { InvalidArgumentError, Option, type Command } from "commander";
import { LOG_LEVELS, parseListenAddress, type Level } from "../runtime/index.js";

/** Flags every role shares. */
export interface CommonFlags {
  readonly logLevel?: Level;
}

/** Adds `--log-level` to a command. */
export function addLogLevel(cmd: Command, defaultLevel = "info"): Command {
  return cmd.addOption(new Option("--log-level <level>", `minimum log level (default "${defaultLevel}")`).choices(LOG_LEVELS));
}

/** Validates a `host:port` flag value for commander. */
export function checkListen(value: string): string {
  try {
    parseListenAddress(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

/** Collects a repeatable flag into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Parses repeated `key:value` flags into a record. */
export function collectPairs(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const i = value.indexOf(":");
  if (i <= 0) throw new InvalidArgumentError(`expected key:value, got "${value}"`);
  return { ...(previous ?? {}), [value.slice(0, i)]: value.slice(i + 1) };
}

/** The default node name, as Consul picks it: the host name. */
export function defaultNodeName(): string {
  return hostname();
}

/** The address a role advertises: its listen host, or loopback when it listens on all interfaces. */
export function advertiseAddress(listen: string): string {
  const { host } = parseListenAddress(listen);
  return host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
}
