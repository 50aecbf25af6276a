import { assetKind, targetIds, tickedIgIds, tickedPageIds, allAdAccountNumbers, tickedAdAccounts } from "./assets";
import type { PermissionChange } from "./callbacks";
import type { Persona } from "./personas";
import { appScopedUserId, grantKey, grantedScopes, type SandboxState } from "./state";
import { queuePermissions } from "./webhooks";
import type { Grant } from "./world";

/**
 * Every change to what a user allowed an app goes through `changeGrant`: the dialog, the user's
 * settings page, the controls. It compares what was granted (permissions and their target assets)
 * before and after, and queues the permissions webhook Meta would send for the difference.
 */

type GrantView = { connected: boolean; perms: Map<string, string[] | undefined> };

function view(persona: Persona, g: Grant | undefined): GrantView {
  const perms = new Map<string, string[] | undefined>();
  for (const scope of grantedScopes(g)) perms.set(scope, targetIds(persona, g, scope));
  return { connected: !!g, perms };
}

const minus = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

function diff(before: GrantView, after: GrantView): PermissionChange[] {
  if (before.connected && !after.connected) return [{ field: "connected", verb: "revoked" }];
  const out: PermissionChange[] = [];
  if (!before.connected && after.connected) out.push({ field: "connected", verb: "granted" });
  for (const field of new Set([...before.perms.keys(), ...after.perms.keys()])) {
    const [was, is] = [before.perms.get(field), after.perms.get(field)];
    const had = before.perms.has(field);
    const has = after.perms.has(field);
    if (had && !has) out.push({ field, verb: "revoked", ...(was ? { targetIds: was } : {}) });
    else if (!had && has) out.push({ field, verb: "granted", ...(is ? { targetIds: is } : {}) });
    else if (was && is) {
      const removed = minus(was, is);
      const added = minus(is, was);
      if (removed.length) out.push({ field, verb: "revoked", targetIds: removed });
      if (added.length) out.push({ field, verb: "granted", targetIds: added });
    }
  }
  return out;
}

/**
 * Apply `mutate` to the user's grant (it may change it in place, return a new one, or return
 * undefined to remove the app) and notify the app of what changed. Returns the changes.
 */
export function changeGrant(s: SandboxState, appId: string, persona: Persona, mutate: (g: Grant | undefined) => Grant | undefined): PermissionChange[] {
  const key = grantKey(appId, persona.id);
  const before = view(persona, s.world.grants[key]);
  const next = mutate(s.world.grants[key]);
  if (next) s.world.grants[key] = next;
  else delete s.world.grants[key];
  const changes = diff(before, view(persona, next));
  if (changes.length > 0) {
    queuePermissions(s, { appId, userId: appScopedUserId(s, appId, persona.index), personaId: persona.id, changes, source: "change" });
  }
  return changes;
}

/** The user removes one permission in their settings: it becomes `declined`. */
export function revokePermission(s: SandboxState, appId: string, persona: Persona, permission: string): PermissionChange[] {
  return changeGrant(s, appId, persona, (g) => {
    if (g?.permissions[permission] === "granted") g.permissions[permission] = "declined";
    return g;
  });
}

/** Tick or un-tick one asset (Page, Instagram account, ad account) of an existing grant. */
export function setAssetTicked(s: SandboxState, appId: string, persona: Persona, assetId: string, ticked: boolean): PermissionChange[] {
  const kind = assetKind(persona, assetId);
  if (!kind) throw new Error(`unknown asset ${assetId} for persona ${persona.id}`);
  const toggle = (list: string[], id: string) => (ticked ? [...new Set([...list, id])] : list.filter((x) => x !== id));
  return changeGrant(s, appId, persona, (g) => {
    if (!g) return g;
    if (kind === "page") {
      // Fix the Instagram ticks first: they followed the Pages until now.
      g.igIds = tickedIgIds(persona, g);
      g.pageIds = toggle(tickedPageIds(persona, g), assetId);
    } else if (kind === "instagram") g.igIds = toggle(tickedIgIds(persona, g), assetId);
    else g.adAccountIds = toggle(tickedAdAccounts(persona, g) ?? allAdAccountNumbers(persona), assetId.replace(/^act_/, ""));
    return g;
  });
}
