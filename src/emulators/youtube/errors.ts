import { json } from "../oauth2/respond";

/** Google's answers: OAuth error objects (§2–§4) and the API error shape (§6). */

export const oauthError = (status: number, error: string, description: string) => json({ error, error_description: description }, status);

export const REFRESH_REFUSED = "Token has been expired or revoked.";

type ApiError = { status: number; message: string; reason: string; domain: string; state?: string; extra?: Record<string, unknown>; headers?: Record<string, string> };

export function apiError(e: ApiError): Response {
  return json(
    { error: { code: e.status, message: e.message, errors: [{ message: e.message, domain: e.domain, reason: e.reason }], ...(e.state ? { status: e.state } : {}), ...e.extra } },
    e.status,
    e.headers,
  );
}

export const authError = () =>
  apiError({
    status: 401,
    message: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
    reason: "authError",
    domain: "global",
    state: "UNAUTHENTICATED",
    headers: { "www-authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  });

export const authorizationRequired = () =>
  apiError({ status: 401, message: "The request uses the <code>mine</code> parameter but is not properly authorized.", reason: "authorizationRequired", domain: "youtube.parameter" });

export const insufficientPermissions = () =>
  apiError({
    status: 403,
    message: "Request had insufficient authentication scopes.",
    reason: "insufficientPermissions",
    domain: "global",
    state: "PERMISSION_DENIED",
    extra: {
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
          domain: "googleapis.com",
          metadata: { service: "youtube.googleapis.com", method: "youtube.api.v3.V3DataChannelService.List" },
        },
      ],
    },
  });

export const quotaExceeded = () =>
  apiError({
    status: 403,
    message: 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
    reason: "quotaExceeded",
    domain: "youtube.quota",
  });

export const rateLimitExceeded = (status: 403 | 429) =>
  apiError({ status, message: "Resource has been exhausted (e.g. check quota).", reason: "rateLimitExceeded", domain: "usageLimits", state: "RESOURCE_EXHAUSTED" });

export const backendError = () => apiError({ status: 503, message: "The service is currently unavailable.", reason: "backendError", domain: "global", state: "UNAVAILABLE" });

export const badRequest = (message: string, reason: string, domain: string) => apiError({ status: 400, message, reason, domain, state: "INVALID_ARGUMENT" });
