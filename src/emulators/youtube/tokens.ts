import { authenticateClient } from "../oauth2/client-auth";
import { redeemCode, type RedeemError } from "../oauth2/codes";
import { atHash, signJwt } from "../oauth2/jwt";
import { accessFor, refreshFor } from "../oauth2/route-steps";
import type { DirectGrant, Route, Runtime } from "../oauth2/profile";
import { empty, json } from "../oauth2/respond";
import type { Grant } from "../oauth2/state";
import { B64URL, checkAccess, createGrant, DAY, findToken, grantTokens, randomString, revokeGrant, revokeTokenRecord, secondsLeft, storeToken } from "../oauth2/tokens";
import { oauthError, REFRESH_REFUSED } from "./errors";
import type { YouTubePersona } from "./personas";

/** POST /token, /revoke, GET /tokeninfo on the token base (§2–§4). */

export const GOOGLE_ACCESS_S = 3599;
/** A refresh token unused for six months stops working; each use restarts the window. */
export const GOOGLE_REFRESH_IDLE_MS = 182 * DAY;
/** "Testing" publishing status with external users. */
export const GOOGLE_TESTING_REFRESH_MS = 7 * DAY;
/** Live refresh tokens per account per OAuth client; the oldest is silently invalidated. */
export const GOOGLE_REFRESH_LIMIT = 100;

export const EMAIL_SCOPE = "https://www.googleapis.com/auth/userinfo.email";
export const PROFILE_SCOPE = "https://www.googleapis.com/auth/userinfo.profile";

export const mintAccess = () => `ya29.a0${randomString(160, B64URL)}`;
const mintRefresh = () => `1//0${randomString(100, B64URL)}`;

function idToken(rt: Runtime<YouTubePersona>, grant: Grant, o: { base: string; access: string; nonce?: string }): string {
  const p = rt.persona(grant.personaId)!;
  const iat = Math.floor(rt.now() / 1000);
  const claims: Record<string, unknown> = { iss: o.base, azp: grant.clientId, aud: grant.clientId, sub: p.googleSub };
  if (grant.scopes.includes(EMAIL_SCOPE)) Object.assign(claims, { email: p.email, email_verified: true });
  claims.at_hash = atHash(o.access);
  if (o.nonce) claims.nonce = o.nonce;
  if (grant.scopes.includes(PROFILE_SCOPE)) {
    Object.assign(claims, { name: p.name, picture: `${o.base}/_assets/avatar/${p.id}.svg`, given_name: p.givenName, family_name: p.familyName });
  }
  Object.assign(claims, { iat, exp: iat + 3600 });
  return signJwt(rt, claims);
}

/** Keep at most 100 live refresh tokens per account and client: drop the oldest. */
function capRefreshTokens(rt: Runtime<YouTubePersona>, grant: Grant): void {
  const t = rt.now();
  const live = Object.values(rt.s.grants)
    .filter((g) => g.clientId === grant.clientId && g.personaId === grant.personaId && g.revokedAt === undefined)
    .flatMap((g) => grantTokens(rt, g.id))
    .filter((x) => x.kind === "refresh" && x.revokedAt === undefined && (x.expiresAt === 0 || x.expiresAt > t))
    .sort((a, b) => a.issuedAt - b.issuedAt);
  for (const old of live.slice(0, Math.max(0, live.length - GOOGLE_REFRESH_LIMIT))) revokeTokenRecord(rt, old);
}

function mint(rt: Runtime<YouTubePersona>, grant: Grant, o: { refresh: boolean; base: string; nonce?: string }): Record<string, unknown> {
  const access = mintAccess();
  storeToken(rt, grant, { value: access, kind: "access", ttlMs: GOOGLE_ACCESS_S * 1000 });
  const body: Record<string, unknown> = { access_token: access, expires_in: GOOGLE_ACCESS_S };
  if (o.refresh) {
    const refresh = mintRefresh();
    storeToken(rt, grant, { value: refresh, kind: "refresh", ttlMs: grant.refreshExpiresAt ? 0 : GOOGLE_REFRESH_IDLE_MS });
    body.refresh_token = refresh;
    capRefreshTokens(rt, grant);
  }
  if (grant.refreshExpiresAt) body.refresh_token_expires_in = secondsLeft(rt, grant.refreshExpiresAt);
  Object.assign(body, { scope: grant.scopes.join(" "), token_type: "Bearer" });
  if (grant.scopes.includes("openid")) body.id_token = idToken(rt, grant, { base: o.base, access, nonce: o.nonce });
  return body;
}

