import type { Profile } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import type { ClientConfig } from "../oauth2/types";
import { HOUR, randomString } from "../oauth2/tokens";
import { throttled, unexpected } from "./errors";
import { insightsRoute, meRoute } from "./graph";
import { THREADS_PERSONAS, type ThreadsPersona } from "./personas";
import { codeExchangeRoute, exchangeRoute, issueDirect, refreshRoute } from "./tokens";

/** Threads Authorization Window, short → long-lived tokens, Graph profile: reference platforms/threads.md. */

export const DEFAULT_THREADS_CLIENT: ClientConfig = {
  clientId: "1200000000000001",
  clientSecret: "sandboxthreadsappsecret000000000001",
  redirectUris: ["http://localhost:3000/api/auth/callback/threads"],
  name: "Linkboard (sandbox)",
};

export const THREADS_SCOPES = [
  "threads_basic",
  "threads_content_publish",
  "threads_manage_insights",
  "threads_manage_replies",
  "threads_read_replies",
  "threads_manage_mentions",
  "threads_keyword_search",
  "threads_delete",
  "threads_location_tagging",
  "threads_profile_discovery",
];

export const THREADS_CODE_TTL_MS = 1 * HOUR;

/** The Authorization Window refuses with a JSON body, not an HTML page (codes other than 1349026 are [M]). */
function refuse(title: string, message: string): Response {
  if (title === "Invalid client") return json({ error_message: `No application data was given: ${message}`, error_code: 1349026 }, 400);
  return json({ error_message: `${title}: ${message}`, error_code: 1349187 }, 400);
}

export function threadsProfile(): Profile<ThreadsPersona> {
  return {
    id: "threads",
    platform: "Threads",
    brandColor: "#101010",
    personas: THREADS_PERSONAS,
    defaultClient: DEFAULT_THREADS_CLIENT,
    knownScopes: THREADS_SCOPES,
    dialog: {
      paths: ["/oauth/authorize"],
      title: "Allow access",
      clientIdParam: "client_id",
      splitScopes: (raw) => raw.split(/[\s,]+/).filter(Boolean),
      requireState: false,
      pkce: "none",
      pkceMethods: () => [],
      refuse,
      check: (d, _rt, no) => (d.scopes.includes("threads_basic") ? null : no("Missing permission", "threads_basic is required.")),
      // Users choose which permissions to grant, except the basic profile.
      declinable: (x) => x !== "threads_basic",
      issuesRefresh: () => false,
      codeTtlMs: THREADS_CODE_TTL_MS,
      mintCode: () => `AQBx-${randomString(160)}`,
      approveParams: (d, code) => ({ code, state: d.state }),
      cancelParams: (d) => ({ error: "access_denied", error_reason: "user_denied", error_description: "Permissions error", state: d.state }),
      fragment: "#_",
    },
    routes: [codeExchangeRoute, exchangeRoute, refreshRoute, meRoute, insightsRoute],
    faultResponse: (kind) => (kind === "server_error" ? unexpected() : throttled()),
    issueDirect,
    describe: {
      endpoints: {
        authorize: "GET /oauth/authorize",
        token: "POST /oauth/access_token (code → short-lived; answers no token_type)",
        exchange: "GET /access_token?grant_type=th_exchange_token&client_secret=&access_token=",
        refresh: "GET /refresh_access_token?grant_type=th_refresh_token&access_token=",
        profile: "GET /v1.0/me?fields=id,username,name,threads_profile_picture_url,threads_biography",
        followers: "GET /v1.0/{threads-user-id}/threads_insights?metric=followers_count",
        revoke: "none",
      },
      lifetimes: { code: "1 h", access: "short-lived 1 h → long-lived 5183944 s (60 d)", refresh: "the long-lived token itself, after 24 h, before it expires" },
    },
  };
}
