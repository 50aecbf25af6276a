import { canPublish } from "./assets";
import { onlyGet, userOf, type Ctx, type RouteResult } from "./context";
import { GraphError, missingParam, objectNotFound, unknownPath } from "./errors";
import { parseFields, project, validateSelection, type NodeData } from "./fields";
import { NODE_TYPES } from "./node-types";
import { graphTime, isBrokenMediaUrl, newObjectId } from "./page-publishing";
import { paginate } from "./paging";
import { igNode, resolveIg } from "./routes-pages";
import { getGrant, hasScope, now, type IgContainer, type IgMedia, type SandboxState } from "./state";

/**
 * Instagram content publishing (§12.2): container → status (IN_PROGRESS → FINISHED | ERROR, EXPIRED
 * after 24 h) → `media_publish`, the rolling 24-hour `content_publishing_limit`, and the published
 * media read back through `/{ig-user}/media` and `/{media-id}`.
 */

const DAY = 24 * 3600_000;
const NO_PERMISSION = "(#10) Application does not have permission for this action";

export function containerStatus(s: SandboxState, c: IgContainer): "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED" | "PUBLISHED" {
  if (c.published) return "PUBLISHED";
  const age = now(s) - c.createdAt;
  if (age >= DAY) return "EXPIRED";
  if (age < (c.video ? s.igProcessingMs.video : s.igProcessingMs.image)) return "IN_PROGRESS";
  return c.broken ? "ERROR" : "FINISHED";
}

const STATUS_TEXT: Record<ReturnType<typeof containerStatus>, string> = {
  IN_PROGRESS: "In Progress: Media is still being processed.",
  FINISHED: "Finished: Media has been uploaded and it is ready to be published.",
  ERROR: "Error: Media download has failed. The media URI doesn't meet our requirements. (2207052)",
  EXPIRED: "Expired: Media was not published within 24 hours of being created.",
  PUBLISHED: "Published: Media has been published.",
};

function publishedInWindow(s: SandboxState, igId: string): number[] {
  const t = now(s);
  const list = (s.world.igPublishes[igId] ?? []).filter((x) => t - x < DAY);
  s.world.igPublishes[igId] = list;
  return list;
}

function mediaData(m: IgMedia, username: string): NodeData {
  const shortcode = Buffer.from(m.id).toString("base64url").slice(0, 11);
  return {
    id: m.id,
    caption: m.caption,
    media_type: m.mediaType,
    media_product_type: "FEED",
    media_url: m.mediaUrl,
    permalink: `https://www.instagram.com/p/${shortcode}/`,
    shortcode,
    timestamp: graphTime(m.createdAt),
    username,
    like_count: 0,
    comments_count: 0,
    is_comment_enabled: true,
  };
}

function createContainer(ctx: Ctx, igId: string): RouteResult {
  const p = ctx.req.params;
  const video = !!p.video_url || (["REELS", "VIDEO", "STORIES"].includes(p.media_type ?? "") && !p.image_url);
  const mediaUrl = p.image_url ?? p.video_url;
  if (!mediaUrl && p.media_type !== "CAROUSEL") throw missingParam(video ? "video_url" : "image_url");
  if (p.caption && [...p.caption].length > 2200) throw new GraphError({ code: 100, message: "(#100) The caption is too long. The maximum is 2200 characters." });
  const c: IgContainer = {
    id: newObjectId(ctx.s, "1789", 13),
    igId,
    createdAt: now(ctx.s),
    video,
    published: false,
    mediaType: p.media_type ?? (video ? "VIDEO" : "IMAGE"),
    mediaUrl,
    caption: p.caption,
    broken: mediaUrl !== undefined && isBrokenMediaUrl(mediaUrl),
  };
  ctx.s.world.igContainers[c.id] = c;
  return { body: { id: c.id } };
}

