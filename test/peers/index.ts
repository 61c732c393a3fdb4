// The peer harness: starts real Prometheus-ecosystem processes for conformance tests.
export { peerAvailable, requirePeer, findBinary } from "./availability.js";
export { PeerError, PeerRequestError, PeerStartError, PeerTimeoutError, PeerUnavailableError } from "./errors.js";
export { LOOPBACK, freePort, portIsFree } from "./free-port.js";
export { pollUntil } from "./poll.js";
export type { PollOptions } from "./poll.js";
export { configText, startPeer } from "./peer-process.js";
export type { Peer, PeerConfig, PeerSpec, StartOptions } from "./peer-process.js";
export { startPrometheus } from "./prometheus.js";
export type { PrometheusOptions, PrometheusPeer, PromMatrixSeries, PromQueryData, PromVectorSample } from "./prometheus.js";
export { MINIMAL_ALERTMANAGER_CONFIG, startAlertmanager } from "./alertmanager.js";
export type { AlertmanagerOptions } from "./alertmanager.js";
export { DEFAULT_BLACKBOX_CONFIG, startBlackboxExporter, startNodeExporter } from "./exporters.js";
export type { BlackboxOptions, NodeExporterOptions } from "./exporters.js";
export { runWithPeerLog, withPeer } from "./test-context.js";
