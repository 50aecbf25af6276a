import { authenticateClient } from "../oauth2/client-auth";
import { redeemCode, type RedeemError } from "../oauth2/codes";
import { refreshFor, revokeFor } from "../oauth2/route-steps";
import type { DirectGrant, Route, RouteContext, Runtime } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import type { Grant } from "../oauth2/state";
import { createGrant, DAY, findToken, HOUR, randomString, secondsLeft, spend, storeToken, type RefreshPolicy } from "../oauth2/tokens";
import { logId, oauthError } from "./errors";
import type { TikTokPersona } from "./personas";

/** POST /v2/oauth/token/ and /v2/oauth/revoke/ (§2–§4). */

/** The current token pages say 2 h / 180 d; the older page said 24 h / 365 d (a switch). */
export const TIKTOK_LIFETIMES = {
  current: { accessMs: 2 * HOUR, refreshMs: 180 * DAY },
  legacy: { accessMs: 24 * HOUR, refreshMs: 365 * DAY },
};

export type TikTokLifetimes = keyof typeof TIKTOK_LIFETIMES;

export const mintTikTokToken = (prefix: "act" | "rft") => `${prefix}.${randomString(64)}!${randomString(4)}.va`;

function mint(rt: Runtime<TikTokPersona>, grant: Grant, accessMs: number): Record<string, unknown> {
  const access = mintTikTokToken("act");
  const refresh = mintTikTokToken("rft");
  storeToken(rt, grant, { value: access, kind: "access", ttlMs: accessMs });
  storeToken(rt, grant, { value: refresh, kind: "refresh", ttlMs: 0 });
  const persona = rt.persona(grant.personaId)!;
  return {
    access_token: access,
    expires_in: accessMs / 1000,
    open_id: persona.externalId,
    // Remaining seconds of the refresh window that started with the grant: it never grows.
    refresh_expires_in: secondsLeft(rt, grant.refreshExpiresAt!),
    refresh_token: refresh,
    scope: grant.scopes.join(","),
    token_type: "Bearer",
  };
}

export function issueDirect(rt: Runtime<TikTokPersona>, o: DirectGrant, lifetimes: TikTokLifetimes): Record<string, unknown> {
  const { accessMs, refreshMs } = TIKTOK_LIFETIMES[lifetimes];
  const grant = createGrant(rt, { ...o, refreshExpiresAt: rt.now() + refreshMs });
  return { ...mint(rt, grant, accessMs), grant_id: grant.id };
}

const CODE_ERRORS: Record<RedeemError, [string, string]> = {
  unknown: ["invalid_grant", "Authorization code is invalid."],
  used: ["invalid_grant", "Authorization code has been used."],
  expired: ["invalid_grant", "Authorization code is expired."],
  client_mismatch: ["invalid_grant", "Authorization code is invalid."],
  redirect_mismatch: ["invalid_request", "Redirect URI does not match the one in the authorization request."],
  pkce_mismatch: ["invalid_request", "Code verifier or code challenge is invalid."],
};

/** client_key and client_secret in the body; TikTok has no Basic auth. */
function client(ctx: RouteContext<TikTokPersona>) {
  const auth = authenticateClient(ctx.rt, ctx.request.headers, ctx.body, { accept: ["body"], idParam: "client_key" });
  if (auth.ok) return auth;
  const now = ctx.rt.now();
  const refusal = ["unknown_client", "bad_secret"].includes(auth.error)
    ? oauthError(now, 401, "invalid_client", "Client key or secret is incorrect.")
    : oauthError(now, 400, "invalid_request", "Client key or secret is missing.");
  return { ...auth, refusal };
}

export function tokenRoute(lifetimes: TikTokLifetimes, policy: RefreshPolicy): Route<TikTokPersona> {
  const { accessMs, refreshMs } = TIKTOK_LIFETIMES[lifetimes];
  return {
    method: "POST",
    path: "/v2/oauth/token/",
    kind: "token",
    handle(ctx) {
      const auth = client(ctx);
      if (!auth.ok) return auth.refusal;
      const { rt, body } = ctx;
      const id = logId(rt.now());
      if (body.grant_type === "authorization_code") {
        const r = redeemCode(rt, body.code, { clientId: auth.client.clientId, redirectUri: body.redirect_uri, codeVerifier: body.code_verifier, allowHexPkce: true });
        if (!r.ok) return oauthError(rt.now(), 400, ...CODE_ERRORS[r.error]);
        const grant = createGrant(rt, { clientId: r.code.clientId, personaId: r.code.personaId, scopes: r.code.scopes, refreshExpiresAt: rt.now() + refreshMs });
        return json(mint(rt, grant, accessMs), 200, { "x-tt-logid": id });
      }
      if (body.grant_type === "refresh_token") {
        const r = refreshFor(ctx, body.refresh_token, auth.client.clientId, policy);
        if (!r.ok) return oauthError(rt.now(), 400, "invalid_grant", "Refresh token is invalid or expired.");
        const out = mint(rt, r.grant, accessMs);
        spend(rt, r.rec, findToken(rt, String(out.refresh_token))!.rec);
        return json(out, 200, { "x-tt-logid": id });
      }
      return oauthError(rt.now(), 400, "unsupported_grant_type", "The grant type is not supported.");
    },
  };
}

export const revokeRoute: Route<TikTokPersona> = {
  method: "POST",
  path: "/v2/oauth/revoke/",
  kind: "revoke",
  handle(ctx) {
    const auth = client(ctx);
    if (!auth.ok) return auth.refusal;
    revokeFor(ctx, ctx.body.token, auth.client.clientId, "grant");
    return new Response(null, { status: 200, headers: { "x-tt-logid": logId(ctx.rt.now()), "cache-control": "no-store" } });
  },
};
