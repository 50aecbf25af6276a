import { isIP } from "node:net";
import { OOB, secret43 } from "./apps";
import { consentPage } from "./dialog-html";
import { type Params, str } from "./http";
import { dialogLabel } from "./personas";
import { esc, html, missingParam, OAUTH_TEXT, OAuthError, oauthErrorPage, page } from "./responses";
import { now, type App, type Srv, type User } from "./state";
import { features, knownScopes } from "./versions";

/**
 * GET/POST /oauth/authorize with Doorkeeper's validation order and redirect-URI matching. Errors
 * before the redirect target is trusted render on the server; approve and deny redirect back.
 */

export type AuthorizeRequest = {
  app: App;
  redirectUri: string;
  scopes: string[];
  state?: string;
  challenge?: string;
  challengeMethod?: string;
  forceLogin: boolean;
  raw: Record<string, string>;
};

export type Where = { base: string; cookiePath: string };

const CODE_FIELDS = ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge", "code_challenge_method", "force_login", "lang"];

const isLoopback = (host: string) => {
  const h = host.replace(/^\[|\]$/g, "");
  return (isIP(h) === 4 && h.startsWith("127.")) || (isIP(h) === 6 && h === "::1");
};

/** Doorkeeper's URIChecker.matches?: a registered query must match as a set; loopback IPs match on any port. */
export function redirectMatches(requested: string, registered: string): boolean {
  if (requested === OOB || registered === OOB) return requested === registered;
  let req: URL;
  let reg: URL;
  try {
    req = new URL(requested);
    reg = new URL(registered);
  } catch {
    return false;
  }
  if (requested.includes("#")) return false;
  if (reg.search) {
    const set = (u: URL) => u.search.slice(1).split("&").sort().join("&");
    if (set(req) !== set(reg)) return false;
  }
  const anyPort = isLoopback(req.hostname) && isLoopback(reg.hostname);
  return req.protocol === reg.protocol && req.hostname === reg.hostname && (anyPort || req.port === reg.port) && req.pathname === reg.pathname;
}

export function validateAuthorize(srv: Srv, p: Record<string, string>): AuthorizeRequest {
  if (!p.client_id) throw new OAuthError("invalid_request", 400, missingParam("client_id"));
  const app = Object.values(srv.s.apps).find((a) => a.clientId === p.client_id);
  if (!app) throw new OAuthError("invalid_client", 401);
  const redirectUri = p.redirect_uri ?? "";
  if (!redirectUri || !app.redirectUris.some((r) => redirectMatches(redirectUri, r))) throw new OAuthError("invalid_redirect_uri");
  if (!p.response_type) throw new OAuthError("invalid_request", 400, missingParam("response_type"));
  if (p.response_type !== "code") throw new OAuthError("unsupported_response_type");
  const requested = (p.scope ?? "").split(/[\s+]+/).filter(Boolean);
  const scopes = requested.length > 0 ? [...new Set(requested)] : ["read"];
  const known = knownScopes(srv.s.version);
  // Matched literally: `read` registered does not allow asking for `read:accounts`.
  if (scopes.some((x) => !known.includes(x) || !app.scopes.includes(x))) throw new OAuthError("invalid_scope");
  const pkce = features(srv.s.version).pkce && !!p.code_challenge;
  if (pkce && p.code_challenge_method !== "S256") throw new OAuthError("invalid_code_challenge_method");
  return {
    app,
    redirectUri,
    scopes,
    state: p.state,
    ...(pkce ? { challenge: p.code_challenge, challengeMethod: "S256" } : {}),
    forceLogin: p.force_login === "true",
    raw: Object.fromEntries(CODE_FIELDS.filter((k) => p[k] !== undefined).map((k) => [k, p[k]!])),
  };
}

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return `${uri}${uri.includes("?") ? "&" : "?"}${q.toString()}`;
}

export const cookieName = (srv: Srv) => `mastodon_sandbox_${srv.s.id.replace(/[^A-Za-z0-9_]/g, "_")}`;

function sessionUser(srv: Srv, headers: Headers): User | undefined {
  const m = new RegExp(`(?:^|;\\s*)${cookieName(srv)}=(\\d+)`).exec(headers.get("cookie") ?? "");
  const u = m?.[1] ? srv.s.users[m[1]] : undefined;
  return u && u.state !== "deleted" ? u : undefined;
}

