import { accountProfile } from "./ad-account-data";
import { adAccountPicker, allAdAccountNumbers, defaultTicks, tickedAdAccounts, tickedIgIds, tickedPageIds } from "./assets";
import type { Persona } from "./personas";
import { getGrant, newGrant, type SandboxState } from "./state";

/**
 * The assets the dialog lets a persona tick for the permissions asked (granular consent): Pages for
 * Page or Instagram permissions, Instagram accounts for Instagram ones, ad accounts for ads ones
 * (personas with few enough to list). Each starts ticked as the user left it, or as the defaults.
 */

export type OfferedAsset = { id: string; label: string; checked: boolean; note?: string };
export type OfferedAssets = { persona: Persona; pages: OfferedAsset[]; instagram: OfferedAsset[]; adAccounts: OfferedAsset[] };

export function dialogAssets(s: SandboxState, appId: string, persona: Persona, scopes: string[]): OfferedAssets | null {
  const wantsPages = scopes.some((x) => x.startsWith("pages_") || x.startsWith("instagram_"));
  const wantsIg = scopes.some((x) => x.startsWith("instagram_"));
  const wantsAds = scopes.includes("ads_read") || scopes.includes("ads_management");
  const g = getGrant(s, appId, persona.id) ?? { ...newGrant(appId, persona.id), ...defaultTicks(persona) };
  const pageTicks = new Set(tickedPageIds(persona, g));
  const igTicks = new Set(tickedIgIds(persona, g));
  const adTicks = tickedAdAccounts(persona, g);
  const business = (pageId: string) => persona.businesses.find((b) => b.clientPages?.includes(pageId) || b.ownedPages?.includes(pageId));
  const offered: OfferedAssets = {
    persona,
    pages: wantsPages
      ? persona.pages.map((p) => ({ id: p.id, label: p.name, checked: pageTicks.has(p.id), note: p.businessOnly ? `through ${business(p.id)?.name ?? "a business"}` : undefined }))
      : [],
    instagram: wantsIg ? persona.pages.flatMap((p) => (p.instagram ? [{ id: p.instagram.id, label: `@${p.instagram.username}`, checked: igTicks.has(p.instagram.id) }] : [])) : [],
    adAccounts:
      wantsAds && adAccountPicker(persona)
        ? allAdAccountNumbers(persona).map((n, i) => ({ id: n, label: `act_${n}`, checked: adTicks === null || adTicks.includes(n), note: accountProfile(s.seed, persona, i).name }))
        : [],
  };
  return offered.pages.length + offered.instagram.length + offered.adAccounts.length > 0 ? offered : null;
}
