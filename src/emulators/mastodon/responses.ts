import { esc } from "../meta/dialog-html";

/** Mastodon's two error shapes (REST `{error}`, OAuth `{error, error_description}`) and HTML pages. */

export const JSON_TYPE = "application/json; charset=utf-8";

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } });
}

export function html(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", ...headers } });
}

/** A REST API refusal: `{"error": "<human text>"}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** Doorkeeper's wording (config/locales/en.yml). */
export const OAUTH_TEXT = {
  invalid_request: "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.",
  invalid_client: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
  invalid_grant:
    "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
  invalid_redirect_uri: "The requested redirect uri is malformed or doesn't match client redirect URI.",
  invalid_scope: "The requested scope is invalid, unknown, or malformed.",
  unsupported_grant_type: "The authorization grant type is not supported by the authorization server.",
  unsupported_response_type: "The authorization server does not support this response type.",
  invalid_code_challenge_method: "The code_challenge_method must be S256.",
  access_denied: "The resource owner or authorization server denied the request.",
  unauthorized_client: "You are not authorized to revoke this token",
  server_error: "The authorization server encountered an unexpected condition which prevented it from fulfilling the request.",
  temporarily_unavailable: "The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server.",
} as const;

export type OAuthCode = keyof typeof OAUTH_TEXT;

export const missingParam = (name: string) => `Missing required parameter: ${name}.`;

export class OAuthError extends Error {
  readonly code: OAuthCode;
  readonly status: number;
  constructor(code: OAuthCode, status = 400, description: string = OAUTH_TEXT[code]) {
    super(description);
    this.code = code;
    this.status = status;
  }
}

export function oauthResponse(e: OAuthError): Response {
  const headers: Record<string, string> = { "cache-control": "no-store", pragma: "no-cache" };
  if (e.code === "invalid_client") headers["www-authenticate"] = `Bearer realm="Doorkeeper", error="invalid_client", error_description="${e.message}"`;
  return json({ error: e.code, error_description: e.message }, e.status, headers);
}

export { esc };

const STYLE = `body{font-family:system-ui,sans-serif;background:#191b22;color:#d9e1e8;margin:0}
main{max-width:30rem;margin:2rem auto;background:#282c37;border-radius:8px;padding:1.5rem}
.badge{display:inline-block;background:#ffe08a;color:#5c4400;font-weight:600;border-radius:4px;padding:.1rem .5rem;font-size:.8rem}
h1{font-size:1.25rem}fieldset{border:1px solid #393f4f;border-radius:6px;margin:1rem 0}label{display:block;padding:.25rem 0}
.actions{display:flex;gap:.5rem;justify-content:flex-end}button{font-size:1rem;padding:.5rem 1rem;border-radius:6px;border:0}
button[value=continue]{background:#6364ff;color:#fff}code{background:#0003;padding:.1rem .3rem;border-radius:4px}.note{color:#9baec8;font-size:.875rem}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main><p class="badge">Sandbox</p>${body}</main></body></html>`;
}

/** Doorkeeper's error page: shown on the server, no redirect, so the app's callback is never hit. */
export function oauthErrorPage(e: OAuthError, serverTitle: string): Response {
  return html(
    page("An error has occurred", `<h1>An error has occurred</h1><p role="alert">${esc(e.message)}</p><p class="note">Error: <code>${e.code}</code> · ${esc(serverTitle)} (Mastodon sandbox) did not redirect back to the app.</p>`),
    e.status,
  );
}

/** What a Rails app behind nginx answers on 5xx: HTML, never JSON. */
export function serverErrorPage(status: number): Response {
  const title = status === 500 ? "We're sorry, but something went wrong (500)" : `${status} ${status === 502 ? "Bad Gateway" : status === 503 ? "Service Temporarily Unavailable" : status === 504 ? "Gateway Time-out" : "Error"}`;
  return html(`<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>`, status);
}
