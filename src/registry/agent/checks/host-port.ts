import { isIP } from "node:net";

/** A dial target split from Consul's `host:port` notation (IPv6 hosts in brackets). */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Splits `host:port` or `[v6]:port`; returns Go's wording as an error string when it cannot. */
export function parseHostPort(address: string): HostPort | string {
  const colon = address.lastIndexOf(":");
  if (colon < 0) return `address ${address}: missing port in address`;
  let host = address.slice(0, colon);
  const portText = address.slice(colon + 1);
  if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
  else if (host.includes(":")) return `address ${address}: too many colons in address`;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) return `address ${address}: invalid port`;
  return { host: host === "" ? "localhost" : host, port };
}

/** The SNI name to send: the configured one, else the host when it is a name (SNI forbids IPs). */
export function serverName(host: string, configured: string | undefined): string | undefined {
  if (configured !== undefined && configured !== "") return configured;
  return isIP(host) === 0 ? host : undefined;
}
