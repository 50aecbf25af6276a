import { randomBytes } from "node:crypto";
import { json } from "../oauth2/respond";

/** TikTok's answers: OAuth errors with `log_id` (§2), the Display API envelope (§5, §6). */

/** "20231010101010ABCDEF0123456789": a UTC timestamp and 16 hex digits. */
export function logId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, "").slice(0, 14);
  return `${stamp}${randomBytes(8).toString("hex").toUpperCase()}`;
}

export function oauthError(now: number, status: number, error: string, description: string): Response {
  const id = logId(now);
  return json({ error, error_description: description, log_id: id }, status, { "x-tt-logid": id });
}

export function apiError(now: number, status: number, code: string, message: string): Response {
  const id = logId(now);
  return json({ data: {}, error: { code, message, log_id: id } }, status, { "x-tt-logid": id });
}

export const tokenInvalid = (now: number) => apiError(now, 401, "access_token_invalid", "The access token is invalid or not found in the request.");
export const scopeNotAuthorized = (now: number) =>
  apiError(now, 401, "scope_not_authorized", "The user did not authorize the scope required for completing this request.");
export const scopePermissionMissed = (now: number) =>
  apiError(now, 401, "scope_permission_missed", "The app does not have permission for the scope required for completing this request.");
export const invalidParams = (now: number, message: string) => apiError(now, 400, "invalid_params", message);
export const rateLimited = (now: number) => apiError(now, 429, "rate_limit_exceeded", "The API rate limit was exceeded. Please try again later.");
export const internalError = (now: number) => apiError(now, 500, "internal_error", "Something went wrong. Please try again later.");
