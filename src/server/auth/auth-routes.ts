import type { NextRequest } from "next/server";
import { env } from "@/env";
import { withAuthErrorContext } from "./auth-error-context";
import type { LinkErrorReason } from "./link-errors";
import { sessionUserIdFromRequest } from "./session-user";

type Handler = (request: NextRequest) => Promise<Response>;

const SETTINGS = "/settings/connections";

// Auth.js error types seen on the Facebook callback → what the settings page tells the user.
const CALLBACK_ERRORS: Record<string, LinkErrorReason> = {
  InvalidCheck: "state_mismatch",
  OAuthAccountNotLinked: "identity_in_use",
  AccountNotLinked: "identity_in_use",
  CallbackRouteError: "token_exchange_failed",
  OAuthCallbackError: "token_exchange_failed",
};

function redirect(path: string, from?: Response): Response {
  const headers = new Headers({ location: new URL(path, env().authUrl).toString() });
  // Keep the cookies Auth.js set or cleared (state, callback URL).
  for (const cookie of from?.headers.getSetCookie() ?? []) headers.append("set-cookie", cookie);
  return new Response(null, { status: 302, headers });
}

/**
 * Wraps Auth.js's route handlers so every Facebook outcome lands on our own pages with a
 * plain-language message, never Auth.js's generic error page or a 500:
 * - starting a Facebook link while signed out is refused before anyone talks to Meta;
 * - a cancelled or denied dialog goes back to settings (nothing is stored);
 * - a failed callback (state mismatch, code exchange, identity elsewhere) goes back to settings.
 */
export function withFacebookLinkRoutes(handlers: { GET: Handler; POST: Handler }) {
  const guard = (handler: Handler): Handler => async (request) => {
    const { pathname, searchParams } = request.nextUrl;
    if (pathname.endsWith("/signin/facebook") && !(await sessionUserIdFromRequest(request))) {
      return redirect("/login?error=link_requires_session");
    }
    if (!pathname.endsWith("/callback/facebook")) return handler(request);

    const dialogError = searchParams.get("error");
    if (dialogError) {
      const cancelled = dialogError === "access_denied" && searchParams.get("error_reason") === "user_denied";
      return redirect(`${SETTINGS}?error=${cancelled ? "cancelled" : "access_denied"}`);
    }
    const { result, errorType } = await withAuthErrorContext(() => handler(request));
    const location = result.headers.get("location") ?? "";
    if (errorType && /\/(auth\/error|login)\?error=/.test(location)) {
      return redirect(`${SETTINGS}?error=${CALLBACK_ERRORS[errorType] ?? "link_failed"}`, result);
    }
    return result;
  };
  return { GET: guard(handlers.GET), POST: guard(handlers.POST) };
}