function publishContainer(ctx: Ctx, igId: string): RouteResult {
  const p = ctx.req.params;
  if (!p.creation_id) throw new GraphError({ code: 100, message: "(#100) The parameter creation_id is required." });
  const c = ctx.s.world.igContainers[p.creation_id];
  if (!c || c.igId !== igId) throw objectNotFound(p.creation_id);
  const status = containerStatus(ctx.s, c);
  if (status !== "FINISHED") {
    throw new GraphError({ code: 9007, subcode: 2207027, message: "Media ID is not available", userMsg: `The media is not ready for publishing (status ${status}).` });
  }
  // Enforced here, at publish, over a rolling 24 hours of the sandbox clock.
  if (publishedInWindow(ctx.s, igId).length >= ctx.s.igQuota) {
    throw new GraphError({
      code: 9,
      subcode: 2207042,
      message: "(#9) Application request limit reached",
      userTitle: "Maximum number of posts reached",
      userMsg: "You reached the maximum number of posts that is allowed to be published in 24 hours.",
    });
  }
  const m: IgMedia = {
    id: newObjectId(ctx.s, "1792", 13),
    igId,
    containerId: c.id,
    mediaType: c.mediaType === "CAROUSEL" ? "CAROUSEL_ALBUM" : c.video ? "VIDEO" : "IMAGE",
    mediaUrl: c.mediaUrl,
    caption: c.caption,
    createdAt: now(ctx.s),
    tokenId: ctx.token.id,
  };
  c.published = true;
  c.mediaId = m.id;
  ctx.s.world.igMedia[m.id] = m;
  ctx.s.world.igPublishes[igId]!.push(m.createdAt);
  return { body: { id: m.id } };
}

export function igEdgeRoute(ctx: Ctx, id: string, edge: string | undefined, rest: string[]): RouteResult | null {
  if (ctx.token.type === "APP" || !/^178414\d+$/.test(id)) return null;
  const found = resolveIg(ctx, id);
  if (!found) return null;
  if (!edge) return igNode(ctx, id);
  if (rest.length > 0) throw unknownPath(`/${rest.join("/")}`);
  ctx.usage.pageId = id;
  ctx.usage.kind = "instagram";
  const p = ctx.req.params;
  if (edge === "content_publishing_limit") {
    onlyGet(ctx, `${id}/content_publishing_limit`);
    const fields = (p.fields ?? "quota_usage").split(",").map((x) => x.trim());
    const row: Record<string, unknown> = {};
    if (fields.includes("quota_usage")) row.quota_usage = publishedInWindow(ctx.s, id).length;
    if (fields.includes("config")) row.config = { quota_total: ctx.s.igQuota, quota_duration: 86400 };
    return { body: { data: [row] } };
  }
  if (edge === "media" && ctx.req.method === "GET") {
    const sel = parseFields(p.fields);
    validateSelection(NODE_TYPES, "IGMedia", sel);
    const list = Object.values(ctx.s.world.igMedia)
      .reverse()
      .filter((m) => m.igId === id)
      .sort((a, b) => b.createdAt - a.createdAt);
    return { body: paginate(ctx.req, list.length, (pos) => project(NODE_TYPES, "IGMedia", mediaData(list[pos]!, found.ig.username), sel), { shortPages: false }) };
  }
  if (edge !== "media" && edge !== "media_publish") throw unknownPath(`/${edge}`);
  if (ctx.req.method !== "POST") onlyGet(ctx, `${id}/${edge}`);
  const grant = getGrant(ctx.s, ctx.token.appId, userOf(ctx).persona.id);
  if (!hasScope(grant, "instagram_content_publish") || !hasScope(grant, "pages_read_engagement") || !canPublish(found.page)) {
    throw new GraphError({ code: 10, message: NO_PERMISSION });
  }
  return edge === "media" ? createContainer(ctx, id) : publishContainer(ctx, id);
}

/** `GET /{container-id}` (status) and `GET /{media-id}`. */
export function igObjectNode(ctx: Ctx, id: string, edge: string | undefined): RouteResult | null {
  if (ctx.token.type === "APP") return null;
  const c = ctx.s.world.igContainers[id];
  const m = ctx.s.world.igMedia[id];
  const owner = c?.igId ?? m?.igId;
  if (!owner) return null;
  const found = resolveIg(ctx, owner);
  if (!found) return null;
  if (edge) throw unknownPath(`/${edge}`);
  onlyGet(ctx, id);
  ctx.usage.pageId = owner;
  ctx.usage.kind = "instagram";
  const fields = parseFields(ctx.req.params.fields);
  if (m) return { body: project(NODE_TYPES, "IGMedia", mediaData(m, found.ig.username), fields) };
  const status = containerStatus(ctx.s, c!);
  return { body: project(NODE_TYPES, "IGMediaContainer", { id, status_code: status, status: STATUS_TEXT[status] }, fields) };
}
