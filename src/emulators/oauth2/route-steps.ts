import { takeFault } from "./faults";
import type { RouteContext } from "./profile";
import { checkAccess, checkRefresh, findToken, revokeGrant, revokeTokenRecord, type AccessCheck, type RefreshCheck, type RefreshPolicy } from "./tokens";
import type { PersonaBase } from "./types";

/** Steps every platform route takes the same way; the platform only words the answer. */

/** Check a bearer token and tell the request log which one it was. */
export function accessFor<P extends PersonaBase>(ctx: RouteContext<P>, value: string | undefined): AccessCheck<P> {
  const a = checkAccess(ctx.rt, value);
  ctx.noteToken(a.rec?.id ?? null);
  return a;
}

/** Check a refresh token for the authenticated client; an injected `invalid_grant` refuses it unspent. */
export function refreshFor<P extends PersonaBase>(ctx: RouteContext<P>, value: string | undefined, clientId: string, policy: RefreshPolicy): RefreshCheck {
  const injected = !!takeFault(ctx.rt, { route: "token", op: "refresh", path: ctx.path }, true);
  const r = checkRefresh(ctx.rt, value, clientId, policy, injected);
  ctx.noteToken(r.rec?.id ?? null);
  return r;
}

/**
 * Revoke a token the client owns (unknown tokens are ignored, RFC 7009). `grant`: any token ends
 * its grant; `refresh-ends-grant`: a refresh token ends the grant, an access token dies alone.
 */
export function revokeFor<P extends PersonaBase>(ctx: RouteContext<P>, value: string | undefined, clientId: string, scope: "grant" | "refresh-ends-grant"): void {
  const found = findToken(ctx.rt, value);
  if (!found || found.grant.clientId !== clientId) return;
  ctx.noteToken(found.rec.id);
  if (scope === "grant" || found.rec.kind === "refresh") revokeGrant(ctx.rt, found.grant, "revoked");
  else revokeTokenRecord(ctx.rt, found.rec);
}
