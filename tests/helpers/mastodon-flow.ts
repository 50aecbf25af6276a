import { createHash, randomBytes } from "node:crypto";

/** Drive one Mastodon (sandbox) server the way an app does: register, authorize, exchange. */

export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;
export type Registered = { client_id: string; client_secret: string; id: string; [k: string]: unknown };

export const CALLBACK = "http://localhost:3000/api/connections/mastodon/callback";

/** A fetch bound to one server of an in-process sandbox (or any base URL over HTTP). */
export function serverFetch(handler: (r: Request) => Promise<Response>, base: string): Fetcher {
  return (path, init) => handler(new Request(path.startsWith("http") ? path : `${base}${path}`, init));
}

export async function registerApp(f: Fetcher, o: { scopes?: string; redirectUris?: string | string[]; name?: string } = {}): Promise<Registered> {
  const res = await f("/api/v1/apps", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: o.name ?? "Linkboard", redirect_uris: o.redirectUris ?? CALLBACK, scopes: o.scopes ?? "profile write:statuses", website: "https://linkboard.example" }),
  });
  if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Registered;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(app: Registered, o: { scope?: string; state?: string; redirectUri?: string; challenge?: string; persona?: string; extra?: Record<string, string> } = {}): string {
  const q = new URLSearchParams({ response_type: "code", client_id: app.client_id, redirect_uri: o.redirectUri ?? CALLBACK, state: o.state ?? "st4te" });
  if (o.scope !== undefined) q.set("scope", o.scope);
  if (o.challenge) {
    q.set("code_challenge", o.challenge);
    q.set("code_challenge_method", "S256");
  }
  if (o.persona) q.set("sandbox_persona", o.persona);
  for (const [k, v] of Object.entries(o.extra ?? {})) q.set(k, v);
  return `/oauth/authorize?${q.toString()}`;
}

export function codeFrom(res: Response): string {
  const location = res.headers.get("location");
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (!code) throw new Error(`no code in ${res.status} ${location}`);
  return code;
}

export async function exchange(f: Fetcher, app: Registered, code: string, o: { verifier?: string; redirectUri?: string; basic?: boolean } = {}): Promise<Response> {
  const form = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: o.redirectUri ?? CALLBACK });
  if (o.verifier) form.set("code_verifier", o.verifier);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (o.basic) headers.authorization = `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString("base64")}`;
  else {
    form.set("client_id", app.client_id);
    form.set("client_secret", app.client_secret);
  }
  return f("/oauth/token", { method: "POST", headers, body: form.toString() });
}

/** Register (once), approve as a persona, exchange: the access token. */
export async function link(f: Fetcher, persona: string, o: { app?: Registered; scope?: string } = {}): Promise<{ app: Registered; token: string }> {
  const app = o.app ?? (await registerApp(f));
  const { verifier, challenge } = pkcePair();
  const res = await f(authorizeUrl(app, { scope: o.scope ?? "profile write:statuses", challenge, persona }), { redirect: "manual" });
  const tokenRes = await exchange(f, app, codeFrom(res), { verifier });
  if (tokenRes.status !== 200) throw new Error(`exchange failed: ${tokenRes.status} ${await tokenRes.text()}`);
  return { app, token: ((await tokenRes.json()) as { access_token: string }).access_token };
}

export const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
