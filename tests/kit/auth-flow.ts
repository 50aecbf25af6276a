import { NextRequest } from "next/server";

/**
 * A minimal browser for driving the app's real Auth.js route handlers in process: it keeps
 * cookies, posts forms with the CSRF token, and follows nothing on its own so each redirect can be
 * checked. External URLs (the Meta sandbox) are fetched over real HTTP.
 */
export const APP = "http://localhost:3000";
type Handler = (request: NextRequest) => Promise<Response>;

export class FlowBrowser {
  private cookies = new Map<string, string>();

  constructor(private readonly handlers: { GET: Handler; POST: Handler }) {}

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  hasSession() {
    return [...this.cookies.keys()].some((k) => k.endsWith("authjs.session-token"));
  }

  dropSession() {
    for (const key of [...this.cookies.keys()]) if (key.endsWith("authjs.session-token")) this.cookies.delete(key);
  }

  private remember(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** A request to the app (in process). */
  async app(method: "GET" | "POST", path: string, form?: Record<string, string>): Promise<Response> {
    const url = path.startsWith("http") ? path : `${APP}${path}`;
    const headers: Record<string, string> = { cookie: this.cookieHeader(), origin: APP };
    if (form) headers["content-type"] = "application/x-www-form-urlencoded";
    const request = new NextRequest(url, { method, headers, body: form ? new URLSearchParams(form) : undefined });
    const response = await (method === "GET" ? this.handlers.GET : this.handlers.POST)(request);
    this.remember(response);
    return response;
  }

  async csrf(): Promise<string> {
    const response = await this.app("GET", "/api/auth/csrf");
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  async signInWithPassword(email: string, password: string) {
    const csrfToken = await this.csrf();
    return this.app("POST", "/api/auth/callback/credentials", { csrfToken, email, password, callbackUrl: `${APP}/dashboard` });
  }

  /** Starts "Link Facebook"; returns the dialog URL Auth.js redirects to. */
  async startFacebookLink(redirectTo = "/settings/connections?linked=facebook", authorizationParams: Record<string, string> = {}) {
    const csrfToken = await this.csrf();
    const query = new URLSearchParams(authorizationParams).toString();
    const response = await this.app("POST", `/api/auth/signin/facebook${query ? `?${query}` : ""}`, { csrfToken, callbackUrl: `${APP}${redirectTo}` });
    return { response, location: response.headers.get("location") ?? "" };
  }
}

/**
 * Link → the sandbox dialog at `dialogBase` (answered at once by its dialog behaviour) → the
 * callback. Returns where the user lands.
 */
export async function linkFacebook(browser: FlowBrowser, dialogBase: string, tamper?: (callbackUrl: URL) => void) {
  const start = await browser.startFacebookLink();
  if (!start.location.startsWith(`${dialogBase}/v25.0/dialog/oauth?`)) throw new Error(`Not sent to the dialog at ${dialogBase}: ${start.location}`);
  const dialog = await follow(start.location);
  if (dialog.status !== 302) throw new Error(`The dialog answered ${dialog.status} instead of redirecting.`);
  const callback = new URL(dialog.location.replace(/#_=_$/, ""));
  tamper?.(callback);
  const response = await browser.app("GET", callback.toString());
  return { status: response.status, landing: pathOf(response.headers.get("location") ?? "") };
}

/** Fetches an external URL without following redirects; returns the Location. */
export async function follow(url: string): Promise<{ status: number; location: string }> {
  const response = await fetch(url, { redirect: "manual" });
  return { status: response.status, location: response.headers.get("location") ?? "" };
}

export function pathOf(location: string) {
  const url = new URL(location, APP);
  return `${url.pathname}${url.search}`;
}
