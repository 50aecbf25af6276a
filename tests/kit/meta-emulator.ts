import { createMetaSandbox, type MetaSandbox } from "@/emulators/meta/sandbox";
import { DEFAULT_APP } from "@/emulators/meta/state";
import type { SandboxOptions } from "@/emulators/meta/types";

/** Shared by the sandbox's own tests: drive the dialog + code exchange without a browser. */

export const APP_ID = DEFAULT_APP.appId;
export const APP_SECRET = DEFAULT_APP.appSecret;
export const REDIRECT = DEFAULT_APP.redirectUris[0]!;
export const APP_TOKEN = `${APP_ID}|${APP_SECRET}`;

export type Fetcher = (input: string, init?: RequestInit) => Promise<Response>;

/** In-process fetch against a sandbox (origin is arbitrary). */
export function inProcess(options: SandboxOptions = {}): { sandbox: MetaSandbox; fetch: Fetcher; base: string } {
  const sandbox = createMetaSandbox(options);
  const base = `http://sandbox.test${options.basePath ?? ""}`;
  return { sandbox, base, fetch: (input, init) => sandbox(new Request(input.startsWith("http") ? input : `${base}${input}`, init)) };
}

export function dialogUrl(base: string, o: { scope?: string; state?: string; redirectUri?: string; clientId?: string; extra?: Record<string, string> } = {}): string {
  const q = new URLSearchParams({
    client_id: o.clientId ?? APP_ID,
    redirect_uri: o.redirectUri ?? REDIRECT,
    state: o.state ?? "st4te",
    scope: o.scope ?? "ads_read,business_management",
    ...o.extra,
  });
  return `${base}/v25.0/dialog/oauth?${q.toString()}`;
}

export function codeFrom(location: string | null): string {
  if (!location) throw new Error("no redirect");
  const code = new URL(location).searchParams.get("code");
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

export async function exchange(f: Fetcher, base: string, code: string, redirectUri = REDIRECT): Promise<Response> {
  return f(`${base}/v25.0/oauth/access_token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${APP_ID}:${APP_SECRET}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri }).toString(),
  });
}

/** Approve the dialog as a persona and exchange the code: the user token string. */
export async function login(
  sandbox: MetaSandbox,
  f: Fetcher,
  base: string,
  persona: string,
  scope = "ads_read,business_management",
  behaviour: "approve" | `decline:${string}` = "approve",
): Promise<string> {
  sandbox.control.setDialogBehaviour(persona, behaviour);
  const res = await f(dialogUrl(base, { scope }), { redirect: "manual" });
  const tokenRes = await exchange(f, base, codeFrom(res.headers.get("location")));
  const body = (await tokenRes.json()) as { access_token: string };
  sandbox.control.setDialogBehaviour(persona, "interactive");
  return body.access_token;
}

export async function getJson(f: Fetcher, url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await f(url, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

export type GraphErrorBody = { error: { message: string; type: string; code: number; error_subcode?: number; fbtrace_id: string; is_transient?: boolean } };

export function errorOf(body: Record<string, unknown>): GraphErrorBody["error"] {
  return (body as GraphErrorBody).error;
}

/** A form POST (Graph calls and the dialog take form bodies). */
export function form(body: Record<string, string | string[]>, extra: RequestInit = {}): RequestInit {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) q.append(k, x);
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: q.toString(), redirect: "manual", ...extra };
}

/** Every permission Pages + Instagram publishing needs, plus ads and businesses. */
export const PUBLISHING_SCOPES = [
  "ads_read",
  "business_management",
  "pages_show_list",
  "pages_read_engagement",
  "pages_manage_posts",
  "instagram_basic",
  "instagram_content_publish",
];

/** The `publisher` persona's objects (docs/sandbox.md, personas). */
export const HARBOR = {
  business: "4180000000001",
  adAccount: "1280000000000",
  coffee: "1038000000001",
  bookshop: "1038000000002",
  gallery: "1038000000003",
  market: "1038000000004",
  studio: "1038000000005",
  igCoffee: "17841480000000001",
  igGallery: "17841480000000003",
  igMarket: "17841480000000004",
  igStudio: "17841480000000005",
} as const;

/** A Page token for `pageId` from a user token (`GET /{page}?fields=access_token`). */
export async function pageToken(f: Fetcher, userToken: string, pageId: string): Promise<string> {
  const res = await getJson(f, `/v25.0/${pageId}?fields=access_token&access_token=${userToken}`);
  const token = res.body.access_token;
  if (typeof token !== "string") throw new Error(`no Page token for ${pageId}: ${JSON.stringify(res.body)}`);
  return token;
}
