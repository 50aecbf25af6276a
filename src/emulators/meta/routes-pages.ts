import { onlyGet, userOf, type Ctx, type RouteResult } from "./context";
import { objectNotFound } from "./errors";
import { parseFields, project, validateSelection, type NodeData } from "./fields";
import { NODE_TYPES } from "./node-types";
import { paginate } from "./paging";
import type { PageSpec, Persona } from "./personas";
import { hasScope, getGrant, type SandboxState, type TokenRecord } from "./state";
import { pageTokenFor } from "./tokens";

/** Pages the persona still has a task on and ticked in the dialog. */
export function visiblePages(s: SandboxState, persona: Persona, appId: string): PageSpec[] {
  const g = getGrant(s, appId, persona.id);
  if (!hasScope(g, "pages_show_list")) return [];
  return persona.pages.filter((p) => !s.world.removedPageRoles.includes(`${persona.id}:${p.id}`) && (g?.pageIds == null || g.pageIds.includes(p.id)));
}

function igData(ig: NonNullable<PageSpec["instagram"]>): NodeData {
  return {
    id: ig.id,
    ig_id: Number(ig.id.slice(-8)),
    username: ig.username,
    name: ig.name,
    profile_picture_url: `https://scontent.example.test/ig/${ig.id}.jpg`,
    followers_count: ig.followers,
    follows_count: 180,
    media_count: ig.media,
    biography: `${ig.name} — fresh every morning.`,
  };
}

function pageData(s: SandboxState, page: PageSpec, token: TokenRecord): NodeData {
  const data: NodeData = {
    id: page.id,
    name: page.name,
    category: page.category,
    category_list: [{ id: page.categoryId, name: page.category }],
    tasks: page.tasks,
    fan_count: 400 + (Number(page.id.slice(-3)) % 100) * 17,
    followers_count: 420 + (Number(page.id.slice(-3)) % 100) * 19,
    link: `https://www.facebook.com/${page.id}`,
    username: page.name.toLowerCase().replace(/[^a-z]/g, ""),
    // Minted only when asked for, like Graph: a Page token derived from the caller's user token.
    access_token: () => (token.type === "PAGE" ? token.value : pageTokenFor(s, token, page.id).value),
  };
  if (page.instagram) {
    data.instagram_business_account = igData(page.instagram);
    data.connected_instagram_account = igData(page.instagram);
  }
  return data;
}

export function meAccounts(ctx: Ctx): RouteResult {
  onlyGet(ctx, "me");
  const { persona } = userOf(ctx);
  const sel = parseFields(ctx.req.params.fields);
  validateSelection(NODE_TYPES, "PageListItem", sel);
  const pages = visiblePages(ctx.s, persona, ctx.token.appId);
  return { body: paginate(ctx.req, pages.length, (pos) => project(NODE_TYPES, "PageListItem", pageData(ctx.s, pages[pos]!, ctx.token), sel)) };
}

/** The Page (and persona) behind an id, if this token may see it. */
export function resolvePage(ctx: Ctx, id: string): { persona: Persona; page: PageSpec } | null {
  if (ctx.token.type === "APP") return null;
  const { persona } = userOf(ctx);
  const page = persona.pages.find((p) => p.id === id);
  if (!page) return null;
  if (ctx.token.type === "PAGE") return ctx.token.pageId === id ? { persona, page } : null;
  return visiblePages(ctx.s, persona, ctx.token.appId).includes(page) ? { persona, page } : null;
}

export function resolveIg(ctx: Ctx, id: string): { persona: Persona; page: PageSpec; ig: NonNullable<PageSpec["instagram"]> } | null {
  if (ctx.token.type === "APP") return null;
  const { persona } = userOf(ctx);
  const page = persona.pages.find((p) => p.instagram?.id === id);
  if (!page?.instagram) return null;
  const g = getGrant(ctx.s, ctx.token.appId, persona.id);
  if (!hasScope(g, "instagram_basic")) return null;
  if (ctx.token.type === "USER" && !visiblePages(ctx.s, persona, ctx.token.appId).includes(page)) return null;
  return { persona, page, ig: page.instagram };
}

export function pageNode(ctx: Ctx, id: string): RouteResult {
  onlyGet(ctx, id);
  const found = resolvePage(ctx, id);
  if (!found) throw objectNotFound(id);
  ctx.usage.pageId = id;
  ctx.usage.kind = "pages";
  return { body: project(NODE_TYPES, "Page", pageData(ctx.s, found.page, ctx.token), parseFields(ctx.req.params.fields)) };
}

export function igNode(ctx: Ctx, id: string): RouteResult {
  onlyGet(ctx, id);
  const found = resolveIg(ctx, id);
  if (!found) throw objectNotFound(id);
  ctx.usage.pageId = id;
  ctx.usage.kind = "instagram";
  return { body: project(NODE_TYPES, "IGUser", igData(found.ig), parseFields(ctx.req.params.fields)) };
}
