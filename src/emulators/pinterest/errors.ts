import { json } from "../oauth2/respond";

/** Pinterest's `{code, message}` errors (§2, §4, §6). */

export const pinterestError = (status: number, code: number, message: string) => json({ code, message }, status);

export const authFailed = () => pinterestError(401, 2, "Authentication failed.");
/** Undocumented for v5; the code Pinterest used for a bad grant in earlier versions. */
export const invalidGrant = () => pinterestError(400, 283, "The authorization grant is invalid");
export const notPermitted = () => pinterestError(403, 29, "You are not permitted to access that resource.");
export const notAuthorizedUserAccount = () => pinterestError(403, 403, "Not authorized to access the user account.");
export const rateLimited = () =>
  pinterestError(429, 8, "This request exceeded a rate limit. This can happen if the client exceeds one\nof the published rate limits within a short time window.");
export const maintenance = () => pinterestError(503, 1, "Pinterest is temporarily unavailable. Please try again later.");
