import { bearerToken } from "../meta/http";
import { authenticateClient } from "../oauth2/client-auth";
import { redeemCode } from "../oauth2/codes";
import { accessFor, refreshFor } from "../oauth2/route-steps";
import type { DirectGrant, Route, Runtime } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import type { Grant } from "../oauth2/state";
import { createGrant, DAY, findToken, randomString, spend, storeToken } from "../oauth2/tokens";
import { authFailed, invalidGrant, notAuthorizedUserAccount, notPermitted } from "./errors";
import type { PinterestPersona } from "./personas";

/** POST /v5/oauth/token, /v5/oauth/token/revoke and GET /v5/user_account (§2–§5). */

export const PINTEREST_ACCESS_MS = 30 * DAY;
/** Continuous refresh tokens: 60 days, renewed by every refresh. */
export const PINTEREST_REFRESH_MS = 60 * DAY;

export const mintPinterestToken = (kind: "access" | "refresh") => (kind === "access" ? `pina_${randomString(120)}` : `pinr.${randomString(120)}`);

function mint(rt: Runtime<PinterestPersona>, grant: Grant, responseType: string): { body: Record<string, unknown>; refresh: string } {
  const access = mintPinterestToken("access");
  const refresh = mintPinterestToken("refresh");
  storeToken(rt, grant, { value: access, kind: "access", ttlMs: PINTEREST_ACCESS_MS });
  const rec = storeToken(rt, grant, { value: refresh, kind: "refresh", ttlMs: PINTEREST_REFRESH_MS });
  const body = {
    access_token: access,
    refresh_token: refresh,
    response_type: responseType,
    token_type: "bearer",
    expires_in: PINTEREST_ACCESS_MS / 1000,
    refresh_token_expires_in: PINTEREST_REFRESH_MS / 1000,
    refresh_token_expires_at: Math.floor(rec.expiresAt / 1000),
    scope: grant.scopes.join(" "),
  };
  return { body, refresh };
}

export function issueDirect(rt: Runtime<PinterestPersona>, o: DirectGrant): Record<string, unknown> {
  const grant = createGrant(rt, o);
  return { ...mint(rt, grant, "authorization_code").body, grant_id: grant.id };
}

const basicOnly = (rt: Runtime<PinterestPersona>, headers: Headers) => authenticateClient(rt, headers, {}, { accept: ["basic"] });

export const tokenRoute: Route<PinterestPersona> = {
  method: "POST",
  path: "/v5/oauth/token",
  kind: "token",
  handle(ctx) {
    const { rt, body } = ctx;
    // HTTP Basic only: credentials in the body are not read.
    const auth = basicOnly(rt, ctx.request.headers);
    if (!auth.ok) return authFailed();
    if (body.grant_type === "authorization_code") {
      const r = redeemCode(rt, body.code, { clientId: auth.client.clientId, redirectUri: body.redirect_uri, codeVerifier: undefined });
      if (!r.ok) return invalidGrant();
      const grant = createGrant(rt, { clientId: r.code.clientId, personaId: r.code.personaId, scopes: r.code.scopes });
      return json(mint(rt, grant, "authorization_code").body);
    }
    if (body.grant_type === "refresh_token") {
      const r = refreshFor(ctx, body.refresh_token, auth.client.clientId, { rotate: true, reuseKillsGrant: false });
      if (!r.ok) return invalidGrant();
      const m = mint(rt, r.grant, "refresh_token");
      spend(rt, r.rec, findToken(rt, m.refresh)!.rec);
      return json(m.body);
    }
    return invalidGrant();
  },
};

export const revokeRoute: Route<PinterestPersona> = {
  method: "POST",
  path: "/v5/oauth/token/revoke",
  kind: "revoke",
  handle(ctx) {
    if (!basicOnly(ctx.rt, ctx.request.headers).ok) return authFailed();
    // "Only tokens issued for system users are currently supported": a user token stays valid.
    return notPermitted();
  },
};

export const userAccountRoute: Route<PinterestPersona> = {
  method: "GET",
  path: "/v5/user_account",
  kind: "api",
  handle(ctx) {
    const a = accessFor(ctx, bearerToken(ctx.request.headers));
    if (!a.ok) return authFailed();
    if (!a.grant.scopes.includes("user_accounts:read")) return notAuthorizedUserAccount();
    const p = a.persona;
    return json({
      account_type: p.accountType,
      id: p.externalId,
      profile_image: `${ctx.base}/_assets/avatar/${p.id}_280x280.svg`,
      website_url: p.websiteUrl,
      username: p.handle,
      about: p.about,
      ...(p.businessName ? { business_name: p.businessName } : {}),
      board_count: p.boards,
      pin_count: p.stats.posts ?? 0,
      follower_count: p.stats.followers ?? 0,
      following_count: p.stats.following ?? 0,
      monthly_views: p.monthlyViews,
    });
  },
};
