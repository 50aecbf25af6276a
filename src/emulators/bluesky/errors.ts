/** XRPC errors: always `{"error","message"}`, with the status mattering as much as the name. */

export const DEFAULT_ERROR: Record<number, { error: string; message: string }> = {
  400: { error: "InvalidRequest", message: "Invalid Request" },
  401: { error: "AuthenticationRequired", message: "Authentication Required" },
  403: { error: "Forbidden", message: "Forbidden" },
  404: { error: "XRPCNotSupported", message: "XRPC Not Supported" },
  413: { error: "PayloadTooLarge", message: "Payload Too Large" },
  429: { error: "RateLimitExceeded", message: "Rate Limit Exceeded" },
  500: { error: "InternalServerError", message: "Internal Server Error" },
  501: { error: "MethodNotImplemented", message: "Method Not Implemented" },
  502: { error: "UpstreamFailure", message: "Upstream Failure" },
  503: { error: "NotEnoughResources", message: "Not Enough Resources" },
  504: { error: "UpstreamTimeout", message: "Upstream Timeout" },
};

export function defaultError(status: number): { error: string; message: string } {
  return DEFAULT_ERROR[status] ?? (status >= 500 ? DEFAULT_ERROR[500]! : DEFAULT_ERROR[400]!);
}

export class XrpcError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;

  constructor(status: number, error?: string, message?: string, headers: Record<string, string> = {}) {
    const d = defaultError(status);
    super(message ?? d.message);
    this.status = status;
    this.error = error ?? d.error;
    this.headers = headers;
  }
}

export const invalidRequest = (message: string) => new XrpcError(400, "InvalidRequest", message);
export const invalidToken = (message = "Token could not be verified") => new XrpcError(400, "InvalidToken", message);
export const expiredToken = (message: string) => new XrpcError(400, "ExpiredToken", message);
export const badLogin = () => new XrpcError(401, "AuthenticationRequired", "Invalid identifier or password");

export const JSON_TYPE = "application/json; charset=utf-8";

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": JSON_TYPE, ...headers } });
}

export function errorResponse(e: XrpcError, headers: Record<string, string> = {}): Response {
  return jsonResponse({ error: e.error, message: e.message }, e.status, { ...headers, ...e.headers });
}
