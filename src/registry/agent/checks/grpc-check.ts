import * as http2 from "node:http2";
import {
  GRPC_CODE_NAMES,
  HEALTH_CHECK_PATH,
  SERVING_STATUS_NAMES,
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
  frameMessage,
  unframeMessage,
} from "./grpc-health-wire.js";
import { parseHostPort, serverName } from "./host-port.js";
import type { Probe } from "./interval-check.js";
import { describeDialError } from "./output.js";
import type { CheckDefinition } from "./types.js";

/** A gRPC call that ended with a non-OK status, worded as grpc-go words it. */
class RpcError extends Error {
  constructor(code: number, desc: string) {
    super(`rpc error: code = ${GRPC_CODE_NAMES[code] ?? `Code(${code})`} desc = ${desc}`);
  }
}

const UNAVAILABLE = 14;
const INTERNAL = 13;

/**
 * Builds the probe of a gRPC check: `grpc.health.v1.Health/Check` over HTTP/2, passing only on
 * SERVING. `GRPC` is `host:port` or `host:port/service`, as in Consul.
 */
export function grpcProbe(def: CheckDefinition): Probe {
  const target = def.GRPC ?? "";
  const slash = target.indexOf("/");
  const address = slash < 0 ? target : target.slice(0, slash);
  const service = slash < 0 ? "" : target.slice(slash + 1);
  return async (signal) => {
    const hostPort = parseHostPort(address);
    if (typeof hostPort === "string") return { status: "critical", output: hostPort };
    try {
      const status = await callHealthCheck(signal, {
        authority: `${def.GRPCUseTLS ? "https" : "http"}://${address}`,
        address,
        service,
        rejectUnauthorized: !def.TLSSkipVerify,
        servername: def.GRPCUseTLS ? serverName(hostPort.host, def.TLSServerName) : undefined,
      });
      if (status !== 1) {
        return { status: "critical", output: `gRPC ${target} serving status: ${SERVING_STATUS_NAMES[status] ?? String(status)}` };
      }
      return { status: "passing", output: `gRPC check ${target}: success` };
    } catch (err) {
      const output = signal.aborted
        ? "rpc error: code = DeadlineExceeded desc = context deadline exceeded"
        : err instanceof Error ? err.message : String(err);
      return { status: "critical", output };
    }
  };
}

interface HealthCall {
  readonly authority: string;
  readonly address: string;
  readonly service: string;
  readonly rejectUnauthorized: boolean;
  readonly servername: string | undefined;
}

/** One unary call on a session of its own; the session is closed whatever the outcome. */
function callHealthCheck(signal: AbortSignal, call: HealthCall): Promise<number> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const session = http2.connect(call.authority, {
      rejectUnauthorized: call.rejectUnauthorized,
      servername: call.servername,
    });
    let settled = false;
    const finish = (err: Error | undefined, status?: number): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener("abort", onAbort);
      session.destroy();
      if (err !== undefined) reject(err);
      else resolve(status ?? 0);
    };
    const onAbort = (): void => finish(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    const dialFailed = (err: unknown): RpcError =>
      new RpcError(UNAVAILABLE, `connection error: desc = "transport: Error while dialing: ${describeDialError(err, call.address)}"`);
    session.on("error", (err) => finish(dialFailed(err)));

    const req = session.request({
      ":method": "POST",
      ":path": HEALTH_CHECK_PATH,
      "content-type": "application/grpc",
      te: "trailers",
    });
    const chunks: Buffer[] = [];
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    req.on("response", (h) => (headers = h));
    req.on("trailers", (t) => (trailers = t));
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A failed dial surfaces first on the pending stream, carrying the socket error as its cause.
    req.on("error", (err: NodeJS.ErrnoException) =>
      finish(err.code === "ERR_HTTP2_STREAM_CANCEL" && err.cause !== undefined ? dialFailed(err.cause) : new RpcError(UNAVAILABLE, err.message)),
    );
    req.on("end", () => {
      try {
        finish(undefined, interpret(headers, trailers, Buffer.concat(chunks)));
      } catch (err) {
        finish(err as Error);
      }
    });
    req.end(frameMessage(encodeHealthCheckRequest(call.service)));
  });
}

/** Turns a finished exchange into a serving status, or the gRPC error it carried. */
function interpret(headers: http2.IncomingHttpHeaders, trailers: http2.IncomingHttpHeaders, body: Buffer): number {
  const httpStatus = Number(headers[":status"]);
  if (httpStatus !== 200) throw new RpcError(UNAVAILABLE, `unexpected HTTP status code received from server: ${httpStatus}`);
  // A server that fails at once may send its status in the headers alone ("trailers-only").
  const grpcStatus = trailers["grpc-status"] ?? headers["grpc-status"];
  if (grpcStatus === undefined) throw new RpcError(INTERNAL, "server closed the stream without sending trailers");
  const code = Number(grpcStatus);
  if (code !== 0) {
    const message = trailers["grpc-message"] ?? headers["grpc-message"] ?? "";
    throw new RpcError(code, percentDecode(String(message)));
  }
  try {
    return decodeHealthCheckResponse(unframeMessage(body));
  } catch (err) {
    throw new RpcError(INTERNAL, `cannot decode response: ${(err as Error).message}`);
  }
}

/** grpc-message is percent-encoded; a malformed one is shown as sent rather than lost. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
