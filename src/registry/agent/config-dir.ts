import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { CONFIG_FILE } from "../http/bodies.js";
import { decodeObject } from "../http/decode.js";
import type { CheckDefinition } from "./checks/index.js";
import { parseCheckDefinition, parseServiceDefinition, type ServiceDefinition } from "./definitions.js";
import { AgentConfigError } from "./errors.js";

/** What one config-dir file defines. */
export interface ConfigFile {
  /** Path of the file. */
  readonly file: string;
  readonly services: readonly ServiceDefinition[];
  /** Checks defined on their own (`check`/`checks`), not inside a service. */
  readonly checks: readonly CheckDefinition[];
}

/**
 * Reads every `*.json` file of a Consul config dir, in name order, as `{"service": …}`,
 * `{"services": […]}`, `{"check": …}` or `{"checks": […]}`. All-or-nothing: the first bad file
 * rejects with AgentConfigError naming the file and the field.
 */
export async function loadConfigDir(dir: string): Promise<ConfigFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  } catch (err) {
    throw new AgentConfigError(`cannot read config dir ${JSON.stringify(dir)}: ${(err as Error).message}`, { cause: err });
  }
  const out: ConfigFile[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new AgentConfigError(`cannot read config file ${JSON.stringify(file)}: ${(err as Error).message}`, { cause: err });
    }
    out.push(parseConfigFile(file, text));
  }
  return out;
}

/** Parses one config file's text; throws AgentConfigError naming `file` and the field. */
export function parseConfigFile(file: string, text: string): ConfigFile {
  const fail = (err: unknown): never => {
    const message = (err as Error).message.replace(/^Request decode failed: /, "");
    throw new AgentConfigError(`invalid config file ${JSON.stringify(file)}: ${message}`, { cause: err });
  };
  let json: unknown = {};
  try {
    if (text.trim() !== "") json = JSON.parse(text);
  } catch (err) {
    throw new AgentConfigError(`invalid config file ${JSON.stringify(file)}: invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  try {
    const raw = decodeObject(json, CONFIG_FILE);
    const services = [
      ...(raw["Service"] ? [parseServiceDefinition(raw["Service"], "Service")] : []),
      ...((raw["Services"] as unknown[] | undefined) ?? []).map((s, i) => parseServiceDefinition(s, `Services[${i}]`)),
    ];
    const checks = [
      ...(raw["Check"] ? [parseCheckDefinition(raw["Check"], "Check")] : []),
      ...((raw["Checks"] as unknown[] | undefined) ?? []).map((c, i) => parseCheckDefinition(c, `Checks[${i}]`)),
    ];
    return { file, services, checks };
  } catch (err) {
    return fail(err);
  }
}
