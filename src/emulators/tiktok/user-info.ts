import { bearerToken } from "../meta/http";
import { accessFor } from "../oauth2/route-steps";
import type { Route } from "../oauth2/profile";
import { json } from "../oauth2/respond";
import { DAY } from "../oauth2/tokens";
import { invalidParams, logId, scopeNotAuthorized, scopePermissionMissed, tokenInvalid } from "./errors";
import type { TikTokPersona } from "./personas";

/** GET /v2/user/info/ (§5): `fields` required, each field needs its scope, envelope with error.code "ok". */

export const FIELD_SCOPES: Record<string, string> = {
  open_id: "user.info.basic",
  union_id: "user.info.basic",
  avatar_url: "user.info.basic",
  avatar_url_100: "user.info.basic",
  avatar_large_url: "user.info.basic",
  display_name: "user.info.basic",
  bio_description: "user.info.profile",
  profile_deep_link: "user.info.profile",
  is_verified: "user.info.profile",
  username: "user.info.profile",
  follower_count: "user.info.stats",
  following_count: "user.info.stats",
  likes_count: "user.info.stats",
  video_count: "user.info.stats",
};

function field(p: TikTokPersona, name: string, avatar: string): unknown {
  switch (name) {
    case "open_id":
      return p.externalId;
    case "union_id":
      return p.unionId;
    case "avatar_url":
    case "avatar_url_100":
    case "avatar_large_url":
      return avatar;
    case "display_name":
      return p.name;
    case "bio_description":
      return p.bio;
    case "profile_deep_link":
      return `https://vm.tiktok.com/sandbox-${p.id}/`;
    case "is_verified":
      return p.verified;
    case "username":
      return p.handle;
    case "follower_count":
      return p.stats.followers ?? 0;
    case "following_count":
      return p.stats.following ?? 0;
    case "likes_count":
      return p.likes;
    default:
      return p.stats.posts ?? 0;
  }
}

export const userInfoRoute: Route<TikTokPersona> = {
  method: "GET",
  path: "/v2/user/info/",
  kind: "api",
  handle(ctx) {
    const { rt } = ctx;
    const now = rt.now();
    const a = accessFor(ctx, bearerToken(ctx.request.headers));
    if (!a.ok) return tokenInvalid(now);
    const fields = (ctx.query.fields ?? "").split(",").map((x) => x.trim()).filter(Boolean);
    if (fields.length === 0) return invalidParams(now, "The fields parameter is required.");
    const unknown = fields.filter((f) => !FIELD_SCOPES[f]);
    if (unknown.length > 0) return invalidParams(now, `Invalid fields: ${unknown.join(",")}`);
    const client = rt.client(a.grant.clientId);
    const appScopes = client?.scopes ?? rt.profile.knownScopes;
    const needed = [...new Set(fields.map((f) => FIELD_SCOPES[f]!))];
    if (needed.some((x) => !appScopes.includes(x))) return scopePermissionMissed(now);
    if (needed.some((x) => !a.grant.scopes.includes(x))) return scopeNotAuthorized(now);
    // Signed CDN links that expire in real life: re-read them rather than storing them for months.
    const avatar = `${ctx.base}/_assets/avatar/${a.persona.id}.svg?x-expires=${Math.floor((now + 3 * DAY) / 1000)}`;
    const user = Object.fromEntries(fields.map((f) => [f, field(a.persona, f, avatar)]));
    return json({ data: { user }, error: { code: "ok", message: "", log_id: logId(now) } });
  },
};
