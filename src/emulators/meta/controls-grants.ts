import { defaultTicks } from "./assets";
import type { PermissionChange } from "./callbacks";
import { changeGrant, revokePermission, setAssetTicked } from "./grant-changes";
import type { Persona } from "./personas";
import { getGrant, newGrant, now, type ResolvedApp, type SandboxState } from "./state";
import { DATA_ACCESS_MS } from "./tokens";
import type { DialogAssets } from "./types";
import type { IgMedia, PagePost } from "./world";

/**
 * Controls over what a user allowed an app — the changes a user makes in Facebook's settings — and
 * the publishing log. Each grant change goes through grant-changes.ts (permissions webhooks).
 */

export type PublishedEntry =
  | { kind: "page_post"; id: string; targetId: string; type: "status" | "photo"; message?: string; link?: string; imageUrl?: string; photoId?: string; createdAt: number; scheduledAt?: number; published: boolean; tokenId: string }
  | { kind: "ig_media"; id: string; targetId: string; containerId: string; mediaType: IgMedia["mediaType"]; caption?: string; mediaUrl?: string; createdAt: number; tokenId: string };

export type GrantControls = {
  /** The user changes one permission in their settings (`declined` = removed); returns the webhook changes. */
  setPermission(persona: string, permission: string, status: "granted" | "declined", appId?: string): PermissionChange[];
  /** The user ticks / un-ticks one Page, Instagram account or ad account for the app. */
  setAssetTicked(persona: string, assetId: string, ticked: boolean, appId?: string): PermissionChange[];
  /** What the app may use now: permissions by status and the ticked assets (null: all of that kind). */
  grant(persona: string, appId?: string): { permissions: Record<string, string>; pageIds: string[] | null; igIds: string[] | null; adAccountIds: string[] | null } | null;
  /** Everything published through the sandbox, oldest first; `target` narrows to one Page or IG account. */
  published(o?: { target?: string }): PublishedEntry[];
};

export type GrantHelpers = { app: (appId?: string) => ResolvedApp; persona: (id: string) => Persona; log: (action: string, detail?: Record<string, unknown>) => void };

/** Grant (or extend) permissions without the dialog; a first grant starts from the dialog's default ticks. */
export function grantDirectly(s: SandboxState, app: ResolvedApp, p: Persona, scopes: string[], assets: DialogAssets = {}): void {
  changeGrant(s, app.appId, p, (prev) => {
    const g = prev ?? { ...newGrant(app.appId, p.id), ...defaultTicks(p) };
    for (const x of ["public_profile", ...scopes]) g.permissions[x] = "granted";
    if (assets.pages) g.pageIds = assets.pages;
    if (assets.instagram) g.igIds = assets.instagram;
    if (assets.adAccounts) g.adAccountIds = assets.adAccounts.map((x) => x.replace(/^act_/, ""));
    g.dataAccessExpiresAt = now(s) + DATA_ACCESS_MS;
    return g;
  });
}

const pageEntry = (p: PagePost): PublishedEntry => ({
  kind: "page_post",
  id: p.id,
  targetId: p.pageId,
  type: p.kind,
  message: p.message,
  link: p.link,
  imageUrl: p.imageUrl,
  photoId: p.photoId,
  createdAt: p.createdAt,
  scheduledAt: p.scheduledAt,
  published: p.published,
  tokenId: p.tokenId,
});

const igEntry = (m: IgMedia): PublishedEntry => ({
  kind: "ig_media",
  id: m.id,
  targetId: m.igId,
  containerId: m.containerId,
  mediaType: m.mediaType,
  caption: m.caption,
  mediaUrl: m.mediaUrl,
  createdAt: m.createdAt,
  tokenId: m.tokenId,
});

export function grantControls(s: SandboxState, h: GrantHelpers): GrantControls {
  return {
    setPermission(id, permission, status, appId) {
      const a = h.app(appId);
      const p = h.persona(id);
      const changes =
        status === "declined"
          ? revokePermission(s, a.appId, p, permission)
          : changeGrant(s, a.appId, p, (g) => {
              if (g) g.permissions[permission] = "granted";
              return g;
            });
      h.log("setPermission", { persona: id, permission, status, changes: changes.length });
      return changes;
    },
    setAssetTicked(id, assetId, ticked, appId) {
      const a = h.app(appId);
      const changes = setAssetTicked(s, a.appId, h.persona(id), assetId, ticked);
      h.log("setAssetTicked", { persona: id, assetId, ticked, changes: changes.length });
      return changes;
    },
    grant(id, appId) {
      const g = getGrant(s, h.app(appId).appId, h.persona(id).id);
      return g ? { permissions: { ...g.permissions }, pageIds: g.pageIds, igIds: g.igIds ?? null, adAccountIds: g.adAccountIds ?? null } : null;
    },
    published(o = {}) {
      const entries = [...Object.values(s.world.pagePosts).map(pageEntry), ...Object.values(s.world.igMedia).map(igEntry)];
      return entries.filter((e) => !o.target || e.targetId === o.target).sort((a, b) => a.createdAt - b.createdAt);
    },
  };
}
