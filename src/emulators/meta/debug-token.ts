import { GraphError } from "./errors";
import type { GraphRequest } from "./http";
import { targetIds } from "./assets";
import { findPersona, getGrant, grantedScopes, type SandboxState, type TokenRecord } from "./state";
import { lookupToken, tokenProblem } from "./tokens";

/** GET /debug_token — §3: invalid input tokens still answer 200 with a nested `error`. */

const sec = (ms: number) => Math.floor(ms / 1000);

const callerError = () =>
  new GraphError({
    code: 100,
    message: "(#100) You must provide an app access token, or a user access token that is an owner or developer of the app",
  });

/** Asset-scoped grants list exactly the assets ticked for them (assets.ts). */
function granularScopes(s: SandboxState, t: TokenRecord, scopes: string[]) {
  const persona = t.personaId ? findPersona(s, t.personaId) : undefined;
  if (!persona) return scopes.map((scope) => ({ scope }));
  const grant = getGrant(s, t.appId, persona.id);
  return scopes.map((scope) => {
    const ids = targetIds(persona, grant, scope);
    return ids ? { scope, target_ids: ids } : { scope };
  });
}

export function describeToken(s: SandboxState, t: TokenRecord): Record<string, unknown> {
  const app = s.apps.get(t.appId);
  if (t.type === "APP") return { app_id: t.appId, type: "APP", application: app?.name, is_valid: true, scopes: [] };
  const grant = t.personaId ? getGrant(s, t.appId, t.personaId) : undefined;
  const problem = tokenProblem(s, t);
  const scopes = problem && t.invalid ? [] : grantedScopes(grant);
  const data: Record<string, unknown> = {
    app_id: t.appId,
    type: t.type,
    application: app?.name,
    data_access_expires_at: grant ? sec(grant.dataAccessExpiresAt) : 0,
    expires_at: t.expiresAt === 0 ? 0 : sec(t.expiresAt),
    is_valid: problem === null,
  };
  if (t.longLived) data.issued_at = sec(t.issuedAt);
  if (grant?.authType) data.metadata = { auth_type: grant.authType };
  if (t.type === "PAGE") data.profile_id = t.pageId;
  data.scopes = scopes;
  data.granular_scopes = granularScopes(s, t, scopes);
  data.user_id = t.userId;
  if (problem) {
    const error: Record<string, unknown> = { code: problem.code, message: problem.message };
    if (problem.subcode !== undefined) error.subcode = problem.subcode;
    data.error = error;
  }
  return data;
}

export function debugTokenEndpoint(s: SandboxState, req: GraphRequest): { body: unknown; tokenId: string | null } {
  if (!req.token) throw callerError();
  const caller = lookupToken(s, req.token);
  if (caller instanceof GraphError) throw callerError();
  if (caller.type !== "APP") {
    const persona = caller.personaId ? findPersona(s, caller.personaId) : undefined;
    const isOwner = persona?.appRole === "administrator" || persona?.appRole === "developer";
    if (!isOwner || tokenProblem(s, caller)) throw callerError();
  }
  const inputValue = req.params.input_token;
  if (!inputValue) throw new GraphError({ code: 100, message: "(#100) The parameter input_token is required" });
  const input = lookupToken(s, inputValue);
  if (input instanceof GraphError || input.appId !== caller.appId) {
    const message = input instanceof GraphError ? input.message : "Invalid OAuth access token - Cannot parse access token";
    return { body: { data: { error: { code: 190, message }, is_valid: false, scopes: [] } }, tokenId: caller.id };
  }
  return { body: { data: describeToken(s, input) }, tokenId: caller.id };
}
