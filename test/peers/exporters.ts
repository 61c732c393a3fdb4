import { configText, startPeer, type Peer, type PeerConfig, type StartOptions } from "./peer-process.js";

/** Options of `startBlackboxExporter`. */
export interface BlackboxOptions extends StartOptions {
  /** The blackbox.yml content; one `http_2xx` and one `tcp_connect` module when omitted. */
  readonly config?: PeerConfig;
}

/** A small blackbox config with the modules most tests probe with. */
export const DEFAULT_BLACKBOX_CONFIG = {
  modules: {
    http_2xx: { prober: "http", timeout: "5s" },
    tcp_connect: { prober: "tcp", timeout: "5s" },
  },
};

/** Starts a real blackbox_exporter on its own loopback port. */
export async function startBlackboxExporter(options: BlackboxOptions = {}): Promise<Peer> {
  return startPeer(
    {
      name: "blackbox_exporter",
      binary: "prometheus-blackbox-exporter",
      files: { "blackbox.yml": configText(options.config ?? DEFAULT_BLACKBOX_CONFIG) },
      args: (dir, port) => [`--config.file=${dir}/blackbox.yml`, `--web.listen-address=127.0.0.1:${port}`],
      readyPath: "/metrics",
    },
    options,
  );
}

/** Options of `startNodeExporter`. */
export interface NodeExporterOptions extends StartOptions {
  /** Files for the textfile collector (`name.prom` → exposition text), served as extra metrics. */
  readonly textfiles?: Readonly<Record<string, string>>;
}

/**
 * Starts a real node_exporter on its own loopback port; its textfile collector reads a directory
 * inside the temp dir, so a test can add known series without touching the host.
 */
export async function startNodeExporter(options: NodeExporterOptions = {}): Promise<Peer> {
  const files = Object.fromEntries(
    Object.entries(options.textfiles ?? {}).map(([name, text]) => [`textfile/${name}`, text]),
  );
  return startPeer(
    {
      name: "node_exporter",
      binary: "prometheus-node-exporter",
      files,
      dirs: ["textfile"],
      args: (dir, port) => [
        `--web.listen-address=127.0.0.1:${port}`,
        `--collector.textfile.directory=${dir}/textfile`,
      ],
      readyPath: "/metrics",
    },
    options,
  );
}
