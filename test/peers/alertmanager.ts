import { configText, startPeer, type Peer, type PeerConfig, type StartOptions } from "./peer-process.js";

/** Options of `startAlertmanager`. */
export interface AlertmanagerOptions extends StartOptions {
  /** The alertmanager.yml content; a single blackhole receiver when omitted. */
  readonly config?: PeerConfig;
}

/** The smallest valid Alertmanager config: every alert goes to a receiver that sends nothing. */
export const MINIMAL_ALERTMANAGER_CONFIG = { route: { receiver: "null" }, receivers: [{ name: "null" }] };

/**
 * Starts a real Alertmanager; clustering is off (an empty cluster address) so it binds only its
 * own web port and never gossips with another test's instance.
 */
export async function startAlertmanager(options: AlertmanagerOptions = {}): Promise<Peer> {
  return startPeer(
    {
      name: "alertmanager",
      binary: "prometheus-alertmanager",
      files: { "alertmanager.yml": configText(options.config ?? MINIMAL_ALERTMANAGER_CONFIG) },
      dirs: ["data"],
      args: (dir, port) => [
        `--config.file=${dir}/alertmanager.yml`,
        `--storage.path=${dir}/data`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--cluster.listen-address=",
      ],
      readyPath: "/-/ready",
    },
    options,
  );
}
