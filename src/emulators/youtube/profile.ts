import type { Profile } from "../oauth2/profile";
import type { ClientConfig } from "../oauth2/types";
import { B64URL, MINUTE, randomString } from "../oauth2/tokens";
import { certsRoute, channelsRoute, discoveryRoute, userinfoRoute } from "./api";
import { backendError, oauthError, quotaExceeded, rateLimitExceeded } from "./errors";
import { YOUTUBE_PERSONAS, type YouTubePersona } from "./personas";
import { EMAIL_SCOPE, issueDirect, PROFILE_SCOPE, revokeRoute, tokenInfoRoute, tokenRoute } from "./tokens";

/** Google OAuth 2.0 / OpenID Connect and the YouTube Data API: reference platforms/youtube.md. */

export const DEFAULT_GOOGLE_CLIENT: ClientConfig = {
  clientId: "000000000001-sandbox0youtube0linkboard.apps.googleusercontent.com",
  clientSecret: "GOCSPX-sandboxYouTubeSecret00000001",
  redirectUris: ["http://localhost:3000/api/auth/callback/youtube"],
  name: "Linkboard (sandbox)",
};

const G = "https://www.googleapis.com/auth/";
export const YOUTUBE_SCOPES = [
  "openid",
  EMAIL_SCOPE,
  PROFILE_SCOPE,
  ...["youtube.readonly", "youtube", "youtube.force-ssl", "youtube.upload", "youtubepartner", "yt-analytics.readonly"].map((x) => `${G}${x}`),
];

/** `email` and `profile` are aliases of the userinfo scopes. */
const ALIASES: Record<string, string> = { email: EMAIL_SCOPE, profile: PROFILE_SCOPE };

/** Undocumented (minutes) [M]. */
export const GOOGLE_CODE_TTL_MS = 10 * MINUTE;

export type YouTubeOptions = {
  /** Quota units per day per project (channels.list costs 1); default 10 000. */
  dailyQuota?: number;
  /** Status of an injected rateLimitExceeded: 429 (default) or 403, both seen. */
  rateLimitStatus?: 403 | 429;
};

export function youTubeProfile(o: YouTubeOptions = {}): Profile<YouTubePersona> {
  return {
    id: "youtube",
    platform: "Google",
    brandColor: "#1a73e8",
    personas: YOUTUBE_PERSONAS,
    defaultClient: DEFAULT_GOOGLE_CLIENT,
    knownScopes: YOUTUBE_SCOPES,
    dialog: {
      paths: ["/o/oauth2/v2/auth"],
      title: "Sign in with Google",
      clientIdParam: "client_id",
      splitScopes: (raw) => raw.split(" ").filter(Boolean),
      normalizeScope: (x) => ALIASES[x] ?? x,
      requireState: false,
      pkce: "optional",
      pkceMethods: () => ["S256", "plain"],
      // Granular consent: every scope but the sign-in ones can be unticked.
      declinable: (x) => !["openid", EMAIL_SCOPE, PROFILE_SCOPE].includes(x),
      keepEarlierScopes: (d) => d.raw.include_granted_scopes === "true",
      // A refresh token needs offline access, and then only on first consent or with prompt=consent.
      issuesRefresh: (d, _granted, firstConsent) => d.raw.access_type === "offline" && (firstConsent || (d.raw.prompt ?? "").split(" ").includes("consent")),
      codeTtlMs: GOOGLE_CODE_TTL_MS,
      mintCode: () => `4/0A${randomString(70, B64URL)}`,
      approveParams: (d, code, granted) => ({ state: d.state, code, scope: granted.join(" "), authuser: "0", prompt: d.raw.prompt === "consent" ? "consent" : "none" }),
      cancelParams: (d) => ({ error: "access_denied", state: d.state }),
    },
    routes: [tokenRoute, revokeRoute, tokenInfoRoute, discoveryRoute, certsRoute, userinfoRoute, channelsRoute(o.dailyQuota ?? 10_000)],
    faultResponse(kind, route) {
      if (route === "api") return kind === "server_error" ? backendError() : kind === "quota_exceeded" ? quotaExceeded() : rateLimitExceeded(o.rateLimitStatus ?? 429);
      return kind === "server_error" ? oauthError(503, "temporarily_unavailable", "Service unavailable") : oauthError(429, "rate_limit_exceeded", "Rate limit exceeded");
    },
    issueDirect,
    describe: {
      endpoints: {
        authorize: "GET /o/oauth2/v2/auth (access_type=offline, prompt=consent)",
        discovery: "GET /.well-known/openid-configuration (issuer {base})",
        token: "POST /token",
        revoke: "POST /revoke",
        tokeninfo: "GET /tokeninfo?access_token=",
        jwks: "GET /oauth2/v3/certs",
        userinfo: "GET /oauth2/v3/userinfo",
        profile: "GET /youtube/v3/channels?part=snippet,statistics&mine=true",
      },
      lifetimes: { code: "10 min [M]", access: "3599 s", refresh: "until revoked; 6 months unused; 7 d for Testing clients; 100 per account" },
    },
  };
}
