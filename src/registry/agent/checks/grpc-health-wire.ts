/** The gRPC health protocol's path: service `grpc.health.v1.Health`, method `Check`. */
export const HEALTH_CHECK_PATH = "/grpc.health.v1.Health/Check";

/** `HealthCheckResponse.ServingStatus` names by number. */
export const SERVING_STATUS_NAMES: readonly string[] = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

/** gRPC status code names by number, as grpc-go prints them in `rpc error: code = …`. */
export const GRPC_CODE_NAMES: readonly string[] = [
  "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists",
  "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange",
  "Unimplemented", "Internal", "Unavailable", "DataLoss", "Unauthenticated",
];

/** A gRPC body or protobuf message that cannot be read. */
export class GrpcWireError extends Error {}

function encodeVarint(value: number, out: number[]): void {
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** Encodes `HealthCheckRequest{service = 1}`; an empty service encodes to no bytes, as proto3 does. */
export function encodeHealthCheckRequest(service: string): Uint8Array {
  if (service === "") return new Uint8Array(0);
  const name = Buffer.from(service, "utf8");
  const head: number[] = [0x0a];
  encodeVarint(name.length, head);
  return Buffer.concat([Buffer.from(head), name]);
}

/** Wraps one message in gRPC's length-prefixed framing: flag byte 0 (uncompressed), u32 BE length. */
export function frameMessage(message: Uint8Array): Uint8Array {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/** Reads the first framed message of a gRPC body; compressed messages are refused (none was asked for). */
export function unframeMessage(body: Uint8Array): Uint8Array {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (buf.length < 5) throw new GrpcWireError("response has no message");
  if (buf[0] !== 0) throw new GrpcWireError("response message is compressed");
  const length = buf.readUInt32BE(1);
  if (buf.length < 5 + length) throw new GrpcWireError("response message is truncated");
  return buf.subarray(5, 5 + length);
}

/** Decodes a message into its fields keyed by number; varints and byte strings only. */
function decodeFields(message: Uint8Array): Map<number, number | Uint8Array> {
  const fields = new Map<number, number | Uint8Array>();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    for (let shift = 0; shift < 64; shift += 7) {
      const byte = message[pos++];
      if (byte === undefined) throw new GrpcWireError("truncated varint");
      // Only the low 32 bits matter for the fields read here; higher ones are discarded.
      if (shift < 32) result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new GrpcWireError("varint too long");
  };
  while (pos < message.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    switch (key & 7) {
      case 0:
        fields.set(field, varint());
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const length = varint();
        fields.set(field, message.subarray(pos, pos + length));
        pos += length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new GrpcWireError(`unsupported wire type ${key & 7}`);
    }
    if (pos > message.length) throw new GrpcWireError("truncated field");
  }
  return fields;
}

/** Decodes `HealthCheckResponse{status = 1}` to the status number; absent means 0 (UNKNOWN). */
export function decodeHealthCheckResponse(message: Uint8Array): number {
  const status = decodeFields(message).get(1) ?? 0;
  if (typeof status !== "number") throw new GrpcWireError("status field has the wrong wire type");
  return status;
}

/** Decodes `HealthCheckRequest{service = 1}`; used by loopback test servers. */
export function decodeHealthCheckRequest(message: Uint8Array): string {
  const service = decodeFields(message).get(1);
  if (service === undefined) return "";
  if (typeof service === "number") throw new GrpcWireError("service field has the wrong wire type");
  return Buffer.from(service).toString("utf8");
}

/** Encodes `HealthCheckResponse{status = 1}`; used by loopback test servers. */
export function encodeHealthCheckResponse(status: number): Uint8Array {
  if (status === 0) return new Uint8Array(0);
  const out = [0x08];
  encodeVarint(status, out);
  return Uint8Array.from(out);
}
