import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { VaultDecryptError, type FieldLocation } from "./errors";
import { keyBytes, type KeyRing } from "./key-ring";

/**
 * The vault envelope (docs/decisions/006-vault-envelope.md):
 *
 *   vault:v1:<kid>:<base64url( iv[12] ‖ ciphertext[n] ‖ tag[16] )>
 *
 * AES-256-GCM with a random 96-bit IV per value. The associated data binds the ciphertext to the
 * header and to where it is stored — `vault:v1:<kid>\0<table>\0<column>\0<row id>` — so a value
 * copied into another row or column, or relabelled with another key id, fails authentication.
 */
export const ENVELOPE_PREFIX = "vault:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ALGORITHM = "aes-256-gcm";
// Shortest possible payload (empty plaintext) is 28 bytes = 38 base64url characters.
const MIN_PAYLOAD_CHARS = Math.ceil(((IV_BYTES + TAG_BYTES) * 4) / 3);
const PAYLOAD = /^[A-Za-z0-9_-]+$/;

export type { FieldLocation };

function associatedData(keyId: string, where: FieldLocation): Buffer {
  return Buffer.from(`${ENVELOPE_PREFIX}${keyId}\0${where.table}\0${where.column}\0${where.rowId}`, "utf8");
}

/** Splits an envelope into key id and payload, or null when the value is not one. */
function parse(value: string): { keyId: string; payload: string } | null {
  if (!value.startsWith(ENVELOPE_PREFIX)) return null;
  const colon = value.indexOf(":", ENVELOPE_PREFIX.length);
  if (colon <= ENVELOPE_PREFIX.length) return null;
  const payload = value.slice(colon + 1);
  if (payload.length < MIN_PAYLOAD_CHARS) return null;
  return { keyId: value.slice(ENVELOPE_PREFIX.length, colon), payload };
}

/** True when the value has the shape of a vault envelope (says nothing about whether it decrypts). */
export function isEnvelope(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const parts = parse(value);
  return parts !== null && PAYLOAD.test(parts.payload);
}

/** The key id an envelope was sealed with, or null for anything else. */
export function envelopeKeyId(value: string): string | null {
  return isEnvelope(value) ? parse(value)!.keyId : null;
}

/** Encrypts under the ring's current key, bound to `where`. */
export function seal(ring: KeyRing, plaintext: string, where: FieldLocation): string {
  const { id } = ring.current;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keyBytes(ring.current), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(id, where));
  const body = Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${ENVELOPE_PREFIX}${id}:${body.toString("base64url")}`;
}

/** Decrypts an envelope stored at `where`; anything else throws VaultDecryptError (never garbage). */
export function open(ring: KeyRing, value: string, where: FieldLocation): string {
  const parts = parse(value);
  if (!parts) {
    throw new VaultDecryptError(where, value.startsWith("vault:") ? "malformed" : "not_encrypted");
  }
  const key = ring.get(parts.keyId);
  if (!key) throw new VaultDecryptError(where, "unknown_key", parts.keyId);
  if (!PAYLOAD.test(parts.payload)) throw new VaultDecryptError(where, "malformed", parts.keyId);
  const body = Buffer.from(parts.payload, "base64url");
  if (body.length < IV_BYTES + TAG_BYTES) throw new VaultDecryptError(where, "malformed", parts.keyId);
  try {
    const decipher = createDecipheriv(ALGORITHM, keyBytes(key), body.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(parts.keyId, where));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const text = decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES), undefined, "utf8");
    return text + decipher.final("utf8");
  } catch {
    // The cause is deliberately dropped: OpenSSL's message says nothing useful and nothing secret,
    // but keeping the chain short keeps values out of any logger that walks causes.
    throw new VaultDecryptError(where, "authentication_failed", parts.keyId);
  }
}
