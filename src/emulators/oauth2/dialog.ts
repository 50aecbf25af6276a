import type { Params } from "../meta/http";
import { issueCode } from "./codes";
import { consentPage, errorPageResponse, htmlResponse } from "./dialog-html";
import type { DialogRequest, Runtime } from "./profile";
import { consentKey } from "./state";
import type { PersonaBase } from "./types";

/**
 * The authorization dialog shared by every platform: GET validates and shows consent (or approves at
 * once with `sandbox_persona`), POST is the user's answer. Platform rules come from the profile.
 */

/** Form fields of the page itself, never carried over as hidden fields. */
const FORM_FIELDS = new Set(["persona", "granted", "action", "sandbox_persona"]);

export function redirectTo(uri: string, params: Record<string, string | undefined>, fragment = ""): Response {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const sep = uri.includes("?") ? "&" : "?";
  return new Response(null, { status: 302, headers: { location: `${uri}${sep}${q.toString()}${fragment}`, "cache-control": "no-store" } });
}

function refuse(rt: Runtime, title: string, message: string): Response {
  const spec = rt.profile.dialog;
  return spec.refuse ? spec.refuse(title, message) : errorPageResponse(rt.profile.platform, rt.profile.brandColor, title, message);
}

function validate(rt: Runtime, p: Params): DialogRequest | Response {
  const spec = rt.profile.dialog;
  const clientId = p[spec.clientIdParam];
  const client = rt.client(clientId);
  if (!client) return refuse(rt, "Invalid client", clientId ? `Unknown ${spec.clientIdParam} "${clientId}".` : `The ${spec.clientIdParam} parameter is missing.`);
  const redirectUri = p.redirect_uri;
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return refuse(rt, "Invalid redirect URI", "The redirect_uri does not match a redirect URI registered for this app.");
  }
  if (p.response_type !== "code") return refuse(rt, "Unsupported response type", `response_type must be "code".`);
  if (spec.requireState && !p.state) return refuse(rt, "Missing state", "The state parameter is required.");
  const normalize = spec.normalizeScope ?? ((x: string) => x);
  const scopes = [...new Set(spec.splitScopes(p.scope ?? "").map(normalize))];
  const d: DialogRequest = { client, redirectUri, state: p.state, scopes, responseType: p.response_type, nonce: p.nonce, raw: p };
  const allowed = client.scopes ?? rt.profile.knownScopes;
  const bad = scopes.find((x) => !rt.profile.knownScopes.includes(x) || !allowed.includes(x));
  if (bad) return spec.onUnknownScope ? spec.onUnknownScope(d, bad) : refuse(rt, "Invalid scope", `The scope "${bad}" is not valid for this app.`);
  if (spec.pkce !== "none") {
    if (p.code_challenge) {
      const method = p.code_challenge_method ?? "plain";
      if (!spec.pkceMethods(client).includes(method)) return refuse(rt, "Invalid PKCE method", `code_challenge_method "${method}" is not supported.`);
      d.codeChallenge = p.code_challenge;
      d.codeChallengeMethod = method;
    } else if (spec.pkce === "required") {
      return refuse(rt, "Missing code challenge", "code_challenge is required (PKCE).");
    }
  }
  return spec.check?.(d, rt, (title, message) => refuse(rt, title, message)) ?? d;
}

function cancel(rt: Runtime, d: DialogRequest): Response {
  return redirectTo(d.redirectUri, rt.profile.dialog.cancelParams(d), rt.profile.dialog.fragment);
}

function approve(rt: Runtime, d: DialogRequest, persona: PersonaBase, answer: Set<string> | "all"): Response {
  const spec = rt.profile.dialog;
  const declinable = spec.declinable;
  let granted = d.scopes.filter((x) => answer === "all" || !declinable || !declinable(x) || answer.has(x));
  const key = consentKey(d.client.clientId, persona.id);
  const prev = rt.s.consents[key];
  if (prev && spec.keepEarlierScopes?.(d)) granted = [...new Set([...prev.scopes, ...granted])];
  rt.s.consents[key] = { scopes: [...new Set([...(prev?.scopes ?? []), ...granted])], at: rt.now() };
  const refresh = spec.issuesRefresh?.(d, granted, !prev, rt) ?? true;
  const code = issueCode(rt, d, persona.id, granted, refresh);
  rt.log("approve", { persona: persona.id, clientId: d.client.clientId, granted });
  return redirectTo(d.redirectUri, spec.approveParams(d, code, granted), spec.fragment);
}

function render(rt: Runtime, d: DialogRequest, action: string, error?: string): Response {
  const hidden = Object.fromEntries(Object.entries(d.raw).filter(([k]) => !FORM_FIELDS.has(k)));
  return htmlResponse(
    consentPage({
      platform: rt.profile.platform,
      color: rt.profile.brandColor,
      title: rt.profile.dialog.title,
      appName: d.client.name ?? "An app",
      action,
      hidden,
      personas: rt.profile.personas.map((p) => rt.persona(p.id) ?? p),
      scopes: d.scopes,
      declinable: rt.profile.dialog.declinable,
      error,
    }),
  );
}

/** GET or POST on one of the dialog paths; `action` is the absolute URL the form posts back to. */
export async function handleDialog(rt: Runtime, request: Request, url: URL, action: string): Promise<Response> {
  if (request.method === "POST") {
    const form = new URLSearchParams(await request.text());
    const p: Params = Object.fromEntries(form);
    const d = validate(rt, p);
    if (d instanceof Response) return d;
    if (p.action === "cancel") return cancel(rt, d);
    const persona = p.persona ? rt.persona(p.persona) : undefined;
    if (!persona) return render(rt, d, action, "Choose an account to continue.");
    return approve(rt, d, persona, new Set(form.getAll("granted")));
  }
  if (request.method !== "GET") return refuse(rt, "Method not allowed", `${request.method} is not supported here.`);
  const p: Params = Object.fromEntries(url.searchParams);
  const d = validate(rt, p);
  if (d instanceof Response) return d;
  if (p.sandbox_persona !== undefined) {
    // Sandbox-only shortcut ("Quick connect"): approve as this persona with everything requested.
    const persona = rt.persona(p.sandbox_persona);
    if (!persona) return refuse(rt, "Unknown sandbox persona", `No persona "${p.sandbox_persona}" in the ${rt.profile.platform} sandbox.`);
    return approve(rt, d, persona, "all");
  }
  return render(rt, d, action);
}
