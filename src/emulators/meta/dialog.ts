import { consentPage, errorPage, htmlResponse } from "./dialog-html";
import type { Params } from "./http";
import type { Persona } from "./personas";
import { defaultTicks } from "./assets";
import { dialogAssets } from "./dialog-assets";
import { changeGrant } from "./grant-changes";
import { appMode, findPersona, getGrant, grantKey, newGrant, now, type Grant, type ResolvedApp, type SandboxState } from "./state";
import { DATA_ACCESS_MS, randomAlnum } from "./tokens";

/** The Facebook Login dialog: GET shows consent (or redirects at once), POST is the user's answer. */

const COOKIE = "fbsb_persona";

type DialogRequest = {
  app: ResolvedApp;
  redirectUri: string;
  state?: string;
  scopes: string[];
  authType?: string;
  responseType: string;
  configId?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  /** Sandbox-only `sandbox_persona`: approve at once as this persona, every requested scope granted. */
  quickPersona?: string;
  raw: Params;
};

/**
 * The user's answer: permissions granted, and the assets ticked. A kind left undefined (or null)
 * keeps what was ticked before — the dialog's defaults on a first login.
 */
export type DialogAnswer = { granted: Set<string> | "all"; pageIds?: string[] | null; igIds?: string[] | null; adAccountIds?: string[] | null };

function validate(s: SandboxState, p: Params): DialogRequest | Response {
  if (!p.client_id) return htmlResponse(errorPage("Invalid App ID", "The client_id parameter is missing."), 400);
  const app = s.apps.get(p.client_id);
  if (!app) return htmlResponse(errorPage("Invalid App ID", "The provided app ID does not look like a valid app ID."), 400);
  const redirectUri = p.redirect_uri;
  if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
    return htmlResponse(
      errorPage(
        "URL blocked",
        "This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings. Make sure Client and Web OAuth Login are on and add all your app domains as Valid OAuth Redirect URIs.",
      ),
      400,
    );
  }
  let scopes = (p.scope ?? "").split(/[,\s]+/).filter(Boolean);
  if (p.config_id) {
    const config = app.loginConfigs[p.config_id];
    if (!config) return htmlResponse(errorPage("Invalid configuration", `Login configuration ${p.config_id} does not exist for this app.`), 400);
    scopes = config.permissions;
  }
  return {
    app,
    redirectUri,
    state: p.state,
    scopes: [...new Set(scopes.filter((x) => x !== "public_profile"))],
    authType: p.auth_type,
    responseType: p.response_type ?? "code",
    configId: p.config_id,
    codeChallenge: p.code_challenge,
    codeChallengeMethod: p.code_challenge_method,
    nonce: p.nonce,
    quickPersona: p.sandbox_persona,
    raw: p,
  };
}

function redirectTo(uri: string, params: Record<string, string | undefined>, headers: Record<string, string> = {}): Response {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const sep = uri.includes("?") ? "&" : "?";
  return new Response(null, { status: 302, headers: { location: `${uri}${sep}${q.toString()}#_=_`, "cache-control": "no-store", ...headers } });
}

export function cancelRedirect(d: DialogRequest): Response {
  return redirectTo(d.redirectUri, {
    error: "access_denied",
    error_code: "200",
    error_description: "Permissions error",
    error_reason: "user_denied",
    state: d.state,
  });
}

/** Scopes the dialog actually asks about: previously declined ones are skipped unless rerequest. */
function askable(d: DialogRequest, g: Grant | undefined): string[] {
  if (d.authType === "rerequest" || d.configId || d.quickPersona) return d.scopes;
  return d.scopes.filter((x) => g?.permissions[x] !== "declined");
}

function appNotActive(): Response {
  return htmlResponse(
    errorPage("App not active", "This app is not currently accessible and the app developer is aware of the issue. You will be able to log in when the app is reactivated."),
    200,
  );
}

/** Record the user's answer, mint a code and send the browser back to the app. */
export function approve(s: SandboxState, d: DialogRequest, persona: Persona, answer: DialogAnswer, cookiePath: string): Response {
  const app = d.app;
  const mode = appMode(s, app);
  if (mode === "development" && !persona.appRole) return appNotActive();
  const asked = askable(d, getGrant(s, app.appId, persona.id));
  const isGranted = (x: string) => answer.granted === "all" || answer.granted.has(x);
  if (d.configId && !asked.every(isGranted)) return cancelRedirect(d);
  const allowed = (x: string) => !!persona.appRole || mode !== "live" || app.approvedPermissions.includes(x);
  const g = recordAnswer(s, app.appId, persona, (grant) => {
    grant.permissions.public_profile = "granted";
    for (const x of asked) {
      if (!allowed(x)) continue; // Live apps silently drop unreviewed permissions for people without a role.
      grant.permissions[x] = isGranted(x) ? "granted" : "declined";
    }
    if (answer.pageIds) grant.pageIds = answer.pageIds;
    if (answer.igIds) grant.igIds = answer.igIds;
    if (answer.adAccountIds) grant.adAccountIds = answer.adAccountIds;
    if (d.authType) grant.authType = d.authType;
  });
  const code = `AQ${randomAlnum(220)}`;
  const openid = d.scopes.includes("openid");
  const keepChallenge = !!d.codeChallenge && (s.pkce === "enforce" || openid);
  s.world.codes[code] = {
    value: code,
    appId: app.appId,
    personaId: persona.id,
    redirectUri: d.redirectUri,
    createdAt: now(s),
    used: false,
    codeChallenge: keepChallenge ? d.codeChallenge : undefined,
    codeChallengeMethod: keepChallenge ? (d.codeChallengeMethod ?? "plain") : undefined,
    openid,
    nonce: d.nonce,
  };
  const params: Record<string, string | undefined> = { code, state: d.state };
  if (d.responseType.includes("granted_scopes")) {
    const all = Object.entries(g.permissions);
    params.granted_scopes = all.filter(([, st]) => st === "granted").map(([x]) => x).join(",");
    params.denied_scopes = all.filter(([, st]) => st === "declined").map(([x]) => x).join(",");
  }
  return redirectTo(d.redirectUri, params, { "set-cookie": `${COOKIE}=${persona.id}; Path=${cookiePath}; HttpOnly; SameSite=Lax` });
}