function newGrant(rt: Runtime<YouTubePersona>, o: DirectGrant): Grant {
  const testing = rt.client(o.clientId)?.testing;
  return createGrant(rt, { ...o, ...(testing ? { refreshExpiresAt: rt.now() + GOOGLE_TESTING_REFRESH_MS } : {}) });
}

export function issueDirect(rt: Runtime<YouTubePersona>, o: DirectGrant, base: string): Record<string, unknown> {
  const grant = newGrant(rt, o);
  return { ...mint(rt, grant, { refresh: true, base }), grant_id: grant.id };
}

const CODE_ERRORS: Record<RedeemError, [string, string]> = {
  unknown: ["invalid_grant", "Malformed auth code."],
  used: ["invalid_grant", "Bad Request"],
  expired: ["invalid_grant", "Bad Request"],
  client_mismatch: ["invalid_grant", "Bad Request"],
  redirect_mismatch: ["redirect_uri_mismatch", "Bad Request"],
  pkce_mismatch: ["invalid_grant", "Invalid code verifier."],
};

export const tokenRoute: Route<YouTubePersona> = {
  method: "POST",
  path: "/token",
  kind: "token",
  handle(ctx) {
    const { rt, body } = ctx;
    const auth = authenticateClient(rt, ctx.request.headers, body, { accept: ["basic", "body"] });
    if (!auth.ok) {
      if (auth.error === "unknown_client") return oauthError(401, "invalid_client", "The OAuth client was not found.");
      if (auth.error === "bad_secret" || auth.error === "missing_secret") return oauthError(401, "invalid_client", "Unauthorized");
      return oauthError(400, "invalid_request", "Could not determine client ID from request.");
    }
    if (body.grant_type === "authorization_code") {
      const r = redeemCode(rt, body.code, { clientId: auth.client.clientId, redirectUri: body.redirect_uri, codeVerifier: body.code_verifier });
      if (!r.ok) return oauthError(400, ...CODE_ERRORS[r.error]);
      const grant = newGrant(rt, { clientId: r.code.clientId, personaId: r.code.personaId, scopes: r.code.scopes });
      return json(mint(rt, grant, { refresh: r.code.refresh, base: ctx.base, nonce: r.code.nonce }));
    }
    if (body.grant_type === "refresh_token") {
      const r = refreshFor(ctx, body.refresh_token, auth.client.clientId, { rotate: false, reuseKillsGrant: false });
      if (!r.ok) return oauthError(400, "invalid_grant", REFRESH_REFUSED);
      if (!r.grant.refreshExpiresAt) r.rec.expiresAt = rt.now() + GOOGLE_REFRESH_IDLE_MS;
      // Same refresh token, usable again: the answer carries none.
      return json(mint(rt, r.grant, { refresh: false, base: ctx.base }));
    }
    return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${body.grant_type ?? ""}`);
  },
};

export const revokeRoute: Route<YouTubePersona> = {
  method: "POST",
  path: "/revoke",
  kind: "revoke",
  handle(ctx) {
    const token = ctx.query.token ?? ctx.body.token;
    const found = findToken(ctx.rt, token);
    const live = found && checkAccess(ctx.rt, token, found.rec.kind).ok;
    if (!found || !live) return oauthError(400, "invalid_token", "Token expired or revoked");
    ctx.noteToken(found.rec.id);
    // Either token ends the whole grant, refresh token included.
    revokeGrant(ctx.rt, found.grant, "revoked");
    return empty();
  },
};

export const tokenInfoRoute: Route<YouTubePersona> = {
  method: ["GET", "POST"],
  path: "/tokeninfo",
  kind: "introspect",
  handle(ctx) {
    const a = accessFor(ctx, ctx.params.access_token);
    if (!a.ok) return oauthError(400, "invalid_token", "Invalid Value");
    const exp = Math.floor(a.rec.expiresAt / 1000);
    const hasEmail = a.grant.scopes.includes(EMAIL_SCOPE);
    // Google answers numbers and booleans as strings here.
    return json({
      azp: a.grant.clientId,
      aud: a.grant.clientId,
      sub: a.persona.googleSub,
      scope: a.grant.scopes.join(" "),
      exp: String(exp),
      expires_in: String(secondsLeft(ctx.rt, a.rec.expiresAt)),
      ...(hasEmail ? { email: a.persona.email, email_verified: "true" } : {}),
      access_type: grantTokens(ctx.rt, a.grant.id).some((t) => t.kind === "refresh") ? "offline" : "online",
    });
  },
};
