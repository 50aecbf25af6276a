import { authenticateClient } from "../oauth2/client-auth";
import { redeemCode } from "../oauth2/codes";
import { refreshFor, revokeFor } from "../oauth2/route-steps";
import type { DirectGrant, Route, RouteContext, Runtime } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import type { Grant } from "../oauth2/state";
import { createGrant, DAY, findToken, HOUR, randomString, spend, storeToken, type RefreshPolicy } from "../oauth2/tokens";
import { INVALID_CODE, INVALID_TOKEN, oauthError, unauthorizedClient } from "./errors";
import type { XPersona } from "./personas";

/** POST /2/oauth2/token and /2/oauth2/revoke (§2–§4). */

export const X_ACCESS_MS = 2 * HOUR;
/** Undocumented [M]: community reports about six months; each rotated token gets a fresh window. */
export const X_REFRESH_IDLE_MS = 180 * DAY;

/** X tokens are base64url of an opaque string ending in ":1:<n>:at:1" / ":rt:1", ~90 characters. */
export const mintXToken = (kind: "at" | "rt" | "ac") => Buffer.from(`${randomString(56)}:${randomString(10, "0123456789")}:1:${kind}:1`).toString("base64url");

type Minted = { body: Record<string, unknown>; access: string; refresh?: string };

function mint(rt: Runtime<XPersona>, grant: Grant): Minted {
  const access = mintXToken("at");
  storeToken(rt, grant, { value: access, kind: "access", ttlMs: X_ACCESS_MS });
  const body: Record<string, unknown> = { token_type: "bearer", expires_in: X_ACCESS_MS / 1000, access_token: access, scope: grant.scopes.join(" ") };
  if (!grant.scopes.includes("offline.access")) return { body, access };
  const refresh = mintXToken("rt");
  storeToken(rt, grant, { value: refresh, kind: "refresh", ttlMs: X_REFRESH_IDLE_MS });
  body.refresh_token = refresh;
  return { body, access, refresh };
}

export function issueDirect(rt: Runtime<XPersona>, o: DirectGrant): Record<string, unknown> {
  const grant = createGrant(rt, o);
  return { ...mint(rt, grant).body, grant_id: grant.id };
}

function client(ctx: RouteContext<XPersona>) {
  // Confidential (Web App) clients must use HTTP Basic; public clients send client_id in the body.
  return authenticateClient(ctx.rt, ctx.request.headers, ctx.body, { accept: ["basic"] });
}

export function tokenRoute(policy: RefreshPolicy): Route<XPersona> {
  return {
    method: "POST",
    path: "/2/oauth2/token",
    kind: "token",
    handle(ctx) {
      const auth = client(ctx);
      if (!auth.ok) return unauthorizedClient();
      const { rt, body } = ctx;
      if (body.grant_type === "authorization_code") {
        const r = redeemCode(rt, body.code, { clientId: auth.client.clientId, redirectUri: body.redirect_uri, codeVerifier: body.code_verifier });
        if (!r.ok) return oauthError(400, "invalid_request", INVALID_CODE);
        const grant = createGrant(rt, { clientId: r.code.clientId, personaId: r.code.personaId, scopes: r.code.scopes });
        return json(mint(rt, grant).body);
      }
      if (body.grant_type === "refresh_token") {
        const r = refreshFor(ctx, body.refresh_token, auth.client.clientId, policy);
        if (!r.ok) return oauthError(400, "invalid_request", INVALID_TOKEN);
        const m = mint(rt, r.grant);
        const next = m.refresh ? findToken(rt, m.refresh) : undefined;
        if (next) spend(rt, r.rec, next.rec);
        return json(m.body);
      }
      return oauthError(400, "invalid_request", "Missing required parameter [grant_type].");
    },
  };
}

export const revokeRoute: Route<XPersona> = {
  method: "POST",
  path: "/2/oauth2/revoke",
  kind: "revoke",
  handle(ctx) {
    const auth = client(ctx);
    if (!auth.ok) return unauthorizedClient();
    // Revoking the refresh token ends the grant; an access token dies alone.
    revokeFor(ctx, ctx.body.token, auth.client.clientId, "refresh-ends-grant");
    // RFC 7009: an unknown token is not an error.
    return json({ revoked: true });
  },
};
