import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { GraphError } from "./errors";
import { basicCredentials, type GraphRequest } from "./http";
import { appScopedUserId, findPersona, now, type CodeRecord, type ResolvedApp, type SandboxState, type TokenRecord } from "./state";
import { exchangeForLongLived, issueAppToken, issueUserToken, lookupToken, tokenProblem } from "./tokens";

/** GET|POST /oauth/access_token: code exchange, long-lived exchange, app token. */

const oauthError = (code: number, message: string, subcode?: number) => new GraphError({ code, subcode, message, status: 400 });

function authenticateApp(s: SandboxState, req: GraphRequest): ResolvedApp {
  const basic = basicCredentials(req.headers);
  const clientId = req.params.client_id ?? basic?.id;
  const secret = req.params.client_secret ?? basic?.secret;
  if (!clientId) throw oauthError(101, "Missing client_id parameter.");
  const app = s.apps.get(clientId);
  if (!app) throw oauthError(101, "Error validating application. Invalid application ID.");
  if (!secret) throw oauthError(1, "Missing client_secret parameter.");
  if (secret !== app.appSecret) throw oauthError(1, "Error validating client secret.");
  return app;
}

function tokenBody(s: SandboxState, t: TokenRecord, extra: Record<string, unknown> = {}) {
  const body: Record<string, unknown> = { access_token: t.value, token_type: "bearer" };
  if (t.expiresAt !== 0) body.expires_in = Math.max(0, Math.floor((t.expiresAt - now(s)) / 1000));
  return { ...body, ...extra };
}

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString("base64url");
}

/** OIDC id_token; HS256 with the app secret stands in for Meta's RS256 keys. */
function idToken(s: SandboxState, app: ResolvedApp, code: CodeRecord, userId: string, base: string): string {
  const p = findPersona(s, code.personaId);
  const t = Math.floor(now(s) / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims: Record<string, unknown> = { iss: base, aud: app.appId, sub: userId, iat: t, exp: t + 3600, name: p?.name, email: p?.email };
  if (code.nonce) claims.nonce = code.nonce;
  const payload = b64url(JSON.stringify(claims));
  const sig = createHmac("sha256", app.appSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${sig}`;
}

function checkPkce(code: CodeRecord, verifier: string | undefined): void {
  if (!code.codeChallenge) {
    if (verifier) throw oauthError(1, "code_verifier param is provided without a code_challenge in authorization request.");
    return;
  }
  const bad = () =>
    oauthError(
      1,
      "Invalid code verifier. Code verifier should be a cryptographically random string using the characters A-Z, a-z, 0-9, and the punctuation characters -._~ (hyphen, period, underscore, and tilde), between 43 and 128 characters long.",
    );
  if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw bad();
  const expected = code.codeChallengeMethod === "plain" ? verifier : createHash("sha256").update(verifier).digest("base64url");
  const a = Buffer.from(expected);
  const b = Buffer.from(code.codeChallenge);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw bad();
}

export function accessTokenEndpoint(s: SandboxState, req: GraphRequest): { body: unknown; tokenId: string | null } {
  const p = req.params;
  const app = authenticateApp(s, req);
  if (p.grant_type === "client_credentials") {
    const t = issueAppToken(s, app.appId);
    return { body: { access_token: t.value, token_type: "bearer" }, tokenId: t.id };
  }
  if (p.grant_type === "fb_exchange_token") {
    if (!p.fb_exchange_token) throw oauthError(100, "Missing fb_exchange_token parameter.");
    const input = lookupToken(s, p.fb_exchange_token);
    if (input instanceof GraphError) throw input;
    const problem = tokenProblem(s, input);
    if (problem) throw problem;
    if (input.type !== "USER" || input.appId !== app.appId) throw oauthError(190, "Invalid OAuth access token - Cannot parse access token");
    const t = exchangeForLongLived(s, input);
    return { body: tokenBody(s, t), tokenId: t.id };
  }
  const codeValue = p.code;
  if (!codeValue) throw oauthError(100, "Missing authorization code");
  const code = s.world.codes[codeValue];
  if (!code || code.appId !== app.appId) throw oauthError(100, "Invalid verification code format.");
  if (code.used) throw oauthError(100, "This authorization code has been used.", 36009);
  if (now(s) - code.createdAt >= s.codeTtlMs) throw oauthError(100, "This authorization code has expired.", 36007);
  if (p.redirect_uri !== code.redirectUri) {
    throw oauthError(
      100,
      "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request",
      36008,
    );
  }
  checkPkce(code, p.code_verifier);
  code.used = true;
  const persona = findPersona(s, code.personaId);
  if (!persona) throw oauthError(100, "Invalid verification code format.");
  const userId = appScopedUserId(s, app.appId, persona.index);
  const t = issueUserToken(s, { appId: app.appId, personaId: persona.id, userId, lifetime: s.codeTokenLifetime });
  const extra = code.openid ? { id_token: idToken(s, app, code, userId, req.base) } : {};
  return { body: tokenBody(s, t, extra), tokenId: t.id };
}
