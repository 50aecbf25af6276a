import { randomBytes } from "node:crypto";
import { authenticate } from "./auth";
import { str, type Params } from "./http";
import { ApiError, json } from "./responses";
import { now, type App, type Srv } from "./state";
import { features, knownScopes } from "./versions";

/** POST /api/v1/apps (register once per server) and GET /api/v1/apps/verify_credentials. */

export const OOB = "urn:ietf:wg:oauth:2.0:oob";
const FORBIDDEN_SCHEMES = /^(javascript|data|vbscript):/i;

export const secret43 = () => randomBytes(32).toString("base64url");

export function vapidKey(srv: Srv): string {
  return `BSandbox${Buffer.from(`vapid:${srv.s.id}`).toString("base64url")}${"A".repeat(40)}`.slice(0, 87);
}

function redirectUriErrors(uri: string): string[] {
  if (uri === OOB) return [];
  if (FORBIDDEN_SCHEMES.test(uri)) return ["Redirect URI is forbidden by the server."];
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return [/^[a-z][a-z0-9+.-]*:/i.test(uri) ? "Redirect URI must be a valid URI." : "Redirect URI must be an absolute URI."];
  }
  return uri.includes("#") || url.hash ? ["Redirect URI cannot contain a fragment."] : [];
}

/** The registered redirect URIs, as each version reads the field (arrays only from 4.3). */
function readRedirectUris(srv: Srv, p: Params): string[] {
  const raw = p.redirect_uris;
  if (Array.isArray(raw)) return features(srv.s.version).arrayRedirectUris ? raw.filter((x): x is string => typeof x === "string") : [];
  return (str(p, "redirect_uris") ?? "").split(/\s+/).filter(Boolean);
}

export function appJson(srv: Srv, app: App, o: { credentials: boolean }) {
  const f = features(srv.s.version);
  return {
    ...(o.credentials ? { id: app.id } : {}),
    name: app.name,
    website: app.website,
    ...(f.arrayRedirectUris ? { scopes: app.scopes } : {}),
    redirect_uri: app.redirectUris.join("\n"),
    ...(f.arrayRedirectUris ? { redirect_uris: app.redirectUris } : {}),
    ...(o.credentials ? { client_id: app.clientId, client_secret: app.clientSecret } : {}),
    ...(o.credentials && f.secretExpiry ? { client_secret_expires_at: 0 } : {}),
    vapid_key: vapidKey(srv),
  };
}

export function registerApp(srv: Srv, o: { name: string; redirectUris: string[]; scopes: string[]; website?: string | null }): App {
  const app: App = {
    id: String(srv.s.nextAppId++),
    name: o.name,
    website: o.website ?? null,
    redirectUris: o.redirectUris,
    scopes: o.scopes,
    clientId: secret43(),
    clientSecret: secret43(),
    createdAt: now(srv),
  };
  srv.s.apps[app.id] = app;
  srv.secrets.add(app.clientId);
  srv.secrets.add(app.clientSecret);
  return app;
}

export function createApp(srv: Srv, p: Params): Response {
  const name = (str(p, "client_name") ?? "").trim();
  const redirectUris = readRedirectUris(srv, p);
  const scopes = (str(p, "scopes") ?? "read").split(/\s+/).filter(Boolean);
  const errors: string[] = [];
  if (!name) errors.push("Application name can't be blank");
  else if ([...name].length > 60) errors.push("Application name is too long (maximum is 60 characters)");
  if (redirectUris.length === 0) errors.push("Redirect URI can't be blank");
  for (const uri of redirectUris) errors.push(...redirectUriErrors(uri));
  const known = knownScopes(srv.s.version);
  if (scopes.length === 0 || scopes.some((x) => !known.includes(x))) errors.push("Scopes doesn't match configured on the server.");
  if (errors.length > 0) throw new ApiError(422, `Validation failed: ${[...new Set(errors)].join(", ")}`);
  const app = registerApp(srv, { name, redirectUris, scopes, website: str(p, "website") || null });
  return json(appJson(srv, app, { credentials: true }));
}

export function verifyAppCredentials(srv: Srv, req: Request, p: Params): Response {
  // From 4.3 any token of the app will do; before that it needs `read`.
  const a = authenticate(srv, req, p, features(srv.s.version).arrayRedirectUris ? null : ["read"]);
  const app = srv.s.apps[a.token.appId];
  if (!app) throw new ApiError(401, "The access token is invalid");
  return json(appJson(srv, app, { credentials: false }));
}
