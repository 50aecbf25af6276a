import { onlyGet, userOf, type Ctx, type RouteResult } from "./context";
import { GraphError, objectNotFound } from "./errors";
import { parseFields, project } from "./fields";
import { NODE_TYPES } from "./node-types";
import type { Persona } from "./personas";
import { grantKey, personaByUserId, type SandboxState } from "./state";
import { invalidatePersonaTokens } from "./tokens";

/** The user node and /{user}/permissions. */

export function userData(p: Persona, userId: string, base: string) {
  return {
    id: userId,
    name: p.name,
    first_name: p.firstName,
    last_name: p.lastName,
    short_name: p.firstName,
    name_format: "{first} {last}",
    email: p.email,
    link: `https://www.facebook.com/app_scoped_user_id/${userId}/`,
    picture: {
      data: {
        height: 50,
        width: 50,
        is_silhouette: false,
        url: `${base}/_assets/avatar/${p.id}.svg`,
      },
    },
  };
}

export function meNode(ctx: Ctx): RouteResult {
  onlyGet(ctx, "me");
  const { persona, grant, userId } = userOf(ctx);
  const data: Record<string, unknown> = userData(persona, userId, ctx.req.base);
  // Without the email permission the field is simply absent, as on Meta.
  if (grant?.permissions.email !== "granted") delete data.email;
  return { body: project(NODE_TYPES, "User", data, parseFields(ctx.req.params.fields)) };
}

/** Revoke everything: the app is de-authorized and every token of the user dies with 190/466. */
export function revokeAll(s: SandboxState, appId: string, personaId: string): void {
  delete s.world.grants[grantKey(appId, personaId)];
  invalidatePersonaTokens(s, personaId, "api_call", { appId });
}

/** /me/permissions and /{user-id}/permissions (the app token may revoke on a user's behalf). */
export function permissionsRoute(ctx: Ctx, who: string, permission: string | undefined): RouteResult {
  let personaId: string;
  if (ctx.token.type === "APP") {
    const p = who === "me" ? undefined : personaByUserId(ctx.s, ctx.token.appId, who);
    if (!p) {
      if (who === "me") throw new GraphError({ code: 2500, message: "An active access token must be used to query information about the current user." });
      throw objectNotFound(who);
    }
    personaId = p.id;
  } else {
    const u = userOf(ctx);
    if (who !== "me" && who !== u.userId) throw objectNotFound(who);
    personaId = u.persona.id;
  }
  const key = grantKey(ctx.token.appId, personaId);
  const grant = ctx.s.world.grants[key];
  if (ctx.req.method === "DELETE") {
    if (!permission) {
      revokeAll(ctx.s, ctx.token.appId, personaId);
      return { body: { success: true } };
    }
    if (grant?.permissions[permission] === "granted") grant.permissions[permission] = "declined";
    return { body: { success: true } };
  }
  if (ctx.req.method !== "GET") throw new GraphError({ code: 100, message: "(#100) Unsupported method for permissions" });
  const data = Object.entries(grant?.permissions ?? {})
    .filter(([p]) => !permission || p === permission)
    .map(([p, status]) => ({ permission: p, status }));
  return { body: { data } };
}
