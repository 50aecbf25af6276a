import { NextResponse, type NextRequest } from "next/server";

/**
 * Coarse gate only: no session cookie → the sign-in page. Pages and routes re-check auth() and
 * roles themselves, so a forged cookie gets no further than this.
 */
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name) || request.cookies.has(`${name}.0`));
  if (hasSession) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/dashboard/:path*", "/settings/:path*", "/ops/:path*"] };
