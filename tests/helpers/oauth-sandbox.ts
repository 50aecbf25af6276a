import { createHash, randomBytes } from "node:crypto";

/**
 * Driving the OAuth platform sandboxes (src/emulators/<provider>/) from tests: in-process fetch,
 * the consent form as a browser would submit it, PKCE pairs, Basic credentials.
 */

export type Fetcher = (input: string, init?: RequestInit) => Promise<Response>;

/** Fetch straight into a sandbox handler; paths are resolved against `base`. */
export function inProcessFetch(handler: (request: Request) => Promise<Response>, base: string): Fetcher {
  return (input, init) => handler(new Request(input.startsWith("http") ? input : `${base}${input}`, init));
}

export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return `${url}${url.includes("?") ? "&" : "?"}${q.toString()}`;
}

export function pkcePair(): { verifier: string; challenge: string; hexChallenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  const digest = createHash("sha256").update(verifier).digest();
  return { verifier, challenge: digest.toString("base64url"), hexChallenge: digest.toString("hex") };
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
export function basicAuth(id: string, secret: string): string {
  const enc = (x: string) => encodeURIComponent(x).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString("base64")}`;
}

export function formPost(body: Record<string, string | undefined>, headers: Record<string, string> = {}): RequestInit {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) if (v !== undefined) form.set(k, v);
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: form.toString(), redirect: "manual" };
}

export function locationOf(res: Response): URL {
  const loc = res.headers.get("location");
  if (!loc) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(loc);
}

export function codeFrom(res: Response): string {
  const code = locationOf(res).searchParams.get("code");
  if (!code) throw new Error(`no code in ${res.headers.get("location")}`);
  return code;
}

/** The consent form of a dialog page: its action and hidden fields, as a browser would submit them. */
export function consentForm(html: string): { action: string; fields: [string, string][]; scopeBoxes: string[]; personas: string[] } {
  const unescape = (x: string) => x.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  if (!action) throw new Error("no consent form on the page");
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)] as [string, string]);
  const scopeBoxes = [...html.matchAll(/<input type="checkbox" name="granted" value="([^"]*)"/g)].map((m) => unescape(m[1]!));
  const personas = [...html.matchAll(/<input type="radio" name="persona" value="([^"]*)"/g)].map((m) => unescape(m[1]!));
  return { action: unescape(action), fields, scopeBoxes, personas };
}

/** Submit the consent form as `persona`, ticking `granted` (default: every box) or pressing Cancel. */
export async function submitConsent(
  f: Fetcher,
  html: string,
  o: { persona: string; granted?: string[]; cancel?: boolean },
): Promise<Response> {
  const form = consentForm(html);
  const body = new URLSearchParams(form.fields);
  body.set("persona", o.persona);
  for (const g of o.granted ?? form.scopeBoxes) body.append("granted", g);
  body.set("action", o.cancel ? "cancel" : "continue");
  return f(form.action, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString(), redirect: "manual" });
}

export async function jsonOf<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
