import { authenticateClient } from "../oauth2/client-auth";
import { redeemCode, type RedeemError } from "../oauth2/codes";
import { takeFault } from "../oauth2/faults";
import type { DirectGrant, Route, RouteContext, Runtime } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import type { Grant } from "../oauth2/state";
import { checkAccess, createGrant, findToken, HOUR, randomString, recordRefreshAttempt, storeToken } from "../oauth2/tokens";
import { appRemoved, badSecret, cannotParse, graphError, sessionExpired } from "./errors";
import type { ThreadsPersona } from "./personas";

/** Code → short-lived token, short → long-lived (th_exchange_token), th_refresh_token (§2, §3). */

export const THREADS_SHORT_MS = 1 * HOUR;
/** The documented answer: 60 days less a minute. */
export const THREADS_LONG_S = 5_183_944;
export const THREADS_REFRESH_AFTER_MS = 24 * HOUR;

const mint = (variant: "short" | "long") => (variant === "short" ? `THQVJ${randomString(180)}` : `THAA${randomString(190)}`);

function longLived(rt: Runtime<ThreadsPersona>, grant: Grant): Record<string, unknown> {
  const value = mint("long");
  storeToken(rt, grant, { value, kind: "access", variant: "long", ttlMs: THREADS_LONG_S * 1000 });
  return { access_token: value, token_type: "bearer", expires_in: THREADS_LONG_S };
}

export function issueDirect(rt: Runtime<ThreadsPersona>, o: DirectGrant): Record<string, unknown> {
  const grant = createGrant(rt, o);
  return { ...longLived(rt, grant), user_id: rt.persona(o.personaId)!.externalId, grant_id: grant.id };
}

/** The verdict on a token as Graph words it: 190 with the subcode of the cause. */
export function tokenProblem(rt: Runtime<ThreadsPersona>, value: string | undefined): Response | null {
  const a = checkAccess(rt, value);
  if (a.ok) return null;
  if (a.reason === "missing") return graphError(2500, "An active access token must be used to query information about the current user.");
  if (a.reason === "unknown") return cannotParse();
  if (a.reason === "revoked") return appRemoved(a.grant!.clientId);
  return sessionExpired(a.rec!.expiresAt, rt.now());
}

const CODE_ERRORS: Record<RedeemError, [string, number]> = {
  unknown: ["Invalid verification code format.", 36008],
  used: ["This authorization code has been used.", 36009],
  expired: ["This authorization code has expired.", 36007],
  client_mismatch: ["Invalid verification code format.", 36008],
  redirect_mismatch: ["Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request", 36008],
  pkce_mismatch: ["Invalid code verifier.", 36008],
};

export const codeExchangeRoute: Route<ThreadsPersona> = {
  method: ["POST", "GET"],
  path: "/oauth/access_token",
  kind: "token",
  handle(ctx: RouteContext<ThreadsPersona>) {
    const { rt, params } = ctx;
    // Documented as query parameters; a form body works too.
    const auth = authenticateClient(rt, ctx.request.headers, params, { accept: ["body"] });
    if (!auth.ok) {
      if (auth.error === "bad_secret" || auth.error === "missing_secret") return badSecret();
      return graphError(101, "Error validating application. Invalid application ID.");
    }
    if (params.grant_type !== "authorization_code") return graphError(100, "Unsupported grant_type");
    const r = redeemCode(rt, params.code, { clientId: auth.client.clientId, redirectUri: params.redirect_uri, codeVerifier: undefined });
    if (!r.ok) return graphError(100, CODE_ERRORS[r.error][0], { subcode: CODE_ERRORS[r.error][1] });
    const grant = createGrant(rt, { clientId: r.code.clientId, personaId: r.code.personaId, scopes: r.code.scopes });
    const value = mint("short");
    storeToken(rt, grant, { value, kind: "access", variant: "short", ttlMs: THREADS_SHORT_MS });
    // user_id is an unquoted number that can exceed 2^53: written by hand, as Threads sends it.
    const userId = rt.persona(grant.personaId)!.externalId;
    return new Response(`{"access_token":${JSON.stringify(value)},"user_id":${userId}}`, {
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    });
  },
};

export const exchangeRoute: Route<ThreadsPersona> = {
  method: "GET",
  path: "/access_token",
  kind: "token",
  handle(ctx) {
    const { rt, query } = ctx;
    if (query.grant_type !== "th_exchange_token") return graphError(100, "Unsupported grant_type");
    const problem = tokenProblem(rt, query.access_token);
    if (problem) return problem;
    const { rec, grant } = findToken(rt, query.access_token)!;
    ctx.noteToken(rec.id);
    if (!query.client_secret || query.client_secret !== rt.client(grant.clientId)?.clientSecret) return badSecret();
    if (rec.variant !== "short") return graphError(100, "Invalid parameter: only a short-lived token can be exchanged.");
    return json(longLived(rt, grant));
  },
};

export const refreshRoute: Route<ThreadsPersona> = {
  method: "GET",
  path: "/refresh_access_token",
  kind: "token",
  handle(ctx) {
    const { rt, query } = ctx;
    if (query.grant_type !== "th_refresh_token") return graphError(100, "Unsupported grant_type");
    const found = findToken(rt, query.access_token);
    const verdict = checkAccess(rt, query.access_token);
    ctx.noteToken(found?.rec.id ?? null);
    if (takeFault(rt, { route: "token", op: "refresh", path: ctx.path }, true)) {
      recordRefreshAttempt(rt, "injected", found?.rec, found?.grant);
      return graphError(190, "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.", { subcode: 460 });
    }
    if (!verdict.ok) {
      recordRefreshAttempt(rt, verdict.reason === "missing" ? "unknown" : verdict.reason, found?.rec, found?.grant);
      return tokenProblem(rt, query.access_token)!;
    }
    if (verdict.rec.variant !== "long") {
      recordRefreshAttempt(rt, "unknown", verdict.rec, verdict.grant);
      return graphError(100, "Invalid parameter: only a long-lived token can be refreshed.");
    }
    if (rt.now() - verdict.rec.issuedAt < THREADS_REFRESH_AFTER_MS || !verdict.grant.scopes.includes("threads_basic")) {
      // Too early: refused, but the token is fine (not a 190).
      recordRefreshAttempt(rt, "too_early", verdict.rec, verdict.grant);
      return graphError(100, "Invalid parameter: a long-lived access token can be refreshed only once it is at least 24 hours old.");
    }
    recordRefreshAttempt(rt, "ok", verdict.rec, verdict.grant);
    // A new 60-day token; the previous one keeps working until its own expiry.
    return json(longLived(rt, verdict.grant));
  },
};
