import { json } from "../oauth2/respond";

/** X's answers: RFC 7807 problems for the API, OAuth error objects for the token endpoint (§2, §6). */

const PROBLEM = "application/problem+json";

export function problem(status: number, title: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}): Response {
  return json({ title, type: "about:blank", status, detail: title, ...extra }, status, { "content-type": PROBLEM, ...headers });
}

export const unauthorized = (headers?: Record<string, string>) => problem(401, "Unauthorized", headers);
export const forbidden = (headers?: Record<string, string>) => problem(403, "Forbidden", headers);
export const tooManyRequests = (headers?: Record<string, string>) =>
  json({ title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 }, 429, { "content-type": PROBLEM, ...headers });
export const serviceUnavailable = () => problem(503, "Service Unavailable");

export function invalidFields(param: string, bad: string[], allowed: string[]): Response {
  return json(
    {
      errors: [
        {
          parameters: { [param]: bad },
          message: `The \`${param}\` query parameter value [${bad.join(",")}] is not one of [${allowed.join(",")}]`,
        },
      ],
      title: "Invalid Request",
      detail: "One or more parameters to your request was invalid.",
      type: "https://api.twitter.com/2/problems/invalid-request",
    },
    400,
    { "content-type": PROBLEM },
  );
}

export const oauthError = (status: number, error: string, description: string) => json({ error, error_description: description }, status);

export const INVALID_CODE = "Value passed for the authorization code was invalid.";
export const INVALID_TOKEN = "Value passed for the token was invalid.";
export const unauthorizedClient = () => oauthError(401, "unauthorized_client", "Missing valid authorization header");
