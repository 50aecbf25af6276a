import { createHmac, timingSafeEqual } from "node:crypto";

/** Compact HS256 JWTs, as the PDS signs session tokens with a key only it knows. */

export type JwtHeader = { typ: string; alg: string };
export type JwtPayload = { scope: string; aud: string; sub: string; iat: number; exp: number; jti?: string };

const enc = (x: unknown) => Buffer.from(JSON.stringify(x)).toString("base64url");

export function signJwt(key: string, typ: "at+jwt" | "refresh+jwt", payload: JwtPayload): string {
  const input = `${enc({ typ, alg: "HS256" })}.${enc(payload)}`;
  return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
}

/** The header and payload when the signature is ours; null for anything else. */
export function verifyJwt(key: string, token: string): { header: JwtHeader; payload: JwtPayload } | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [h, p, sig] = parts as [string, string, string];
  const expected = createHmac("sha256", key).update(`${h}.${p}`).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const header = JSON.parse(Buffer.from(h, "base64url").toString("utf8")) as JwtHeader;
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as JwtPayload;
    if (header.alg !== "HS256" || typeof payload.exp !== "number" || typeof payload.sub !== "string") return null;
    return { header, payload };
  } catch {
    return null;
  }
}
