import { timingSafeEqual } from "node:crypto";
import { basicCredentials, type Params } from "../meta/http";
import type { ClientRecord, Runtime } from "./profile";

/** Client authentication at the token endpoint: HTTP Basic (RFC 6749 §2.3.1), form body, or none (public). */

export type ClientAuthStyle = "basic" | "body";

export type ClientAuthResult =
  | { ok: true; client: ClientRecord; via: ClientAuthStyle | "none" }
  | {
      ok: false;
      /** missing: no credentials at all; missing_secret: id without secret; *_not_allowed: the wrong style. */
      error: "missing" | "missing_secret" | "unknown_client" | "bad_secret" | "basic_not_allowed" | "body_not_allowed";
      clientId?: string;
    };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authenticateClient(
  rt: Runtime,
  headers: Headers,
  params: Params,
  o: { accept: ClientAuthStyle[]; idParam?: string; secretParam?: string },
): ClientAuthResult {
  const idParam = o.idParam ?? "client_id";
  const secretParam = o.secretParam ?? "client_secret";
  const basic = basicCredentials(headers);
  const id = params[idParam];
  const secret = params[secretParam];
  // A Basic header is read only where the platform reads it; elsewhere only the body counts.
  if (basic && !o.accept.includes("basic") && !id && !secret) return { ok: false, error: "basic_not_allowed", clientId: basic.id };
  if (basic && o.accept.includes("basic")) {
    const client = rt.client(basic.id);
    if (!client) return { ok: false, error: "unknown_client", clientId: basic.id };
    if (!sameSecret(basic.secret, client.clientSecret)) return { ok: false, error: "bad_secret", clientId: basic.id };
    return { ok: true, client, via: "basic" };
  }
  if (!id && !secret) return { ok: false, error: "missing" };
  const client = id ? rt.client(id) : undefined;
  if (client?.public && !secret) return { ok: true, client, via: "none" };
  if (!o.accept.includes("body")) return { ok: false, error: "body_not_allowed", clientId: id };
  if (!id) return { ok: false, error: "missing" };
  if (!client) return { ok: false, error: "unknown_client", clientId: id };
  if (!secret) return { ok: false, error: "missing_secret", clientId: id };
  if (!sameSecret(secret, client.clientSecret)) return { ok: false, error: "bad_secret", clientId: id };
  return { ok: true, client, via: "body" };
}
