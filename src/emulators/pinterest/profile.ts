import type { Profile } from "../oauth2/profile";
import type { ClientConfig } from "../oauth2/types";
import { MINUTE, randomString } from "../oauth2/tokens";
import { maintenance, rateLimited } from "./errors";
import { PINTEREST_PERSONAS, type PinterestPersona } from "./personas";
import { issueDirect, revokeRoute, tokenRoute, userAccountRoute } from "./routes";

/** Pinterest API v5 OAuth with continuous refresh tokens: reference platforms/pinterest.md. */

export const DEFAULT_PINTEREST_CLIENT: ClientConfig = {
  clientId: "1500001",
  clientSecret: "sandboxpinterestsecret00000000000000000001",
  redirectUris: ["http://localhost:3000/api/auth/callback/pinterest"],
  name: "Linkboard (sandbox)",
};

export const PINTEREST_SCOPES = [
  "ads:read",
  "ads:write",
  "boards:read",
  "boards:read_secret",
  "boards:write",
  "boards:write_secret",
  "catalogs:read",
  "catalogs:write",
  "pins:read",
  "pins:read_secret",
  "pins:write",
  "pins:write_secret",
  "user_accounts:read",
];

/** Undocumented (minutes) [M]. */
export const PINTEREST_CODE_TTL_MS = 10 * MINUTE;

export function pinterestProfile(): Profile<PinterestPersona> {
  return {
    id: "pinterest",
    platform: "Pinterest",
    brandColor: "#e60023",
    personas: PINTEREST_PERSONAS,
    defaultClient: DEFAULT_PINTEREST_CLIENT,
    knownScopes: PINTEREST_SCOPES,
    dialog: {
      paths: ["/oauth/", "/oauth"],
      title: "Give access",
      clientIdParam: "client_id",
      splitScopes: (raw) => raw.split(",").map((x) => x.trim()).filter(Boolean),
      requireState: false,
      pkce: "none",
      pkceMethods: () => [],
      // Per-scope choice is undocumented: all-or-nothing. Tokens list every scope granted so far.
      keepEarlierScopes: () => true,
      codeTtlMs: PINTEREST_CODE_TTL_MS,
      mintCode: () => randomString(40).toLowerCase(),
      approveParams: (d, code) => ({ code, state: d.state }),
      cancelParams: (d) => ({ error: "access_denied", state: d.state }),
    },
    routes: [tokenRoute, revokeRoute, userAccountRoute],
    faultResponse: (kind) => (kind === "server_error" ? maintenance() : rateLimited()),
    issueDirect,
    describe: {
      endpoints: {
        authorize: "GET /oauth/ (also without the trailing slash)",
        token: "POST /v5/oauth/token (HTTP Basic)",
        revoke: "POST /v5/oauth/token/revoke (user tokens: 403 code 29)",
        profile: "GET /v5/user_account",
      },
      lifetimes: { code: "10 min [M]", access: "30 d", refresh: "60 d, a new one with a fresh 60 d on every refresh" },
    },
  };
}
