import { redirectTo } from "../oauth2/dialog";
import type { Profile } from "../oauth2/profile";
import type { ClientConfig } from "../oauth2/types";
import { MINUTE } from "../oauth2/tokens";
import { discoveryRoute, followersRoute, jwksRoute, userinfoRoute } from "./api";
import { internalError, oauthError, throttled } from "./errors";
import { LINKEDIN_PERSONAS, type LinkedInPersona } from "./personas";
import { accessTokenRoute, introspectRoute, issueDirect, mintLinkedInToken, revokeRoute } from "./tokens";

/** LinkedIn OAuth 2.0 / OpenID Connect: reference platforms/linkedin.md. */

export const DEFAULT_LINKEDIN_CLIENT: ClientConfig = {
  clientId: "86sandboxlnkdn01",
  clientSecret: "WPL_AP1.sandboxLinkedInSecret.0000000001",
  redirectUris: ["http://localhost:3000/api/auth/callback/linkedin"],
  name: "Linkboard (sandbox)",
  scopes: ["openid", "profile", "email", "w_member_social", "r_member_profileAnalytics"],
  // Approved for programmatic refresh tokens (the Community Management API needs approval anyway).
  refreshTokens: true,
};

export const LINKEDIN_SCOPES = [
  "openid",
  "profile",
  "email",
  "w_member_social",
  "r_member_profileAnalytics",
  "r_liteprofile",
  "r_emailaddress",
  "r_basicprofile",
  "r_organization_social",
  "w_organization_social",
  "rw_organization_admin",
  "r_ads",
  "rw_ads",
  "r_ads_reporting",
];

export const LINKEDIN_CODE_TTL_MS = 30 * MINUTE;

export function linkedInProfile(): Profile<LinkedInPersona> {
  return {
    id: "linkedin",
    platform: "LinkedIn",
    brandColor: "#0a66c2",
    personas: LINKEDIN_PERSONAS,
    defaultClient: DEFAULT_LINKEDIN_CLIENT,
    knownScopes: LINKEDIN_SCOPES,
    dialog: {
      paths: ["/oauth/v2/authorization"],
      title: "Authorize app",
      clientIdParam: "client_id",
      splitScopes: (raw) => raw.split(/[\s,]+/).filter(Boolean),
      requireState: false,
      // Server-side web apps rely on the client secret; a challenge is ignored.
      pkce: "none",
      pkceMethods: () => [],
      onUnknownScope: (d, scope) =>
        redirectTo(d.redirectUri, { error: "unauthorized_scope_error", error_description: `Scope "${scope}" is not authorized for your application`, state: d.state }),
      issuesRefresh: (d) => d.client.refreshTokens === true,
      codeTtlMs: LINKEDIN_CODE_TTL_MS,
      mintCode: () => mintLinkedInToken(140),
      approveParams: (d, code) => ({ code, state: d.state }),
      cancelParams: (d) => ({ error: "user_cancelled_authorize", error_description: "The user cancelled the authorization", state: d.state }),
    },
    routes: [accessTokenRoute, revokeRoute, introspectRoute, discoveryRoute, jwksRoute, userinfoRoute, followersRoute],
    faultResponse(kind, route) {
      if (kind !== "server_error") return throttled();
      return route === "api" ? internalError() : oauthError(500, "server_error", "Internal server error");
    },
    issueDirect,
    describe: {
      endpoints: {
        authorize: "GET /oauth/v2/authorization",
        token: "POST /oauth/v2/accessToken",
        revoke: "POST /oauth/v2/revoke",
        introspect: "POST /oauth/v2/introspectToken",
        discovery: "GET /oauth/.well-known/openid-configuration (issuer {base}/oauth)",
        jwks: "GET /oauth/openid/jwks",
        profile: "GET /v2/userinfo",
        followers: "GET /rest/memberFollowersCount?q=me (LinkedIn-Version: YYYYMM)",
      },
      lifetimes: { code: "30 min", access: "60 d", refresh: "365 d from the first authorization, not rotated (apps with refreshTokens)" },
    },
  };
}
