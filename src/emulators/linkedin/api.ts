import { bearerToken } from "../meta/http";
import { jwks } from "../oauth2/jwt";
import { accessFor } from "../oauth2/route-steps";
import type { Route, RouteContext } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import type { AccessCheck } from "../oauth2/tokens";
import { accessDenied, emptyToken, expiredToken, invalidToken, restError, revokedToken } from "./errors";
import type { LinkedInPersona } from "./personas";

/** userinfo, memberFollowersCount, OIDC discovery and JWKS (§1, §5). */

function member(ctx: RouteContext<LinkedInPersona>): AccessCheck<LinkedInPersona> & { refusal?: Response } {
  const a = accessFor(ctx, bearerToken(ctx.request.headers) ?? ctx.query.oauth2_access_token);
  if (a.ok) return a;
  const refusal = { missing: emptyToken, unknown: invalidToken, revoked: revokedToken, expired: expiredToken }[a.reason]();
  return { ...a, refusal };
}

export const userinfoRoute: Route<LinkedInPersona> = {
  method: "GET",
  path: "/v2/userinfo",
  kind: "api",
  handle(ctx) {
    const a = member(ctx);
    if (!a.ok) return a.refusal!;
    const s = a.grant.scopes;
    if (!s.includes("openid") || !s.includes("profile")) return accessDenied("userinfo.GET.NO_VERSION");
    const p = a.persona;
    const email = s.includes("email");
    return json({
      sub: p.externalId,
      ...(email ? { email_verified: true } : {}),
      name: p.name,
      locale: p.locale,
      given_name: p.givenName,
      family_name: p.familyName,
      ...(email ? { email: p.email } : {}),
      ...(p.hasAvatar ? { picture: `${ctx.base}/_assets/avatar/${p.id}.svg` } : {}),
    });
  },
};

/** Versions live for about a year (YYYYMM); older ones are sunset. */
function versionProblem(version: string | null, now: number): Response | null {
  if (!version) return restError(400, 0, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.");
  const m = /^(\d{4})(\d{2})$/.exec(version);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return restError(400, 0, "INVALID_VERSION", `Invalid version format: ${version}`);
  const d = new Date(now);
  const age = (d.getUTCFullYear() - Number(m[1])) * 12 + (d.getUTCMonth() + 1 - Number(m[2]));
  if (age < 0 || age > 12) return restError(426, 0, "NONEXISTENT_VERSION", `Requested version ${version} is not active`);
  return null;
}

export const followersRoute: Route<LinkedInPersona> = {
  method: "GET",
  path: "/rest/memberFollowersCount",
  kind: "api",
  handle(ctx) {
    const a = member(ctx);
    if (!a.ok) return a.refusal!;
    const version = ctx.request.headers.get("linkedin-version");
    const bad = versionProblem(version, ctx.rt.now());
    if (bad) return bad;
    if (ctx.query.q !== "me") return restError(400, 0, "ILLEGAL_ARGUMENT", "Invalid value for param: q");
    if (!a.grant.scopes.includes("r_member_profileAnalytics")) return accessDenied(`memberFollowersCount.FINDER-me.${version}`);
    return json({ elements: [{ memberFollowersCount: a.persona.stats.followers ?? 0 }], paging: { count: 10, start: 0, links: [] } });
  },
};

export const discoveryRoute: Route<LinkedInPersona> = {
  method: "GET",
  path: "/oauth/.well-known/openid-configuration",
  kind: "discovery",
  handle: ({ base }) =>
    json({
      issuer: `${base}/oauth`,
      authorization_endpoint: `${base}/oauth/v2/authorization`,
      token_endpoint: `${base}/oauth/v2/accessToken`,
      userinfo_endpoint: `${base}/v2/userinfo`,
      jwks_uri: `${base}/oauth/openid/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "profile", "email"],
      claims_supported: ["iss", "aud", "iat", "exp", "sub", "name", "given_name", "family_name", "picture", "email", "email_verified", "locale"],
      token_endpoint_auth_methods_supported: ["client_secret_post"],
    }),
};

export const jwksRoute: Route<LinkedInPersona> = {
  method: "GET",
  path: "/oauth/openid/jwks",
  kind: "discovery",
  handle: ({ rt }) => json(jwks(rt)),
};
