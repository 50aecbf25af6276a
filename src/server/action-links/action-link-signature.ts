import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * The signature of a one-click link (docs/decisions/030-one-click-links.md). A link is
 * `<id>.<signature>`: the row's random id (128 bits, base64url) and an HMAC-SHA256 over every field
 * of that row, keyed from AUTH_SECRET (HKDF, its own purpose label, so the key opens nothing else).
 * Changing the row (another user, a later expiry, another target) or the link breaks the signature.
 */
export type SignedFields = {
  id: string;
  action: string;
  userId: string | null;
  email: string | null;
  target: string | null;
  expiresAt: Date;
};

const ID = /^[A-Za-z0-9_-]{22}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

const keys = new Map<string, Buffer>();
function linkKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "linkboard", "one-click-links v1", 32));
    keys.set(secret, key);
  }
  return key;
}

function mac(fields: SignedFields, secret: string): Buffer {
  const message = JSON.stringify(["v1", fields.id, fields.action, fields.userId, fields.email, fields.target, fields.expiresAt.getTime()]);
  return createHmac("sha256", linkKey(secret)).update(message).digest();
}

export function signLink(fields: SignedFields, secret: string): string {
  return `${fields.id}.${mac(fields, secret).toString("base64url")}`;
}

/** The id and signature of something that looks like a link token, or null. */
export function parseLinkToken(token: string): { id: string; signature: string } | null {
  const [id, signature, ...rest] = token.split(".");
  if (rest.length > 0 || !id || !signature || !ID.test(id) || !SIGNATURE.test(signature)) return null;
  return { id, signature };
}

export function signatureMatches(fields: SignedFields, signature: string, secret: string): boolean {
  const given = Buffer.from(signature, "base64url");
  const expected = mac(fields, secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
