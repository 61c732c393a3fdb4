import { resolve } from "node:path";
import { Command } from "commander";
import { createRegistryRole } from "../registry/index.js";
import { createLogger, createMetricsRegistry, systemClock, type BuildInfo, type Level } from "../runtime/index.js";
import { addLogLevel, advertiseAddress, checkListen, collect, collectPairs, defaultNodeName } from "./common.js";
import { serve } from "./serve.js";

interface RegistryFlags {
  listen: string;
  dataDir: string;
  datacenter: string;
  joinWan?: string[];
  node?: string;
  address?: string;
  configDir?: string;
  aclBootstrapToken?: string;
  nodeMeta?: Record<string, string>;
  logLevel?: Level;
}

/** `meridian registry`: a Consul-compatible catalog server (with its own local agent). */
export function registryCommand(build: BuildInfo, result: { code: number }): Command {
  const cmd = new Command("registry")
    .description("run a registry server: the Consul-compatible service catalog of one datacenter")
    .option("--listen <host:port>", "address of the Consul HTTP API", checkListen, "127.0.0.1:8500")
    .option("--data-dir <dir>", "directory of the catalog journal and ACL state", "./data/registry")
    .option("--datacenter <name>", "name of this datacenter", "dc1")
    .option("--join-wan <url>", "base URL of a server of another datacenter (repeatable)", collect)
    .option("--node <name>", "name of this server's node (default: the host name)")
    .option("--address <ip>", "address of this server's node (default: the listen host)")
    .option("--config-dir <dir>", "directory of JSON service definitions for this node")
    .option("--node-meta <key:value>", "metadata of this server's node (repeatable)", collectPairs)
    .option("--acl-bootstrap-token <secret>", "turn ACLs on, with this management token");
  addLogLevel(cmd).action(async (flags: RegistryFlags) => {
    const logger = createLogger({ level: flags.logLevel ?? "info" });
    const metrics = createMetricsRegistry(build);
    let role;
    try {
      role = await createRegistryRole({
        logger,
        clock: systemClock(),
        metrics,
        version: build.version,
        revision: build.revision,
        datacenter: flags.datacenter,
        dataDir: resolve(flags.dataDir),
        node: flags.node ?? defaultNodeName(),
        address: flags.address ?? advertiseAddress(flags.listen),
        configDir: flags.configDir,
        nodeMeta: flags.nodeMeta,
        joinWan: flags.joinWan,
        aclBootstrapToken: flags.aclBootstrapToken,
        serverAddress: flags.listen,
      });
    } catch (err) {
      logger.error({ err }, "cannot set up the registry");
      result.code = 1;
      return;
    }
    result.code = await serve({
      listen: flags.listen,
      logger,
      registry: metrics,
      services: role.services,
      routes: [role.routes],
      reload: () => role.agent.reload(),
      banner: (url) => [`  consul api  ${url}/v1/`, `  datacenter  ${flags.datacenter}`],
    });
  });
  return cmd;
}
