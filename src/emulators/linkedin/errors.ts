import { json } from "../oauth2/respond";

/** LinkedIn's answers: OAuth error objects on the web host, REST errors on the API host (§2–§6). */

export const oauthError = (status: number, error: string, description: string) => json({ error, error_description: description }, status);

export const INVALID_CODE =
  "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists";
export const INVALID_REFRESH = "The provided authorization grant or refresh token is invalid, expired or revoked.";
export const missingParam = (name: string) => oauthError(400, "invalid_request", `A required parameter "${name}" is missing`);
export const invalidClient = () => oauthError(401, "invalid_client", "Client authentication failed");

export function restError(status: number, serviceErrorCode: number, code: string, message: string): Response {
  return json({ status, serviceErrorCode, code, message }, status);
}

/** The documented sample for a call without any token has no `code`. */
export const emptyToken = () => json({ message: "Empty oauth2_access_token", serviceErrorCode: 401, status: 401 }, 401);
export const invalidToken = () => restError(401, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token");
export const revokedToken = () => restError(401, 65601, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user");
export const expiredToken = () => restError(401, 65602, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired");
export const accessDenied = (resource: string) => restError(403, 100, "ACCESS_DENIED", `Not enough permissions to access: ${resource}`);
export const throttled = () =>
  restError(429, 101, "TOO_MANY_REQUESTS", "Resource level throttle APPLICATION_AND_MEMBER DAY limit for calls to this resource is reached.");
export const internalError = () => restError(500, 0, "INTERNAL_SERVER_ERROR", "Internal Server Error");
