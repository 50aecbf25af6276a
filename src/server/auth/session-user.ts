import "server-only";
import { getToken } from "next-auth/jwt";
import { env } from "@/env";

/**
 * The signed-in user's id from the session cookie of a raw request. Used where `auth()` cannot
 * run: inside Auth.js's own callbacks, and in the wrapper around its route handlers.
 */
export async function sessionUserIdFromRequest(request: Request): Promise<string | null> {
  const { authSecret, authUrl } = env();
  const token = await getToken({ req: request, secret: authSecret, secureCookie: authUrl.startsWith("https://") });
  return typeof token?.sub === "string" ? token.sub : null;
}
