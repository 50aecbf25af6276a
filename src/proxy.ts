import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/env";
import { contentSecurityPolicy, securityHeaders } from "@/server/http/security-headers";

/**
 * Every request except Next's static files passes here:
 * - security headers on the response (src/server/http/security-headers.ts), with a fresh CSP nonce
 *   that Next reads from the request's own CSP header and puts on its scripts;
 * - a coarse gate only: no session cookie on a signed-in area → the sign-in page. Pages and routes
 *   re-check auth() and roles themselves, so a forged cookie gets no further than this.
 */
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];
const SIGNED_IN_AREAS = /^\/(dashboard|settings|ops)(\/|$)/;

export function proxy(request: NextRequest) {
  const config = env();
  const options = {
    nonce: Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64"),
    authUrl: config.authUrl,
    dialogOrigin: new URL(config.meta.webUrl).origin,
    development: config.nodeEnv === "development",
  };
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name) || request.cookies.has(`${name}.0`));
  let response: NextResponse;
  if (SIGNED_IN_AREAS.test(request.nextUrl.pathname) && !hasSession) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
    response = NextResponse.redirect(login);
  } else {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", contentSecurityPolicy(options));
    response = NextResponse.next({ request: { headers } });
  }
  for (const [name, value] of Object.entries(securityHeaders(options))) response.headers.set(name, value);
  return response;
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