const sameScopes = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function approve(srv: Srv, d: AuthorizeRequest, user: User, where: Where): Response {
  const code = secret43();
  srv.s.codes[code] = {
    appId: d.app.id,
    userId: user.id,
    redirectUri: d.redirectUri,
    scopes: d.scopes,
    ...(d.challenge ? { challenge: d.challenge, challengeMethod: d.challengeMethod } : {}),
    createdAt: now(srv),
  };
  srv.secrets.add(code);
  for (const [k, c] of Object.entries(srv.s.codes)) if (c.createdAt < now(srv) - 86_400_000) delete srv.s.codes[k];
  const cookie = `${cookieName(srv)}=${user.id}; Path=${where.cookiePath}; HttpOnly; SameSite=Lax`;
  if (d.redirectUri === OOB) {
    return html(page("Authorization code", `<h1>Copy this authorization code and paste it to the application.</h1><p><code>${esc(code)}</code></p>`), 200, { "set-cookie": cookie });
  }
  return new Response(null, { status: 302, headers: { location: withQuery(d.redirectUri, { code, state: d.state }), "cache-control": "no-store", "set-cookie": cookie } });
}

export function deny(d: AuthorizeRequest): Response {
  return new Response(null, {
    status: 302,
    headers: { location: withQuery(d.redirectUri, { error: "access_denied", error_description: OAUTH_TEXT.access_denied, state: d.state }), "cache-control": "no-store" },
  });
}

function flat(p: Params): Record<string, string> {
  return Object.fromEntries(Object.keys(p).flatMap((k) => (str(p, k) === undefined ? [] : [[k, str(p, k)!]])));
}

function showConsent(srv: Srv, d: AuthorizeRequest, where: Where, selected?: User, error?: string): Response {
  const users = Object.values(srv.s.users).filter((u) => u.state !== "deleted");
  return html(
    consentPage({
      action: `${where.base}/oauth/authorize`,
      appName: d.app.name,
      serverTitle: srv.s.title,
      domain: srv.s.domain,
      hidden: d.raw,
      personas: users.map((u) => ({ value: u.id, label: dialogLabel(u, srv.s.domain) })),
      selected: selected?.id ?? users[0]?.id,
      scopes: d.scopes,
      error,
    }),
  );
}

export function authorizeGet(srv: Srv, p: Params, headers: Headers, where: Where): Response {
  const q = flat(p);
  let d: AuthorizeRequest;
  try {
    d = validateAuthorize(srv, q);
  } catch (e) {
    if (e instanceof OAuthError) return oauthErrorPage(e, srv.s.title);
    throw e;
  }
  // Sandbox only: approve at once as this persona, through the normal redirect.
  if (q.sandbox_persona) {
    const user = Object.values(srv.s.users).find((u) => (u.personaId === q.sandbox_persona || u.username === q.sandbox_persona) && u.state !== "deleted");
    if (!user) return html(page("Unknown persona", `<h1>Unknown sandbox persona</h1><p role="alert">No persona "${esc(q.sandbox_persona)}" on ${esc(srv.s.title)}.</p>`), 400);
    return approve(srv, d, user, where);
  }
  const auto = srv.s.dialog;
  if (auto.behaviour === "deny") return deny(d);
  if (auto.behaviour === "approve") {
    const user = Object.values(srv.s.users).find((u) => u.personaId === auto.persona) ?? Object.values(srv.s.users)[0];
    if (user) return approve(srv, d, user, where);
  }
  // Doorkeeper skips the consent screen when this user already holds a live token for these scopes.
  const known = sessionUser(srv, headers);
  if (known && !d.forceLogin) {
    const live = Object.values(srv.s.tokens).some((t) => t.appId === d.app.id && t.userId === known.id && t.revokedAt === undefined && sameScopes(t.scopes, d.scopes));
    if (live) return approve(srv, d, known, where);
  }
  return showConsent(srv, d, where, known);
}

export function authorizePost(srv: Srv, p: Params, where: Where): Response {
  const form = flat(p);
  let d: AuthorizeRequest;
  try {
    d = validateAuthorize(srv, form);
  } catch (e) {
    if (e instanceof OAuthError) return oauthErrorPage(e, srv.s.title);
    throw e;
  }
  if (form.action === "cancel") return deny(d);
  const user = form.persona ? srv.s.users[form.persona] : undefined;
  if (!user || user.state === "deleted") return showConsent(srv, d, where, undefined, "Choose an account to continue.");
  return approve(srv, d, user, where);
}
