import { authenticateClient, type ClientAuthResult } from "../oauth2/client-auth";
import { redeemCode } from "../oauth2/codes";
import { signJwt } from "../oauth2/jwt";
import { refreshFor, revokeFor } from "../oauth2/route-steps";
import type { DirectGrant, Route, RouteContext, Runtime } from "../oauth2/profile";
import { empty, json } from "../oauth2/respond";
import type { Grant } from "../oauth2/state";
import { B64URL, checkAccess, createGrant, DAY, findToken, randomString, secondsLeft, storeToken } from "../oauth2/tokens";
import { INVALID_CODE, INVALID_REFRESH, invalidClient, missingParam, oauthError } from "./errors";
import type { LinkedInPersona } from "./personas";

/** POST /oauth/v2/accessToken, /oauth/v2/revoke, /oauth/v2/introspectToken (§2–§4). */

export const LINKEDIN_ACCESS_MS = 60 * DAY;
/** Fixed at the first authorization; refreshing does not extend it. */
export const LINKEDIN_REFRESH_MS = 365 * DAY;

export const mintLinkedInToken = (length: number) => `AQ${randomString(length, B64URL)}`;

/** Comma-separated and sorted, as LinkedIn answers. */
export const linkedInScope = (scopes: string[]) => [...scopes].sort().join(",");

type Minted = { body: Record<string, unknown> };

function idToken(rt: Runtime<LinkedInPersona>, grant: Grant, base: string, nonce?: string): string {
  const p = rt.persona(grant.personaId)!;
  const iat = Math.floor(rt.now() / 1000);
  const claims: Record<string, unknown> = { iss: `${base}/oauth`, aud: grant.clientId, iat, exp: iat + 3600, sub: p.externalId };
  if (grant.scopes.includes("profile")) {
    Object.assign(claims, { name: p.name, given_name: p.givenName, family_name: p.familyName, locale: `${p.locale.language}_${p.locale.country}` });
    if (p.hasAvatar) claims.picture = `${base}/_assets/avatar/${p.id}.svg`;
  }
  if (grant.scopes.includes("email")) Object.assign(claims, { email: p.email, email_verified: true });
  if (nonce) claims.nonce = nonce;
  return signJwt(rt, claims);
}

function mint(rt: Runtime<LinkedInPersona>, grant: Grant, o: { refresh: boolean; base: string; nonce?: string }): Minted {
  const access = mintLinkedInToken(350);
  storeToken(rt, grant, { value: access, kind: "access", ttlMs: LINKEDIN_ACCESS_MS });
  const body: Record<string, unknown> = { access_token: access, expires_in: LINKEDIN_ACCESS_MS / 1000 };
  if (o.refresh) {
    const refresh = mintLinkedInToken(250);
    storeToken(rt, grant, { value: refresh, kind: "refresh", ttlMs: 0 });
    Object.assign(body, { refresh_token: refresh, refresh_token_expires_in: secondsLeft(rt, grant.refreshExpiresAt!) });
  }
  Object.assign(body, { scope: linkedInScope(grant.scopes), token_type: "Bearer" });
  if (grant.scopes.includes("openid")) body.id_token = idToken(rt, grant, o.base, o.nonce);
  return { body };
}

function newGrant(rt: Runtime<LinkedInPersona>, o: DirectGrant): Grant {
  return createGrant(rt, { ...o, refreshExpiresAt: rt.now() + LINKEDIN_REFRESH_MS });
}

export function issueDirect(rt: Runtime<LinkedInPersona>, o: DirectGrant, base: string): Record<string, unknown> {
  const grant = newGrant(rt, o);
  return { ...mint(rt, grant, { refresh: !!rt.client(o.clientId)?.refreshTokens, base }).body, grant_id: grant.id };
}

/** Client id and secret in the form body only (`client_secret_post`). */
function client(ctx: RouteContext<LinkedInPersona>): ClientAuthResult & { refusal?: Response } {
  const auth = authenticateClient(ctx.rt, ctx.request.headers, ctx.body, { accept: ["body"] });
  if (auth.ok) return auth;
  const refusal =
    auth.error === "missing"
      ? missingParam("client_id")
      : auth.error === "missing_secret" || auth.error === "basic_not_allowed"
        ? missingParam("client_secret")
        : invalidClient();
  return { ...auth, refusal };
}

export const accessTokenRoute: Route<LinkedInPersona> = {
  method: "POST",
  path: "/oauth/v2/accessToken",
  kind: "token",
  handle(ctx) {
    const auth = client(ctx);
    if (!auth.ok) return auth.refusal!;
    const { rt, body } = ctx;
    if (body.grant_type === "authorization_code") {
      const r = redeemCode(rt, body.code, { clientId: auth.client.clientId, redirectUri: body.redirect_uri, codeVerifier: body.code_verifier });
      if (!r.ok) return oauthError(400, "invalid_request", INVALID_CODE);
      const grant = newGrant(rt, { clientId: r.code.clientId, personaId: r.code.personaId, scopes: r.code.scopes });
      return json(mint(rt, grant, { refresh: r.code.refresh, base: ctx.base, nonce: r.code.nonce }).body);
    }
    if (body.grant_type === "refresh_token") {
      const r = refreshFor(ctx, body.refresh_token, auth.client.clientId, { rotate: false, reuseKillsGrant: false });
      if (!r.ok) return oauthError(400, "invalid_request", INVALID_REFRESH);
      const access = mintLinkedInToken(350);
      storeToken(rt, r.grant, { value: access, kind: "access", ttlMs: LINKEDIN_ACCESS_MS });
      // The same refresh token comes back, its lifetime counting down from the first authorization.
      return json({
        access_token: access,
        expires_in: LINKEDIN_ACCESS_MS / 1000,
        refresh_token: body.refresh_token,
        refresh_token_expires_in: secondsLeft(rt, r.grant.refreshExpiresAt!),
        scope: linkedInScope(r.grant.scopes),
      });
    }
    return oauthError(400, "unsupported_grant_type", "The grant type is not supported");
  },
};

export const revokeRoute: Route<LinkedInPersona> = {
  method: "POST",
  path: "/oauth/v2/revoke",
  kind: "revoke",
  handle(ctx) {
    const auth = client(ctx);
    if (!auth.ok) return auth.refusal!;
    if (!ctx.body.token) return missingParam("token");
    revokeFor(ctx, ctx.body.token, auth.client.clientId, "grant");
    return empty();
  },
};

export const introspectRoute: Route<LinkedInPersona> = {
  method: "POST",
  path: "/oauth/v2/introspectToken",
  kind: "introspect",
  handle(ctx) {
    const auth = client(ctx);
    if (!auth.ok) return auth.refusal!;
    const { rt } = ctx;
    const found = findToken(rt, ctx.body.token);
    if (!found || found.grant.clientId !== auth.client.clientId) return json({ active: false });
    const { rec, grant } = found;
    ctx.noteToken(rec.id);
    const verdict = checkAccess(rt, ctx.body.token, rec.kind);
    const status = verdict.ok ? "active" : verdict.reason === "revoked" ? "revoked" : "expired";
    const expiresAt = rec.kind === "refresh" ? grant.refreshExpiresAt! : rec.expiresAt;
    return json({
      active: status === "active",
      client_id: grant.clientId,
      authorized_at: Math.floor(grant.createdAt / 1000),
      created_at: Math.floor(rec.issuedAt / 1000),
      status,
      expires_at: Math.floor(expiresAt / 1000),
      scope: linkedInScope(grant.scopes),
      auth_type: "3L",
    });
  },
};
