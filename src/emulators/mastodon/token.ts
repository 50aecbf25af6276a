import { createHash, timingSafeEqual } from "node:crypto";
import { secret43 } from "./apps";
import { basic, str, type Params } from "./http";
import { json, missingParam, OAuthError, oauthResponse } from "./responses";
import { nextSeq, now, type App, type Srv, type Token } from "./state";
import { features } from "./versions";

/** POST /oauth/token (authorization_code, client_credentials) and POST /oauth/revoke. */

const CODE_TTL_MS = 10 * 60_000;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HTTP Basic (client_secret_basic) or client_id + client_secret in the body (client_secret_post). */
export function authenticateClient(srv: Srv, req: Request, p: Params): App | null {
  const creds = basic(req) ?? { id: str(p, "client_id") ?? "", secret: str(p, "client_secret") ?? "" };
  const app = creds.id ? Object.values(srv.s.apps).find((a) => a.clientId === creds.id) : undefined;
  return app && creds.secret && sameSecret(creds.secret, app.clientSecret) ? app : null;
}

const sameScopes = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Doorkeeper's reuse_access_token: the same app, user and scopes get the same live token back. */
export function issueToken(srv: Srv, app: App, userId: string | null, scopes: string[]): [string, Token] {
  const existing = Object.entries(srv.s.tokens).find(([, t]) => t.appId === app.id && t.userId === userId && t.revokedAt === undefined && sameScopes(t.scopes, scopes));
  if (existing) return existing;
  const value = secret43();
  const token: Token = { id: String(nextSeq(srv.root)), appId: app.id, userId, scopes, createdAt: now(srv) };
  srv.s.tokens[value] = token;
  srv.secrets.add(value);
  return [value, token];
}

function tokenResponse(value: string, t: Token): Response {
  return json(
    { access_token: value, token_type: "Bearer", scope: t.scopes.join(" "), created_at: Math.floor(t.createdAt / 1000) },
    200,
    { "cache-control": "no-store, no-cache", pragma: "no-cache" },
  );
}

function authorizationCode(srv: Srv, req: Request, p: Params): Response {
  const value = str(p, "code");
  const code = value ? srv.s.codes[value] : undefined;
  const pkce = features(srv.s.version).pkce;
  const verifier = str(p, "code_verifier");
  // Parameters first (Doorkeeper's validate_params), then the client, then the grant.
  if (pkce && code?.challenge && !verifier) throw new OAuthError("invalid_request", 400, missingParam("code_verifier"));
  const redirectUri = str(p, "redirect_uri");
  if (!redirectUri) throw new OAuthError("invalid_request", 400, missingParam("redirect_uri"));
  const app = authenticateClient(srv, req, p);
  if (!app) throw new OAuthError("invalid_client", 401);
  if (!code || code.usedAt !== undefined || now(srv) - code.createdAt >= CODE_TTL_MS || code.appId !== app.id) throw new OAuthError("invalid_grant");
  if (code.redirectUri !== redirectUri) throw new OAuthError("invalid_grant");
  if (pkce) {
    // Before 4.3 PKCE is ignored entirely, so sending it everywhere is safe.
    const ok = code.challenge ? createHash("sha256").update(verifier ?? "").digest("base64url") === code.challenge : !verifier;
    if (!ok) throw new OAuthError("invalid_grant");
  }
  code.usedAt = now(srv);
  return tokenResponse(...issueToken(srv, app, code.userId, code.scopes));
}

function clientCredentials(srv: Srv, req: Request, p: Params): Response {
  const app = authenticateClient(srv, req, p);
  if (!app) throw new OAuthError("invalid_client", 401);
  const scopes = (str(p, "scope") ?? "read").split(/[\s+]+/).filter(Boolean);
  if (scopes.length === 0 || scopes.some((x) => !app.scopes.includes(x))) throw new OAuthError("invalid_scope");
  return tokenResponse(...issueToken(srv, app, null, scopes));
}

export function tokenEndpoint(srv: Srv, req: Request, p: Params): Response {
  try {
    const grant = str(p, "grant_type");
    if (!grant) throw new OAuthError("invalid_request", 400, missingParam("grant_type"));
    if (grant === "authorization_code") return authorizationCode(srv, req, p);
    if (grant === "client_credentials") return clientCredentials(srv, req, p);
    throw new OAuthError("unsupported_grant_type");
  } catch (e) {
    if (e instanceof OAuthError) return oauthResponse(e);
    throw e;
  }
}

/** RFC 7009 as Doorkeeper does it: the client must authenticate; unknown tokens are "revoked" too. */
export function revokeEndpoint(srv: Srv, req: Request, p: Params): Response {
  const app = authenticateClient(srv, req, p);
  const refuse = () => oauthResponse(new OAuthError("unauthorized_client", 403));
  if (!app) return refuse();
  const value = str(p, "token");
  const token = value ? srv.s.tokens[value] : undefined;
  if (!token) return json({});
  if (token.appId !== app.id) return refuse();
  token.revokedAt ??= now(srv);
  return json({});
}
