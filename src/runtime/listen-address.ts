import { MeridianError } from "../model/index.js";

/** A parsed `host:port` listen address. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** A listen address that is not `host:port`. */
export class ListenAddressError extends MeridianError {
  constructor(input: string, reason: string) {
    super("invalid_listen_address", `invalid listen address "${input}": ${reason}`);
  }
}

/**
 * Parses a listen address as the Go tools take it: `host:port`, `[v6]:port`, or `:port` for all
 * interfaces. Port 0 asks the kernel for a free port.
 */
export function parseListenAddress(input: string): ListenAddress {
  const colon = input.lastIndexOf(":");
  if (colon < 0) throw new ListenAddressError(input, "missing port");
  let host = input.slice(0, colon);
  const portText = input.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new ListenAddressError(input, `bad port "${portText}"`);
  if (host.startsWith("[")) {
    if (!host.endsWith("]")) throw new ListenAddressError(input, "unclosed [");
    host = host.slice(1, -1);
  } else if (host.includes(":")) {
    throw new ListenAddressError(input, "IPv6 addresses must be in brackets");
  }
  return { host: host === "" ? "0.0.0.0" : host, port: Number(portText) };
}

/** Formats an address for URLs: IPv6 hosts get brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
