import type { Profile } from "../oauth2/profile";
import type { ClientConfig } from "../oauth2/types";
import { MINUTE, randomString } from "../oauth2/tokens";
import { internalError, oauthError, rateLimited } from "./errors";
import { TIKTOK_PERSONAS, type TikTokPersona } from "./personas";
import { issueDirect, revokeRoute, tokenRoute, type TikTokLifetimes } from "./tokens";
import { userInfoRoute } from "./user-info";

/** TikTok Login Kit for Web (OAuth v2) and the Display API: reference platforms/tiktok.md. */

export const DEFAULT_TIKTOK_CLIENT: ClientConfig = {
  clientId: "sbawsandboxtiktok01",
  clientSecret: "sandbox-tiktok-client-secret-000000000001",
  redirectUris: ["http://localhost:3000/api/auth/callback/tiktok"],
  name: "Linkboard (sandbox)",
};

export const TIKTOK_SCOPES = [
  "user.info.basic",
  "user.info.profile",
  "user.info.stats",
  "video.list",
  "video.upload",
  "video.publish",
  "artist.certification.read",
  "artist.certification.update",
];

/** Undocumented beyond "short-lived" [M]. */
export const TIKTOK_CODE_TTL_MS = 10 * MINUTE;

export type TikTokOptions = {
  /** "current": 2 h access / 180 d refresh (default); "legacy": 24 h / 365 d. */
  lifetimes?: TikTokLifetimes;
  /** Spending a spent refresh token also ends its grant (undocumented; default off). */
  refreshReuseRevokesGrant?: boolean;
};

export function tikTokProfile(o: TikTokOptions = {}): Profile<TikTokPersona> {
  const lifetimes = o.lifetimes ?? "current";
  return {
    id: "tiktok",
    platform: "TikTok",
    brandColor: "#fe2c55",
    personas: TIKTOK_PERSONAS,
    defaultClient: DEFAULT_TIKTOK_CLIENT,
    knownScopes: TIKTOK_SCOPES,
    dialog: {
      // Auth.js and Arctic call the dialog without the trailing slash, and it works.
      paths: ["/v2/auth/authorize/", "/v2/auth/authorize"],
      title: "Log in to TikTok",
      clientIdParam: "client_key",
      splitScopes: (raw) => raw.split(",").map((x) => x.trim()).filter(Boolean),
      requireState: true,
      pkce: "optional",
      pkceMethods: () => ["S256"],
      // Users may agree to a subset; the basic profile is what logging in shares.
      declinable: (scope) => scope !== "user.info.basic",
      codeTtlMs: TIKTOK_CODE_TTL_MS,
      mintCode: () => randomString(72),
      approveParams: (d, code, granted) => ({ code, scopes: granted.join(","), state: d.state }),
      cancelParams: (d) => ({ error: "access_denied", error_description: "The user denied the authorization request.", state: d.state }),
    },
    routes: [tokenRoute(lifetimes, { rotate: true, reuseKillsGrant: o.refreshReuseRevokesGrant ?? false }), revokeRoute, userInfoRoute],
    faultResponse(kind, route, rt) {
      const now = rt.now();
      if (route === "api") return kind === "server_error" ? internalError(now) : rateLimited(now);
      return kind === "server_error"
        ? oauthError(now, 500, "server_error", "Internal server error.")
        : oauthError(now, 429, "temporarily_unavailable", "Too many requests. Please try again later.");
    },
    issueDirect: (rt, g) => issueDirect(rt, g, lifetimes),
    describe: {
      endpoints: {
        authorize: "GET /v2/auth/authorize/ (client_key; also without the trailing slash)",
        token: "POST /v2/oauth/token/",
        revoke: "POST /v2/oauth/revoke/",
        profile: "GET /v2/user/info/?fields=open_id,union_id,avatar_url,display_name,username,follower_count,following_count,video_count",
      },
      lifetimes: {
        code: "10 min [M]",
        access: lifetimes === "legacy" ? "24 h" : "2 h",
        refresh: `${lifetimes === "legacy" ? "365" : "180"} d from the grant, rotates on every use`,
      },
    },
  };
}
