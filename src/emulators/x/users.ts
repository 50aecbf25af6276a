import { bearerToken } from "../meta/http";
import { accessFor } from "../oauth2/route-steps";
import type { Route } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import { countCall } from "../oauth2/rate-limit";
import { MINUTE } from "../oauth2/tokens";
import { forbidden, invalidFields, tooManyRequests, unauthorized } from "./errors";
import type { XPersona } from "./personas";

/** GET /2/users/me (§5): scopes tweet.read + users.read, user.fields, 75 calls / 15 min per user. */

export const USERS_ME_LIMIT = 75;
export const USERS_ME_WINDOW_MS = 15 * MINUTE;

export const USER_FIELDS = [
  "affiliation",
  "connection_status",
  "created_at",
  "description",
  "entities",
  "id",
  "is_identity_verified",
  "location",
  "most_recent_tweet_id",
  "name",
  "parody",
  "pinned_tweet_id",
  "profile_banner_url",
  "profile_image_url",
  "protected",
  "public_metrics",
  "receives_your_dm",
  "subscription",
  "subscription_type",
  "url",
  "username",
  "verified",
  "verified_followers_count",
  "verified_type",
  "withheld",
];

export function rateHeaders(v: { limit: number; remaining: number; reset: number }): Record<string, string> {
  return { "x-rate-limit-limit": String(v.limit), "x-rate-limit-remaining": String(v.remaining), "x-rate-limit-reset": String(v.reset) };
}

function fieldsOf(p: XPersona, base: string, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: p.externalId, name: p.name, username: p.handle };
  const extra: Record<string, () => unknown> = {
    created_at: () => p.createdAt,
    description: () => p.description,
    protected: () => false,
    verified: () => p.verified,
    profile_image_url: () => `${base}/_assets/avatar/${p.id}_normal.svg`,
    public_metrics: () => ({
      followers_count: p.stats.followers ?? 0,
      following_count: p.stats.following ?? 0,
      tweet_count: p.stats.posts ?? 0,
      listed_count: p.metrics.listed,
      like_count: p.metrics.likes,
      media_count: p.metrics.media,
    }),
  };
  for (const f of fields) if (extra[f]) out[f] = extra[f]();
  return out;
}

export const usersMeRoute: Route<XPersona> = {
  method: "GET",
  path: "/2/users/me",
  kind: "api",
  handle(ctx) {
    const { rt } = ctx;
    const a = accessFor(ctx, bearerToken(ctx.request.headers));
    if (!a.ok) return unauthorized();
    const rate = countCall(rt, `users_me ${a.grant.personaId}`, USERS_ME_LIMIT, USERS_ME_WINDOW_MS);
    const headers = rateHeaders(rate);
    if (rate.exceeded) return tooManyRequests(headers);
    if (!a.grant.scopes.includes("tweet.read") || !a.grant.scopes.includes("users.read")) return forbidden(headers);
    const fields = (ctx.query["user.fields"] ?? "").split(",").filter(Boolean);
    const bad = fields.filter((f) => !USER_FIELDS.includes(f));
    if (bad.length > 0) return invalidFields("user.fields", bad, USER_FIELDS);
    return json({ data: fieldsOf(a.persona, ctx.base, fields) }, 200, headers);
  },
};