/** A first grant starts from the dialog's default ticks; every change notifies the app (webhooks). */
function recordAnswer(s: SandboxState, appId: string, persona: Persona, apply: (g: Grant) => void): Grant {
  let result: Grant | undefined;
  changeGrant(s, appId, persona, (prev) => {
    const g = prev ?? { ...newGrant(appId, persona.id), ...defaultTicks(persona) };
    apply(g);
    // Logging in through the dialog is "activity": the 90-day data access window restarts.
    g.dataAccessExpiresAt = now(s) + DATA_ACCESS_MS;
    result = g;
    return g;
  });
  return result!;
}

function rememberedPersona(s: SandboxState, headers: Headers): Persona | undefined {
  const m = new RegExp(`(?:^|;\\s*)${COOKIE}=([a-z0-9_-]+)`).exec(headers.get("cookie") ?? "");
  return m?.[1] ? findPersona(s, m[1]) : undefined;
}

function hiddenFields(d: DialogRequest): Record<string, string> {
  const keep = ["client_id", "redirect_uri", "state", "scope", "auth_type", "response_type", "config_id", "code_challenge", "code_challenge_method", "nonce"];
  return Object.fromEntries(keep.map((k) => [k, d.raw[k] ?? ""]));
}

export function dialogGet(s: SandboxState, p: Params, headers: Headers, action: string, cookiePath: string, error?: string): Response {
  const d = validate(s, p);
  if (d instanceof Response) return d;
  // Quick connect (the shared sandbox convention): the app's own redirect, a real code, no clicks.
  if (d.quickPersona !== undefined) {
    const persona = findPersona(s, d.quickPersona);
    if (!persona) return htmlResponse(errorPage("Unknown sandbox persona", `There is no sandbox persona "${d.quickPersona}".`), 400);
    return approve(s, d, persona, { granted: "all", pageIds: null }, cookiePath);
  }
  const auto = s.world.dialog;
  if (auto && auto.behaviour !== "interactive") {
    const persona = findPersona(s, auto.personaId);
    if (persona) {
      if (auto.behaviour === "cancel") return cancelRedirect(d);
      const declined = auto.behaviour.startsWith("decline:") ? new Set(auto.behaviour.slice(8).split(",")) : new Set<string>();
      const a = auto.assets;
      return approve(s, d, persona, { granted: new Set(d.scopes.filter((x) => !declined.has(x))), pageIds: a?.pages, igIds: a?.instagram, adAccountIds: a?.adAccounts }, cookiePath);
    }
  }
  // Someone who already granted everything asked for passes straight through (unless forced to re-confirm).
  const known = rememberedPersona(s, headers);
  if (known && !error && !["rerequest", "reauthenticate", "reauthorize"].includes(d.authType ?? "") && !d.configId) {
    const g = s.world.grants[grantKey(d.app.appId, known.id)];
    if (g && askable(d, g).every((x) => g.permissions[x] === "granted")) {
      return approve(s, d, known, { granted: "all" }, cookiePath);
    }
  }
  return htmlResponse(
    consentPage({
      action,
      appName: d.app.name,
      hidden: hiddenFields(d),
      personas: s.personas,
      permissions: d.scopes,
      assets: s.personas.map((p) => dialogAssets(s, d.app.appId, p, d.scopes)).filter((a) => a !== null),
      error,
    }),
  );
}

export function dialogPost(s: SandboxState, form: Params, all: URLSearchParams, headers: Headers, action: string, cookiePath: string): Response {
  const d = validate(s, form);
  if (d instanceof Response) return d;
  if (form.action === "cancel") return cancelRedirect(d);
  const persona = form.persona ? findPersona(s, form.persona) : undefined;
  if (!persona) return dialogGet(s, form, headers, action, cookiePath, "Choose an account to continue.");
  const granted = new Set(all.getAll("granted"));
  const offered = dialogAssets(s, d.app.appId, persona, d.scopes);
  // Only the chosen persona's own assets count. A kind counts when the rendered form offered it (an
  // unticked box sends nothing) or the post carries values for it; otherwise it keeps its ticks.
  const shown = new Set((form.assets_offered ?? "").split(","));
  const picked = (name: string, offeredIds: string[] | undefined) =>
    offeredIds?.length && (shown.has(name) || all.getAll(name).length > 0) ? all.getAll(name).filter((id) => offeredIds.includes(id)) : undefined;
  return approve(
    s,
    d,
    persona,
    {
      granted,
      pageIds: picked("page", offered?.pages.map((x) => x.id)),
      igIds: picked("instagram", offered?.instagram.map((x) => x.id)),
      adAccountIds: picked("ad_account", offered?.adAccounts.map((x) => x.id)),
    },
    cookiePath,
  );
}
