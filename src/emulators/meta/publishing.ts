import { userOf, type Ctx, type RouteResult } from "./context";
import { GraphError, missingParam, objectNotFound, permissionError, unknownPath } from "./errors";
import { parseFields, project } from "./fields";
import { NODE_TYPES } from "./node-types";
import { igNode, pageNode, resolveIg, resolvePage } from "./routes-pages";
import { digits } from "./seeded";
import { getGrant, hasScope, nextSeq, now, type IgContainer } from "./state";

/** Page feed/photos and the Instagram container → publish flow with its 24 h quota (§12). */

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

function newId(ctx: Ctx, prefix: string, len = 15): string {
  return `${prefix}${digits(ctx.s.seed, len, "obj", nextSeq(ctx.s))}`;
}

function parseWhen(raw: string): number | null {
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : t;
}

const isFalse = (v: string | undefined) => v === "false" || v === "0";

function requirePageToken(ctx: Ctx, pageId: string, tasks: string[]): void {
  const g = ctx.token.personaId ? getGrant(ctx.s, ctx.token.appId, ctx.token.personaId) : undefined;
  if (ctx.token.type !== "PAGE" || ctx.token.pageId !== pageId || !hasScope(g, "pages_manage_posts") || !hasScope(g, "pages_read_engagement")) {
    throw permissionError(
      "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission",
    );
  }
  if (!tasks.some((t) => ["CREATE_CONTENT", "MANAGE", "MODERATE"].includes(t))) {
    throw permissionError("(#200) The user does not have the CREATE_CONTENT task on this Page");
  }
}

function createPost(ctx: Ctx, pageId: string, kind: "feed" | "photos"): RouteResult {
  const p = ctx.req.params;
  const published = !isFalse(p.published);
  const t = now(ctx.s);
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
  }
  const state = ctx.s.world.posts[pageId] ?? { count: 0 };
  const message = p.message ?? p.caption;
  if (kind === "feed") {
    if (!message && !p.link) throw new GraphError({ code: 100, message: "(#100) Missing message or attachment" });
    if (published && message && state.lastMessage === message) throw new GraphError({ code: 506, message: "(#506) Duplicate status message" });
  } else if (!p.url && !p.source) {
    throw new GraphError({ code: 324, message: "(#324) Requires upload file" });
  }
  state.count++;
  if (published && message) state.lastMessage = message;
  ctx.s.world.posts[pageId] = state;
  const postId = `${pageId}_${newId(ctx, "1221")}`;
  return { body: kind === "feed" ? { id: postId } : { id: newId(ctx, "1221"), post_id: postId } };
}

export function pageEdgeRoute(ctx: Ctx, id: string, edge: string | undefined, rest: string[]): RouteResult | null {
  if (ctx.token.type === "APP" || !/^103\d+$/.test(id)) return null;
  const found = resolvePage(ctx, id);
  if (!found) return null;
  if (!edge) return pageNode(ctx, id);
  if (rest.length > 0) throw unknownPath(`/${rest.join("/")}`);
  ctx.usage.pageId = id;
  ctx.usage.kind = "pages";
  if (edge !== "feed" && edge !== "photos") throw unknownPath(`/${edge}`);
  if (ctx.req.method === "GET") return { body: { data: [] } };
  requirePageToken(ctx, id, found.page.tasks);
  return createPost(ctx, id, edge);
}

function containerStatus(ctx: Ctx, c: IgContainer): string {
  if (c.published) return "PUBLISHED";
  const age = now(ctx.s) - c.createdAt;
  if (age >= DAY) return "EXPIRED";
  if (c.video && age < 30_000) return "IN_PROGRESS";
  return "FINISHED";
}

function publishedInWindow(ctx: Ctx, igId: string): number[] {
  const t = now(ctx.s);
  const list = (ctx.s.world.igPublishes[igId] ?? []).filter((x) => t - x < DAY);
  ctx.s.world.igPublishes[igId] = list;
  return list;
}

export function igEdgeRoute(ctx: Ctx, id: string, edge: string | undefined, rest: string[]): RouteResult | null {
  if (ctx.token.type === "APP" || !/^178414\d+$/.test(id)) return null;
  if (!resolveIg(ctx, id)) return null;
  if (!edge) return igNode(ctx, id);
  if (rest.length > 0) throw unknownPath(`/${rest.join("/")}`);
  ctx.usage.pageId = id;
  ctx.usage.kind = "instagram";
  const p = ctx.req.params;
  if (edge === "content_publishing_limit") {
    const wantConfig = (p.fields ?? "").split(",").includes("config");
    const row: Record<string, unknown> = { quota_usage: publishedInWindow(ctx, id).length };
    if (wantConfig) row.config = { quota_total: ctx.s.igQuota, quota_duration: 86400 };
    return { body: { data: [row] } };
  }
  if (edge !== "media" && edge !== "media_publish") throw unknownPath(`/${edge}`);
  if (ctx.req.method === "GET") return { body: { data: [] } };
  const { persona } = userOf(ctx);
  if (!hasScope(getGrant(ctx.s, ctx.token.appId, persona.id), "instagram_content_publish")) {
    throw new GraphError({ code: 10, message: "(#10) Application does not have permission for this action" });
  }
  if (edge === "media") {
    const video = !!p.video_url || p.media_type === "REELS" || p.media_type === "VIDEO";
    if (!p.image_url && !p.video_url && p.media_type !== "CAROUSEL") throw missingParam("image_url");
    const c: IgContainer = { id: newId(ctx, "1789", 13), igId: id, createdAt: now(ctx.s), video, published: false };
    ctx.s.world.igContainers[c.id] = c;
    return { body: { id: c.id } };
  }
  if (!p.creation_id) throw new GraphError({ code: 100, message: "(#100) The parameter creation_id is required." });
  const c = ctx.s.world.igContainers[p.creation_id];
  if (!c || c.igId !== id) throw objectNotFound(p.creation_id);
  const status = containerStatus(ctx, c);
  if (status !== "FINISHED") {
    throw new GraphError({ code: 9007, subcode: 2207027, message: "Media ID is not available", userMsg: `The media is not ready for publishing (status ${status}).` });
  }
  if (publishedInWindow(ctx, id).length >= ctx.s.igQuota) {
    throw new GraphError({
      code: 9,
      subcode: 2207042,
      message: "(#9) Application request limit reached",
      userTitle: "Maximum number of posts reached",
      userMsg: "You reached the maximum number of posts that is allowed to be published in 24 hours.",
    });
  }
  c.published = true;
  ctx.s.world.igPublishes[id]!.push(now(ctx.s));
  return { body: { id: newId(ctx, "1792", 13) } };
}

export function containerNode(ctx: Ctx, id: string, edge: string | undefined): RouteResult | null {
  const c = ctx.s.world.igContainers[id];
  if (!c || ctx.token.type === "APP") return null;
  if (!resolveIg(ctx, c.igId)) return null;
  if (edge) throw unknownPath(`/${edge}`);
  const status = containerStatus(ctx, c);
  return { body: project(NODE_TYPES, "IGMediaContainer", { id, status_code: status, status: status === "ERROR" ? "Error" : status }, parseFields(ctx.req.params.fields)) };
}
