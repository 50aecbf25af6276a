import { grantedIgPages, grantedPages, visiblePages } from "./assets";
import { onlyGet, userOf, type Ctx, type RouteResult } from "./context";
import { objectNotFound } from "./errors";
import { parseFields, project, validateSelection, type NodeData } from "./fields";
import { NODE_TYPES } from "./node-types";
import { paginate } from "./paging";
import type { PageSpec, Persona } from "./personas";
import type { TokenRecord } from "./state";
import { pageTokenFor } from "./tokens";

/** Pages and Instagram business accounts (§10): /me/accounts, business Page edges, the nodes. */

export { visiblePages } from "./assets";

/** Pictures are served by the sandbox itself (`/_assets/…`), so they load offline. */
function igData(ig: NonNullable<PageSpec["instagram"]>, base: string): NodeData {
  return {
    id: ig.id,
    ig_id: Number(ig.id.slice(-8)),
    username: ig.username,
    name: ig.name,
    profile_picture_url: `${base}/_assets/ig/${ig.id}.svg`,
    followers_count: ig.followers,
    follows_count: 180,
    media_count: ig.media,
    biography: `${ig.name} — fresh every morning.`,
  };
}

/** `granted`: the app may act on this Page for the user (only then is a Page token handed out). */
function pageData(ctx: Ctx, page: PageSpec, granted: boolean): NodeData {
  const token: TokenRecord = ctx.token;
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
    picture: { data: { height: 50, width: 50, is_silhouette: false, url: `${ctx.req.base}/_assets/page/${page.id}.svg` } },
    // Minted only when asked for, like Graph: a Page token derived from the caller's user token.
    access_token: granted ? () => (token.type === "PAGE" ? token.value : pageTokenFor(ctx.s, token, page.id).value) : undefined,
  };
  if (page.instagram) {
    data.instagram_business_account = igData(page.instagram, ctx.req.base);
    data.connected_instagram_account = igData(page.instagram, ctx.req.base);
  }
  return data;
}

export function meAccounts(ctx: Ctx): RouteResult {
  onlyGet(ctx, "me");
  const { persona } = userOf(ctx);
  const sel = parseFields(ctx.req.params.fields);
  validateSelection(NODE_TYPES, "PageListItem", sel);
  const pages = visiblePages(ctx.s, persona, ctx.token.appId);
  return { body: paginate(ctx.req, pages.length, (pos) => project(NODE_TYPES, "PageListItem", pageData(ctx, pages[pos]!, true), sel)) };
}

/**
 * `/{business}/owned_pages` and `/client_pages`: every Page of the business, ticked in the dialog or
 * not (how integrators find Pages the user left out). A Page the app may not act on carries no
 * `access_token`.
 */
export function businessPages(ctx: Ctx, persona: Persona, ids: string[]): RouteResult {
  const sel = parseFields(ctx.req.params.fields);
  validateSelection(NODE_TYPES, "Page", sel);
  const granted = new Set(grantedPages(ctx.s, persona, ctx.token.appId).map((p) => p.id));
  const pages = ids.flatMap((id) => persona.pages.filter((p) => p.id === id));
  return { body: paginate(ctx.req, pages.length, (pos) => project(NODE_TYPES, "Page", pageData(ctx, pages[pos]!, granted.has(pages[pos]!.id)), sel)) };
}

/** The Page (and persona) behind an id, if this token may act on it. */
export function resolvePage(ctx: Ctx, id: string): { persona: Persona; page: PageSpec } | null {
  if (ctx.token.type === "APP") return null;
  const { persona } = userOf(ctx);
  const page = grantedPages(ctx.s, persona, ctx.token.appId).find((p) => p.id === id);
  if (!page) return null;
  if (ctx.token.type === "PAGE" && ctx.token.pageId !== id) return null;
  return { persona, page };
}

export function resolveIg(ctx: Ctx, id: string): { persona: Persona; page: PageSpec; ig: NonNullable<PageSpec["instagram"]> } | null {
  if (ctx.token.type === "APP") return null;
  const { persona } = userOf(ctx);
  const page = grantedIgPages(ctx.s, persona, ctx.token.appId).find((p) => p.instagram?.id === id);
  if (!page?.instagram) return null;
  if (ctx.token.type === "PAGE" && ctx.token.pageId !== page.id) return null;
  return { persona, page, ig: page.instagram };
}

export function pageNode(ctx: Ctx, id: string): RouteResult {
  onlyGet(ctx, id);
  const found = resolvePage(ctx, id);
  if (!found) throw objectNotFound(id);
  ctx.usage.pageId = id;
  ctx.usage.kind = "pages";
  return { body: project(NODE_TYPES, "Page", pageData(ctx, found.page, true), parseFields(ctx.req.params.fields)) };
}

export function igNode(ctx: Ctx, id: string): RouteResult {
  onlyGet(ctx, id);
  const found = resolveIg(ctx, id);
  if (!found) throw objectNotFound(id);
  ctx.usage.pageId = id;
  ctx.usage.kind = "instagram";
  return { body: project(NODE_TYPES, "IGUser", igData(found.ig, ctx.req.base), parseFields(ctx.req.params.fields)) };
}
