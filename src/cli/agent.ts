import { Command } from "commander";
import { createAgentRole } from "../registry/index.js";
import { createLogger, createMetricsRegistry, systemClock, type BuildInfo, type Level } from "../runtime/index.js";
import { addLogLevel, advertiseAddress, checkListen, collectPairs, defaultNodeName } from "./common.js";
import { serve } from "./serve.js";

interface AgentFlags {
  listen: string;
  server: string;
  datacenter: string;
  node?: string;
  address?: string;
  configDir?: string;
  token?: string;
  nodeMeta?: Record<string, string>;
  logLevel?: Level;
}

/** `meridian agent`: a Consul-compatible client agent that registers this node's services. */
export function agentCommand(build: BuildInfo, result: { code: number }): Command {
  const cmd = new Command("agent")
    .description("run a client agent: registers this node's services, runs their checks, syncs them to a registry")
    .option("--listen <host:port>", "address of the Consul HTTP API", checkListen, "127.0.0.1:8500")
    .requiredOption("--server <url>", "base URL of a registry server (or a real Consul server)")
    .option("--datacenter <name>", "name of this datacenter", "dc1")
    .option("--node <name>", "name of this node (default: the host name)")
    .option("--address <ip>", "address of this node (default: the listen host)")
    .option("--config-dir <dir>", "directory of JSON service definitions, reloaded on SIGHUP")
    .option("--token <secret>", "ACL token for the agent's own writes to the server")
    .option("--node-meta <key:value>", "metadata of this node (repeatable)", collectPairs);
  addLogLevel(cmd).action(async (flags: AgentFlags) => {
    const logger = createLogger({ level: flags.logLevel ?? "info" });
    const metrics = createMetricsRegistry(build);
    const role = createAgentRole({
      logger,
      clock: systemClock(),
      metrics,
      version: build.version,
      revision: build.revision,
      serverUrl: flags.server,
      datacenter: flags.datacenter,
      node: flags.node ?? defaultNodeName(),
      address: flags.address ?? advertiseAddress(flags.listen),
      configDir: flags.configDir,
      token: flags.token,
      nodeMeta: flags.nodeMeta,
    });
    result.code = await serve({
      listen: flags.listen,
      logger,
      registry: metrics,
      services: role.services,
      routes: [role.routes],
      reload: () => role.agent.reload(),
      banner: (url) => [`  consul api  ${url}/v1/`, `  server      ${flags.server}`],
    });
  });
  return cmd;
}
