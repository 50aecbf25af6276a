import { bearerToken } from "../meta/http";
import { jwks } from "../oauth2/jwt";
import { accessFor } from "../oauth2/route-steps";
import type { Route } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import { DAY, HOUR } from "../oauth2/tokens";
import { authError, authorizationRequired, badRequest, insufficientPermissions, quotaExceeded } from "./errors";
import type { YouTubePersona } from "./personas";
import { EMAIL_SCOPE, PROFILE_SCOPE } from "./tokens";

/** channels.list, userinfo, JWKS and OIDC discovery (§1, §5). */

const CHANNEL_SCOPES = ["youtube.readonly", "youtube", "youtube.force-ssl", "youtubepartner"].map((x) => `https://www.googleapis.com/auth/${x}`);
const PARTS = ["id", "snippet", "statistics", "contentDetails", "brandingSettings", "status", "topicDetails", "localizations", "auditDetails", "contentOwnerDetails"];
const FILTERS = ["forUsername", "managedByMe", "categoryId", "mine", "mySubscribers", "id", "idParam", "forHandle"];

/** subscriberCount is rounded down to three significant figures. */
export function roundSubscribers(n: number): string {
  if (n < 1000) return String(n);
  const scale = 10 ** (Math.floor(Math.log10(n)) - 2);
  return String(Math.floor(n / scale) * scale);
}

/** The project's daily quota resets at midnight Pacific time (UTC−8 here; daylight saving ignored). */
function spendQuota(rt: Parameters<Route<YouTubePersona>["handle"]>[0]["rt"], clientId: string, units: number, quota: number): boolean {
  const pacific = 8 * HOUR;
  const dayStart = Math.floor((rt.now() - pacific) / DAY) * DAY + pacific;
  const key = `quota ${clientId}`;
  const w = rt.s.rateWindows[key];
  const used = w && w.start === dayStart ? w.count : 0;
  if (used + units > quota) return false;
  rt.s.rateWindows[key] = { start: dayStart, count: used + units };
  return true;
}

const etag = (x: string) => Buffer.from(x).toString("base64url").slice(0, 27);

function channelResource(p: YouTubePersona, parts: string[], base: string): Record<string, unknown> {
  const c = p.channel!;
  const out: Record<string, unknown> = { kind: "youtube#channel", etag: etag(`${c.id}${parts.join()}`), id: c.id };
  const thumb = (size: number) => ({ url: `${base}/_assets/avatar/${p.id}_s${size}.svg`, width: size, height: size });
  if (parts.includes("snippet")) {
    out.snippet = {
      title: c.title,
      description: c.description,
      customUrl: c.customUrl,
      publishedAt: c.publishedAt,
      thumbnails: { default: thumb(88), medium: thumb(240), high: thumb(800) },
      localized: { title: c.title, description: c.description },
      country: c.country,
    };
  }
  if (parts.includes("statistics")) {
    // Counts are unsigned 64-bit values sent as strings.
    out.statistics = {
      viewCount: String(c.views),
      ...(c.hiddenSubscriberCount ? {} : { subscriberCount: roundSubscribers(p.stats.followers ?? 0) }),
      hiddenSubscriberCount: c.hiddenSubscriberCount,
      videoCount: String(p.stats.posts ?? 0),
    };
  }
  return out;
}

export function channelsRoute(dailyQuota: number): Route<YouTubePersona> {
  return {
    method: "GET",
    path: "/youtube/v3/channels",
    kind: "api",
    handle(ctx) {
      const { rt, query } = ctx;
      const token = bearerToken(ctx.request.headers) ?? query.access_token;
      if (!token) return authorizationRequired();
      const a = accessFor(ctx, token);
      if (!a.ok) return authError();
      if (!spendQuota(rt, a.grant.clientId, 1, dailyQuota)) return quotaExceeded();
      if (!query.part) return badRequest("Required parameter: part", "required", "global");
      const parts = query.part.split(",").map((x) => x.trim());
      const unknown = parts.find((x) => !PARTS.includes(x));
      if (unknown) return badRequest(`'${unknown}'`, "unknownPart", "youtube.part");
      if (!FILTERS.some((f) => query[f] !== undefined)) {
        return badRequest(`No filter selected. Expected one of: ${FILTERS.join(", ")}`, "missingRequiredParameter", "youtube.parameter");
      }
      if (!a.grant.scopes.some((x) => CHANNEL_SCOPES.includes(x))) return insufficientPermissions();
      const p = a.persona;
      const mine = query.mine === "true" || (query.id ?? "").split(",").includes(p.channel?.id ?? "\u0000");
      const items = mine && p.channel ? [channelResource(p, parts, ctx.base)] : [];
      // An account without a channel: totalResults 0 and no `items` key at all.
      return json({
        kind: "youtube#channelListResponse",
        etag: etag(`${p.id}${query.part}${items.length}`),
        pageInfo: { totalResults: items.length, resultsPerPage: 5 },
        ...(items.length > 0 ? { items } : {}),
      });
    },
  };
}

export const userinfoRoute: Route<YouTubePersona> = {
  method: "GET",
  path: "/oauth2/v3/userinfo",
  kind: "api",
  handle(ctx) {
    const a = accessFor(ctx, bearerToken(ctx.request.headers) ?? ctx.query.access_token);
    if (!a.ok) {
      return json({ error: "invalid_request", error_description: "Invalid Credentials" }, 401, { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' });
    }
    const p = a.persona;
    const s = a.grant.scopes;
    return json({
      sub: p.googleSub,
      ...(s.includes(PROFILE_SCOPE)
        ? { name: p.name, given_name: p.givenName, family_name: p.familyName, picture: `${ctx.base}/_assets/avatar/${p.id}.svg`, locale: p.locale }
        : {}),
      ...(s.includes(EMAIL_SCOPE) ? { email: p.email, email_verified: true } : {}),
    });
  },
};

export const certsRoute: Route<YouTubePersona> = { method: "GET", path: "/oauth2/v3/certs", kind: "discovery", handle: ({ rt }) => json(jwks(rt)) };

export const discoveryRoute: Route<YouTubePersona> = {
  method: "GET",
  path: "/.well-known/openid-configuration",
  kind: "discovery",
  handle: ({ base }) =>
    json({
      issuer: base,
      authorization_endpoint: `${base}/o/oauth2/v2/auth`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/oauth2/v3/userinfo`,
      revocation_endpoint: `${base}/revoke`,
      jwks_uri: `${base}/oauth2/v3/certs`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      claims_supported: ["aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss", "name", "picture", "sub"],
      code_challenge_methods_supported: ["plain", "S256"],
      grant_types_supported: ["authorization_code", "refresh_token"],
    }),
};
