import * as net from "node:net";
import * as tls from "node:tls";
import { parseHostPort, serverName } from "./host-port.js";
import type { Probe } from "./interval-check.js";
import { describeDialError } from "./output.js";
import type { CheckDefinition } from "./types.js";

/** Builds the probe of a TCP check: passing when a connection (and, with TCPUseTLS, a handshake) succeeds. */
export function tcpProbe(def: CheckDefinition): Probe {
  const address = def.TCP ?? "";
  const useTls = def.TCPUseTLS === true;
  const label = useTls ? "TCP+TLS" : "TCP";
  return async (signal) => {
    const target = parseHostPort(address);
    if (typeof target === "string") return { status: "critical", output: `dial tcp: ${target}` };
    try {
      await connect(signal, () =>
        useTls
          ? tls.connect({
              host: target.host,
              port: target.port,
              servername: serverName(target.host, def.TLSServerName),
              rejectUnauthorized: !def.TLSSkipVerify,
            })
          : net.connect({ host: target.host, port: target.port }),
        useTls ? "secureConnect" : "connect",
      );
    } catch (err) {
      const output = signal.aborted ? `dial tcp ${address}: i/o timeout` : describeDialError(err, address);
      return { status: "critical", output };
    }
    return { status: "passing", output: `${label} connect ${address}: Success` };
  };
}

/** Opens a socket, waits for `ready`, and closes it again; the socket never outlives the call. */
function connect(signal: AbortSignal, open: () => net.Socket, ready: "connect" | "secureConnect"): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = open();
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    const finish = (err?: Error): void => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      if (err === undefined) resolve();
      else reject(err);
    };
    socket.once(ready, () => finish());
    socket.once("error", finish);
  });
}
