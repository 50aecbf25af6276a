import { canPublish } from "./assets";
import { onlyGet, type Ctx, type RouteResult } from "./context";
import { GraphError, objectNotFound, permissionError, unknownPath } from "./errors";
import { parseFields, project, validateSelection, type NodeData } from "./fields";
import { NODE_TYPES } from "./node-types";
import { paginate } from "./paging";
import type { PageSpec } from "./personas";
import { pageNode, resolvePage } from "./routes-pages";
import { digits } from "./seeded";
import { getGrant, hasScope, nextSeq, now, type PagePost, type SandboxState } from "./state";

/**
 * Page publishing (§12.1): `POST /{page}/feed` and `/photos` with the Page token, 506 for the same
 * status twice in a row, the 10 min–30 day schedule window, and reading it all back through
 * `/{page}/feed`, `/published_posts`, `/scheduled_posts` and `/{post-id}`.
 */

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

export function newObjectId(s: SandboxState, prefix: string, len = 15): string {
  return `${prefix}${digits(s.seed, len, "obj", nextSeq(s))}`;
}

/** Unix seconds, ISO-8601 or anything Date.parse reads; null when none of those. */
export function parseWhen(raw: string): number | null {
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : t;
}

/** A media URL the sandbox cannot fetch: not http(s), or "broken" anywhere in its path (documented). */
export function isBrokenMediaUrl(url: string): boolean {
  if (!URL.canParse(url)) return true;
  const u = new URL(url);
  return !["http:", "https:"].includes(u.protocol) || /broken/i.test(u.pathname);
}

/** Meta's timestamp format: 2026-05-01T12:00:00+0000. */
export const graphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");

const isFalse = (v: string | undefined) => v === "false" || v === "0";
const POSTING_REQUIRES =
  "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission";

/** Posting needs the Page's own token, both permissions, and a publishing task on the Page. */
function requirePublishing(ctx: Ctx, page: PageSpec): void {
  const g = ctx.token.personaId ? getGrant(ctx.s, ctx.token.appId, ctx.token.personaId) : undefined;
  const pageToken = ctx.token.type === "PAGE" && ctx.token.pageId === page.id;
  if (!pageToken || !hasScope(g, "pages_manage_posts") || !hasScope(g, "pages_read_engagement") || !canPublish(page)) {
    throw permissionError(POSTING_REQUIRES);
  }
}

/** Reading a Page's posts takes a Page token (a user token gets #210). */
function requirePageTokenToRead(ctx: Ctx): void {
  if (ctx.token.type !== "PAGE") throw new GraphError({ code: 210, message: "(#210) A page access token is required to request this resource." });
}

const effectiveTime = (p: PagePost) => p.scheduledAt ?? p.createdAt;
const isLive = (s: SandboxState, p: PagePost) => p.published || (p.scheduledAt !== undefined && p.scheduledAt <= now(s));

function lastLiveStatus(s: SandboxState, pageId: string): PagePost | undefined {
  return Object.values(s.world.pagePosts)
    .reverse()
    .filter((p) => p.pageId === pageId && p.kind === "status" && isLive(s, p))
    .sort((a, b) => effectiveTime(b) - effectiveTime(a))[0];
}

function createPost(ctx: Ctx, page: PageSpec, kind: "status" | "photo"): RouteResult {
  requirePublishing(ctx, page);
  const p = ctx.req.params;
  const published = !isFalse(p.published);
  const t = now(ctx.s);
  let scheduledAt: number | undefined;
  if (p.scheduled_publish_time) {
    const when = parseWhen(p.scheduled_publish_time);
    if (published) throw new GraphError({ code: 100, message: "(#100) Cannot specify a scheduled publish time on a published post" });
    if (when === null || when < t + 10 * MIN || when > t + 30 * DAY) {
      throw new GraphError({
        code: 100,
        message: "(#100) The specified scheduled publish time is invalid.",
        userMsg: "Scheduled posts must be between 10 minutes and 30 days from now.",
      });
    }
    scheduledAt = when;
  }
  const message = kind === "status" ? p.message : (p.caption ?? p.message);
  if (kind === "status") {
    if (!message && !p.link) throw new GraphError({ code: 100, message: "(#100) Missing message or attachment" });
    if (published && message && lastLiveStatus(ctx.s, page.id)?.message === message) throw new GraphError({ code: 506, message: "(#506) Duplicate status message" });
  } else {
    if (!p.url && !p.source) throw new GraphError({ code: 324, message: "(#324) Requires upload file" });
    if (p.url && isBrokenMediaUrl(p.url)) throw new GraphError({ code: 324, message: "(#324) Missing or invalid image file" });
  }
  const post: PagePost = {
    id: `${page.id}_${newObjectId(ctx.s, "1221")}`,
    pageId: page.id,
    kind,
    message: message || undefined,
    link: kind === "status" ? p.link : undefined,
    imageUrl: kind === "photo" ? (p.url ?? "upload:source") : undefined,
    photoId: kind === "photo" ? newObjectId(ctx.s, "1221") : undefined,
    createdAt: t,
    scheduledAt,
    published,
    tokenId: ctx.token.id,
  };
  ctx.s.world.pagePosts[post.id] = post;
  if (kind === "status") return { body: { id: post.id } };
  // An unpublished photo without a schedule makes no story on the feed: no post id.
  return { body: published || scheduledAt ? { id: post.photoId, post_id: post.id } : { id: post.photoId } };
}

