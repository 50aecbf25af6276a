import { createHash } from "node:crypto";
import { expiredToken, invalidToken, XrpcError } from "./errors";
import { verifyJwt, type JwtPayload } from "./jwt";
import { now, type Account, type Runtime } from "./state";

/**
 * Token checks in the PDS's order: header → signature / typ / audience → expiry → scope →
 * account. An access token is stateless: revoking its login does not stop it (unless the sandbox
 * is told to kill access tokens at once).
 */

export const SCOPE = {
  access: "com.atproto.access",
  appPass: "com.atproto.appPass",
  appPassPrivileged: "com.atproto.appPassPrivileged",
  takendown: "com.atproto.takendown",
  refresh: "com.atproto.refresh",
} as const;

/** What ordinary authenticated endpoints accept. */
export const STANDARD_SCOPES: string[] = [SCOPE.access, SCOPE.appPass, SCOPE.appPassPrivileged];

export type AccessAuth = { did: string; scope: string; account: Account; payload: JwtPayload };

export const tokenKey = (token: string) => createHash("sha256").update(token).digest("hex");

function bearer(headers: Headers): string {
  const auth = headers.get("authorization");
  if (!auth) throw new XrpcError(401, "AuthMissing", "Authentication Required");
  const [type = "", token, ...rest] = auth.trim().split(/\s+/);
  if (type.toLowerCase() !== "bearer") throw invalidToken("Unexpected authorization type");
  if (!token || rest.length > 0) throw invalidToken("Malformed authorization header");
  return token;
}

function liveAccount(rt: Runtime, did: string): Account {
  const account = rt.s.accounts[did];
  if (!account || account.status === "deleted") throw new XrpcError(403, "AccountNotFound", "Account not found");
  return account;
}

export function verifyAccess(rt: Runtime, headers: Headers, allowed: string[] = STANDARD_SCOPES, o: { allowTakendownAccount?: boolean } = {}): AccessAuth {
  const token = bearer(headers);
  const v = verifyJwt(rt.s.signingKey, token);
  if (!v || v.header.typ !== "at+jwt" || v.payload.aud !== rt.serviceDid) throw invalidToken();
  if (v.payload.exp * 1000 <= now(rt) || rt.s.accessTokens[tokenKey(token)]?.killed) throw expiredToken("Token has expired");
  if (!allowed.includes(v.payload.scope)) throw invalidToken("Bad token scope");
  const account = liveAccount(rt, v.payload.sub);
  if (account.status === "takendown" && !o.allowTakendownAccount && v.payload.scope !== SCOPE.takendown) {
    throw new XrpcError(401, "AccountTakedown", "Account has been taken down");
  }
  return { did: account.did, scope: v.payload.scope, account, payload: v.payload };
}

/** Optional auth (getProfile): no header is fine; a header present must be valid. */
export function maybeAccess(rt: Runtime, headers: Headers): AccessAuth | null {
  return headers.has("authorization") ? verifyAccess(rt, headers) : null;
}

export function verifyRefresh(rt: Runtime, headers: Headers, o: { allowExpired?: boolean } = {}): { did: string; jti: string; payload: JwtPayload } {
  const token = bearer(headers);
  const v = verifyJwt(rt.s.signingKey, token);
  if (!v || v.header.typ !== "refresh+jwt" || v.payload.aud !== rt.serviceDid || v.payload.scope !== SCOPE.refresh || !v.payload.jti) throw invalidToken();
  if (!o.allowExpired && v.payload.exp * 1000 <= now(rt)) throw expiredToken("Token has expired");
  return { did: v.payload.sub, jti: v.payload.jti, payload: v.payload };
}
