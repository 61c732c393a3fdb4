export { Crc32c, crc32c } from "./crc32c.js";
export { DecodeBuffer, DecodeError, EncodeBuffer } from "./varint.js";