export function postData(s: SandboxState, p: PagePost, page: PageSpec): NodeData {
  const live = isLive(s, p);
  return {
    id: p.id,
    message: p.message,
    created_time: graphTime(effectiveTime(p)),
    updated_time: graphTime(effectiveTime(p)),
    link: p.link,
    permalink_url: `https://www.facebook.com/${page.id}/posts/${p.id.split("_")[1]}`,
    full_picture: p.kind === "photo" ? p.imageUrl : undefined,
    is_published: live,
    scheduled_publish_time: p.scheduledAt !== undefined && !live ? Math.floor(p.scheduledAt / 1000) : undefined,
    status_type: p.kind === "photo" ? "added_photos" : p.link ? "shared_story" : "mobile_status_update",
    from: { name: page.name, id: page.id },
  };
}

function listPosts(ctx: Ctx, page: PageSpec, which: "live" | "scheduled"): RouteResult {
  requirePageTokenToRead(ctx);
  const sel = parseFields(ctx.req.params.fields);
  validateSelection(NODE_TYPES, "Post", sel);
  const since = ctx.req.params.since ? parseWhen(ctx.req.params.since) : null;
  const until = ctx.req.params.until ? parseWhen(ctx.req.params.until) : null;
  // Newest first: by time, then (stable sort over the reversed insertion order) the later post first.
  const posts = Object.values(ctx.s.world.pagePosts)
    .reverse()
    .filter((p) => p.pageId === page.id && (which === "live" ? isLive(ctx.s, p) : !isLive(ctx.s, p) && p.scheduledAt !== undefined))
    .filter((p) => (since === null || effectiveTime(p) >= since) && (until === null || effectiveTime(p) <= until))
    .sort((a, b) => effectiveTime(b) - effectiveTime(a));
  return { body: paginate(ctx.req, posts.length, (pos) => project(NODE_TYPES, "Post", postData(ctx.s, posts[pos]!, page), sel), { shortPages: false }) };
}

export function pageEdgeRoute(ctx: Ctx, id: string, edge: string | undefined, rest: string[]): RouteResult | null {
  if (ctx.token.type === "APP" || !/^103\d+$/.test(id)) return null;
  const found = resolvePage(ctx, id);
  if (!found) return null;
  if (!edge) return pageNode(ctx, id);
  if (rest.length > 0) throw unknownPath(`/${rest.join("/")}`);
  ctx.usage.pageId = id;
  ctx.usage.kind = "pages";
  const get = ctx.req.method === "GET";
  if (edge === "feed") return get ? listPosts(ctx, found.page, "live") : createPost(ctx, found.page, "status");
  if (edge === "photos" && !get) return createPost(ctx, found.page, "photo");
  if ((edge === "published_posts" || edge === "posts") && get) return listPosts(ctx, found.page, "live");
  if (edge === "scheduled_posts" && get) return listPosts(ctx, found.page, "scheduled");
  if (edge === "photos") {
    requirePageTokenToRead(ctx);
    const photos = Object.values(ctx.s.world.pagePosts).filter((p) => p.pageId === id && p.kind === "photo");
    return { body: paginate(ctx.req, photos.length, (pos) => ({ id: photos[pos]!.photoId, created_time: graphTime(photos[pos]!.createdAt) }), { shortPages: false }) };
  }
  throw unknownPath(`/${edge}`);
}

/** `GET /{page-id}_{post-id}`. */
export function postNode(ctx: Ctx, id: string, edge: string | undefined): RouteResult | null {
  const post = ctx.s.world.pagePosts[id];
  if (!post || ctx.token.type === "APP") return null;
  const found = resolvePage(ctx, post.pageId);
  if (!found) throw objectNotFound(id);
  if (edge) throw unknownPath(`/${edge}`);
  onlyGet(ctx, id);
  requirePageTokenToRead(ctx);
  ctx.usage.pageId = post.pageId;
  ctx.usage.kind = "pages";
  return { body: project(NODE_TYPES, "Post", postData(ctx.s, post, found.page), parseFields(ctx.req.params.fields)) };
}
