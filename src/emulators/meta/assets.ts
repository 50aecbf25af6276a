import { adAccountNumber, type PageSpec, type Persona } from "./personas";
import { getGrant, hasScope, type SandboxState } from "./state";
import type { Grant } from "./world";

/**
 * Granular consent: which Pages, Instagram accounts and ad accounts a grant covers (what the user
 * ticked in the dialog, or later un-ticked in their settings), and what that makes reachable.
 * `debug_token`'s `granular_scopes`, `/me/accounts`, the Page and Instagram routes and the
 * permissions webhooks all read it from here.
 */

/** Personas with more ad accounts than this are not offered an ad account picker (all are shared). */
export const AD_ACCOUNT_PICKER_MAX = 50;

export type AssetTicks = { pageIds: string[] | null; igIds: string[] | null; adAccountIds: string[] | null };

/** What the dialog ticks before the user changes anything; null = everything, now and later. */
export function defaultTicks(persona: Persona): AssetTicks {
  const byDefault = persona.pages.filter((p) => p.grantedByDefault !== false);
  return { pageIds: byDefault.length === persona.pages.length ? null : byDefault.map((p) => p.id), igIds: null, adAccountIds: null };
}

export const pageGrantedByDefault = (p: PageSpec) => p.grantedByDefault !== false;

export function tickedPageIds(persona: Persona, g: Grant | undefined): string[] {
  return g?.pageIds ?? persona.pages.map((p) => p.id);
}

export function tickedIgIds(persona: Persona, g: Grant | undefined): string[] {
  if (g?.igIds) return g.igIds;
  const pages = new Set(tickedPageIds(persona, g));
  return persona.pages.flatMap((p) => (p.instagram && pages.has(p.id) ? [p.instagram.id] : []));
}

export function adAccountPicker(persona: Persona): boolean {
  return persona.accountCount > 0 && persona.accountCount <= AD_ACCOUNT_PICKER_MAX;
}

/** Ad account numbers the user shared; null = all of them (no picker, or nothing un-ticked). */
export function tickedAdAccounts(persona: Persona, g: Grant | undefined): string[] | null {
  if (!adAccountPicker(persona) || !g?.adAccountIds) return null;
  return g.adAccountIds;
}

export function allAdAccountNumbers(persona: Persona): string[] {
  return Array.from({ length: persona.accountCount }, (_, i) => adAccountNumber(persona.index, i));
}

export function adAccountShared(persona: Persona, g: Grant | undefined, i: number): boolean {
  const ticked = tickedAdAccounts(persona, g);
  return ticked === null || ticked.includes(adAccountNumber(persona.index, i));
}

export function hasPageRole(s: SandboxState, personaId: string, pageId: string): boolean {
  return !s.world.removedPageRoles.includes(`${personaId}:${pageId}`);
}

/**
 * Pages the app may act on for this user: granted `pages_show_list`, ticked, the user's task still
 * there, and — for a Page reached only through a business — `business_management` too.
 */
export function grantedPages(s: SandboxState, persona: Persona, appId: string): PageSpec[] {
  const g = getGrant(s, appId, persona.id);
  if (!hasScope(g, "pages_show_list")) return [];
  const ticked = new Set(tickedPageIds(persona, g));
  return persona.pages.filter((p) => ticked.has(p.id) && hasPageRole(s, persona.id, p.id) && (!p.businessOnly || hasScope(g, "business_management")));
}

/** What `/me/accounts` lists: granted Pages on which the user has a task of their own. */
export function visiblePages(s: SandboxState, persona: Persona, appId: string): PageSpec[] {
  return grantedPages(s, persona, appId).filter((p) => !p.businessOnly);
}

/** The Instagram accounts the app may use: `instagram_basic`, ticked, and the user still on its Page. */
export function grantedIgPages(s: SandboxState, persona: Persona, appId: string): PageSpec[] {
  const g = getGrant(s, appId, persona.id);
  if (!hasScope(g, "instagram_basic")) return [];
  const ticked = new Set(tickedIgIds(persona, g));
  return persona.pages.filter((p) => p.instagram && ticked.has(p.instagram.id) && hasPageRole(s, persona.id, p.id));
}

export const PUBLISHING_TASKS = ["CREATE_CONTENT", "MANAGE"];
export const canPublish = (p: PageSpec) => p.tasks.some((t) => PUBLISHING_TASKS.includes(t));

/**
 * `granular_scopes[].target_ids` for one permission: exactly the assets ticked for it (consent, not
 * reachability: a Page whose role was removed stays listed until the user un-ticks it). Undefined
 * for permissions that are not asset-scoped.
 */
export function targetIds(persona: Persona, g: Grant | undefined, scope: string): string[] | undefined {
  if (scope.startsWith("pages_")) return tickedPageIds(persona, g);
  if (scope.startsWith("instagram_")) return tickedIgIds(persona, g);
  if ((scope === "ads_read" || scope === "ads_management") && adAccountPicker(persona)) return tickedAdAccounts(persona, g) ?? allAdAccountNumbers(persona);
  if (scope === "business_management" && persona.businesses.length > 0) return persona.businesses.map((b) => b.id);
  return undefined;
}

/** Which kind of asset an id is, for this persona (un-ticking works on any of them). */
export function assetKind(persona: Persona, id: string): "page" | "instagram" | "ad_account" | null {
  if (persona.pages.some((p) => p.id === id)) return "page";
  if (persona.pages.some((p) => p.instagram?.id === id)) return "instagram";
  const number = id.replace(/^act_/, "");
  if (adAccountPicker(persona) && allAdAccountNumbers(persona).includes(number)) return "ad_account";
  return null;
}
