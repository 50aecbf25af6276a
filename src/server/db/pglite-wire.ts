import { createHash, timingSafeEqual } from "node:crypto";

/**
 * The pieces of the Postgres wire protocol (v3) the embedded database server reads and writes
 * itself: framing with length limits, the startup parameters, MD5 password authentication and
 * error responses. Everything else is passed to PGlite untouched.
 */
export const SSL_REQUEST = 80_877_103;
export const GSS_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;
export const SYNC = 0x53; // 'S'
export const QUERY = 0x51; // 'Q'
export const PARSE = 0x50; // 'P'
export const TERMINATE = 0x58; // 'X'
export const FLUSH = 0x48; // 'H': the client waits for output before it sends Sync
export const PASSWORD = 0x70; // 'p': answers the authentication request

/** PostgreSQL's own limit for a startup packet (MAX_STARTUP_PACKET_LENGTH). */
export const MAX_STARTUP_BYTES = 10_000;
/** A password message is a short string; anything longer before authentication is hostile. */
export const MAX_PRE_AUTH_BYTES = 1024;

export class ProtocolViolation extends Error {
  constructor(
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
    this.name = "ProtocolViolation";
  }
}

/**
 * Cuts the next complete message off `buffer`. Untyped (startup) messages: int32 length first,
 * counting itself; typed ones: one type byte, then the int32 length. A length below the header's
 * own size would never advance (a 0 length used to spin forever); one above `max` is refused before
 * its body is awaited.
 */
export function nextFrame(buffer: Buffer, o: { typed: boolean; max: number }): { message: Buffer; rest: Buffer } | null {
  const offset = o.typed ? 1 : 0;
  if (buffer.length < offset + 4) return null;
  const length = buffer.readInt32BE(offset);
  const minimum = o.typed ? 4 : 8;
  if (length < minimum || length > o.max) {
    throw new ProtocolViolation("08P01", `invalid message length ${length}`);
  }
  const total = offset + length;
  if (buffer.length < total) return null;
  return { message: buffer.subarray(0, total), rest: buffer.subarray(total) };
}

/** The key/value pairs of a startup message (after length and protocol code). */
export function startupParameters(message: Buffer): Record<string, string> {
  const parts = message.subarray(8).toString("utf8").split("\0");
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) out[parts[i]!] = parts[i + 1]!;
  return out;
}

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

/** AuthenticationMD5Password with the given 4-byte salt. */
export function md5Request(salt: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x52, 0, 0, 0, 12, 0, 0, 0, 5]), salt]);
}

/** Checks a PasswordMessage against `md5(md5(password + user) + salt)`, in constant time. */
export function md5PasswordMatches(message: Buffer, o: { user: string; password: string; salt: Buffer }): boolean {
  const given = message.subarray(5).toString("utf8").replace(/\0$/, "");
  const expected = `md5${md5(Buffer.concat([Buffer.from(md5(o.password + o.user)), o.salt]))}`;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A PasswordMessage for PGlite itself, which asks for one but accepts any. */
export function passwordMessage(text: string): Buffer {
  const body = Buffer.from(`${text}\0`);
  const header = Buffer.alloc(5);
  header[0] = PASSWORD;
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/** A FATAL ErrorResponse, as a server sends it before closing the connection. */
export function fatalError(sqlState: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlState}\0M${message}\0\0`);
  const header = Buffer.alloc(5);
  header[0] = 0x45; // 'E'
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}
