import "server-only";
import type { NextRequest } from "next/server";
import { env } from "@/env";
import { oauthProviders } from "@/server/integrations/registry";
import { withAuthErrorContext } from "./auth-error-context";
import type { LinkErrorReason } from "./link-errors";
import { sessionUserIdFromRequest } from "./session-user";

type Handler = (request: NextRequest) => Promise<Response>;

export const SETTINGS = "/settings/connections";

/** Where a failed link lands: the settings page, naming the reason and the provider. */
export function settingsErrorPath(reason: LinkErrorReason, provider: string): string {
  return `${SETTINGS}?error=${reason}&provider=${encodeURIComponent(provider)}`;
}

// Auth.js error types seen on a provider's callback → what the settings page tells the user.
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

/** `/api/auth/signin/<id>` or `/api/auth/callback/<id>` of a registered OAuth provider. */
function providerRoute(pathname: string): { step: "signin" | "callback"; provider: string } | null {
  const match = /\/(signin|callback)\/([a-z0-9-]+)$/.exec(pathname);
  if (!match) return null;
  const provider = match[2]!;
  if (!oauthProviders().some((a) => a.id === provider)) return null;
  return { step: match[1] as "signin" | "callback", provider };
}

/**
 * Wraps Auth.js's route handlers so every link outcome, for every OAuth provider in the registry,
 * lands on our own pages with a plain-language message, never Auth.js's generic error page or a 500:
 * - starting a link while signed out is refused before anyone talks to the platform;
 * - a cancelled or denied dialog goes back to settings (nothing is stored);
 * - a failed callback (state mismatch, code exchange, identity elsewhere) goes back to settings.
 */
export function withLinkRoutes(handlers: { GET: Handler; POST: Handler }) {
  const guard = (handler: Handler): Handler => async (request) => {
    const { pathname, searchParams } = request.nextUrl;
    const route = providerRoute(pathname);
    if (!route) return handler(request);
    if (route.step === "signin") {
      if (!(await sessionUserIdFromRequest(request))) return redirect(`/login?error=link_requires_session&provider=${route.provider}`);
      return handler(request);
    }

    const dialogError = searchParams.get("error");
    if (dialogError) {
      const cancelled = dialogError === "access_denied" && searchParams.get("error_reason") === "user_denied";
      return redirect(settingsErrorPath(cancelled ? "cancelled" : "access_denied", route.provider));
    }
    const { result, errorType } = await withAuthErrorContext(() => handler(request));
    const location = result.headers.get("location") ?? "";
    if (errorType && /\/(auth\/error|login)\?error=/.test(location)) {
      return redirect(settingsErrorPath(CALLBACK_ERRORS[errorType] ?? "link_failed", route.provider), result);
    }
    return result;
  };
  return { GET: guard(handlers.GET), POST: guard(handlers.POST) };
}
