import type { Profile } from "../oauth2/profile";
import type { ClientConfig, FaultKind } from "../oauth2/types";
import { USERS_ME_LIMIT, USERS_ME_WINDOW_MS, rateHeaders, usersMeRoute } from "./users";
import { serviceUnavailable, tooManyRequests } from "./errors";
import { X_PERSONAS, type XPersona } from "./personas";
import { issueDirect, mintXToken, revokeRoute, tokenRoute } from "./tokens";

/** X (Twitter) OAuth 2.0 with PKCE: reference platforms/x.md. */

export const DEFAULT_X_CLIENT: ClientConfig = {
  clientId: "c2FuZGJveC14LWNsaWVudC0wMDAx",
  clientSecret: "sandbox-x-client-secret-0000000000000000000001",
  redirectUris: ["http://localhost:3000/api/auth/callback/x"],
  name: "Linkboard (sandbox)",
};

export const X_SCOPES = [
  "tweet.read",
  "tweet.write",
  "tweet.moderate.write",
  "users.email",
  "users.read",
  "follows.read",
  "follows.write",
  "offline.access",
  "space.read",
  "mute.read",
  "mute.write",
  "like.read",
  "like.write",
  "list.read",
  "list.write",
  "block.read",
  "block.write",
  "bookmark.read",
  "bookmark.write",
  "media.write",
  "dm.read",
  "dm.write",
];

export const X_CODE_TTL_MS = 30_000;

export type XOptions = {
  /** Spending a spent refresh token also kills the newer tokens of its grant (undocumented; default on). */
  refreshReuseRevokesGrant?: boolean;
};

export function xProfile(o: XOptions = {}): Profile<XPersona> {
  return {
    id: "x",
    platform: "X",
    brandColor: "#0f1419",
    personas: X_PERSONAS,
    defaultClient: DEFAULT_X_CLIENT,
    knownScopes: X_SCOPES,
    dialog: {
      paths: ["/i/oauth2/authorize"],
      title: "Authorize app",
      clientIdParam: "client_id",
      splitScopes: (raw) => raw.split(" ").filter(Boolean),
      requireState: true,
      pkce: "required",
      pkceMethods: (c) => (c.allowPlainPkce ? ["S256", "plain"] : ["S256"]),
      check: (d, _rt, refuse) => ((d.state ?? "").length > 500 ? refuse("Something went wrong", "state is longer than 500 characters.") : null),
      // The consent screen is all-or-nothing; a refresh token only comes with offline.access.
      issuesRefresh: (_d, granted) => granted.includes("offline.access"),
      codeTtlMs: X_CODE_TTL_MS,
      mintCode: () => mintXToken("ac"),
      approveParams: (d, code) => ({ code, state: d.state }),
      cancelParams: (d) => ({ error: "access_denied", state: d.state }),
    },
    routes: [tokenRoute({ rotate: true, reuseKillsGrant: o.refreshReuseRevokesGrant ?? true }), revokeRoute, usersMeRoute],
    faultResponse(kind: FaultKind, _route, rt) {
      if (kind === "server_error") return serviceUnavailable();
      return tooManyRequests(rateHeaders({ limit: USERS_ME_LIMIT, remaining: 0, reset: Math.ceil((rt.now() + USERS_ME_WINDOW_MS) / 1000) }));
    },
    issueDirect: (rt, g) => issueDirect(rt, g),
    describe: {
      endpoints: {
        authorize: "GET /i/oauth2/authorize",
        token: "POST /2/oauth2/token",
        revoke: "POST /2/oauth2/revoke",
        profile: "GET /2/users/me?user.fields=profile_image_url,public_metrics",
      },
      lifetimes: { code: "30 s", access: "2 h", refresh: "rotates on every use; 180 d idle [M]" },
    },
  };
}
