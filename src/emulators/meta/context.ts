import { GraphError, permissionError } from "./errors";
import type { GraphRequest } from "./http";
import type { Persona } from "./personas";
import { findPersona, getGrant, hasScope, type Grant, type ResolvedApp, type SandboxState, type TokenRecord } from "./state";

/** Everything a Graph route handler needs about the current call. */
export type Ctx = {
  s: SandboxState;
  req: GraphRequest;
  token: TokenRecord;
  app: ResolvedApp;
  /** Objects the call touched, for the Business-Use-Case / ad account usage headers. */
  usage: { adAccount?: string; pageId?: string; kind?: "ads_insights" | "ads_management" | "pages" | "instagram" };
};

export type RouteResult = { body: unknown; status?: number; headers?: Record<string, string> };

export function userOf(ctx: Ctx): { persona: Persona; grant: Grant | undefined; userId: string } {
  const t = ctx.token;
  if (t.type === "APP" || !t.personaId || !t.userId) {
    throw new GraphError({ code: 2500, message: "An active access token must be used to query information about the current user." });
  }
  const persona = findPersona(ctx.s, t.personaId);
  if (!persona) throw new GraphError({ code: 190, message: "Invalid OAuth access token - Cannot parse access token" });
  return { persona, grant: getGrant(ctx.s, t.appId, persona.id), userId: t.userId };
}

/** A user (not Page/app) token, or 2500 like Graph does for /me without one. */
export function requireUserToken(ctx: Ctx): { persona: Persona; grant: Grant | undefined; userId: string } {
  if (ctx.token.type !== "USER") {
    throw new GraphError({ code: 2500, message: "An active access token must be used to query information about the current user." });
  }
  return userOf(ctx);
}

export function requireScope(grant: Grant | undefined, message: string, ...anyOf: string[]): void {
  if (!hasScope(grant, ...anyOf)) throw permissionError(message);
}

export const ADS_SCOPE_MESSAGE = "(#200) Ad account owner has NOT grant ads_management or ads_read permission";
export const BUSINESS_SCOPE_MESSAGE = "(#200) Requires business_management permission to manage the object";

export function onlyGet(ctx: Ctx, path: string): void {
  if (ctx.req.method !== "GET") {
    throw new GraphError({
      code: 100,
      type: "GraphMethodException",
      message: `Unsupported ${ctx.req.method.toLowerCase()} request. Object with ID '${path}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    });
  }
}
