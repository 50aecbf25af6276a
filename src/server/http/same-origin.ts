import "server-only";
import { env } from "@/env";
import { AppError } from "@/server/errors";

/**
 * Cookie-authenticated JSON mutations refuse cross-site requests. Browsers send Origin on every
 * cross-origin POST (and Sec-Fetch-Site); a request with neither is not from a browser page, so it
 * cannot ride on a victim's cookies.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  if (!origin) {
    if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") throw crossSite();
    return;
  }
  const allowed = new Set([new URL(env().authUrl).origin]);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (host) {
    const proto = request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "");
    allowed.add(`${proto}://${host}`);
  }
  if (!allowed.has(origin)) throw crossSite();
}

function crossSite() {
  return new AppError({
    code: "FORBIDDEN",
    message: "Cross-site requests are not allowed.",
    hint: "Send the request from the Linkboard app itself.",
  });
}
