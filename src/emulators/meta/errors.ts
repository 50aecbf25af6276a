import { randomBytes } from "node:crypto";

/** A Graph API failure; rendered as Meta's error envelope by `errorResponse`. */
export class GraphError extends Error {
  readonly code: number;
  readonly subcode?: number;
  readonly type: string;
  readonly status: number;
  readonly isTransient?: boolean;
  readonly userTitle?: string;
  readonly userMsg?: string;
  readonly errorData?: unknown;
  readonly extraHeaders?: Record<string, string>;

  constructor(o: {
    code: number;
    message: string;
    subcode?: number;
    type?: string;
    status?: number;
    isTransient?: boolean;
    userTitle?: string;
    userMsg?: string;
    errorData?: unknown;
    extraHeaders?: Record<string, string>;
  }) {
    super(o.message);
    this.code = o.code;
    this.subcode = o.subcode;
    this.type = o.type ?? "OAuthException";
    this.status = o.status ?? defaultStatus(o.code);
    this.isTransient = o.isTransient;
    this.userTitle = o.userTitle;
    this.userMsg = o.userMsg;
    this.errorData = o.errorData;
    this.extraHeaders = o.extraHeaders;
  }
}

/** Meta's HTTP statuses are not reliable signals, but these are the observed defaults (§6.1). */
export function defaultStatus(code: number): number {
  if (code === 1 || code === 2) return 500;
  if (code === 10 || (code >= 200 && code <= 299)) return 403;
  return 400;
}

export function fbtraceId(): string {
  return randomBytes(8).toString("base64").replace(/[^A-Za-z0-9]/g, "A").slice(0, 11);
}

export function errorBody(e: GraphError): { error: Record<string, unknown> } {
  const error: Record<string, unknown> = { message: e.message, type: e.type, code: e.code };
  if (e.subcode !== undefined) error.error_subcode = e.subcode;
  if (e.isTransient !== undefined) error.is_transient = e.isTransient;
  if (e.userTitle) error.error_user_title = e.userTitle;
  if (e.userMsg) error.error_user_msg = e.userMsg;
  if (e.errorData !== undefined) error.error_data = e.errorData;
  error.fbtrace_id = fbtraceId();
  return { error };
}

export const JSON_TYPE = "application/json; charset=UTF-8";

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": JSON_TYPE, "cache-control": "private, no-cache, no-store, must-revalidate", ...headers },
  });
}

export function errorResponse(e: GraphError, headers: Record<string, string> = {}): Response {
  return jsonResponse(errorBody(e), e.status, {
    "www-authenticate": `OAuth "Facebook Platform" "${e.code === 190 ? "invalid_token" : "invalid_request"}" "${e.message.replace(/"/g, "'")}"`,
    ...e.extraHeaders,
    ...headers,
  });
}

/** Canonical messages for the codes tests and fault injection use (§6.2, checklist 16). */
const CATALOG: Record<number, { message: string; isTransient?: boolean; type?: string }> = {
  1: { message: "An unknown error has occurred.", isTransient: true },
  2: { message: "An unexpected error has occurred. Please retry your request later.", isTransient: true },
  4: { message: "(#4) Application request limit reached", isTransient: true },
  10: { message: "(#10) Application does not have permission for this action" },
  17: { message: "(#17) User request limit reached", isTransient: true },
  32: { message: "(#32) Page request limit reached", isTransient: true },
  100: { message: "(#100) Invalid parameter" },
  190: { message: "Invalid OAuth access token - Cannot parse access token" },
  200: { message: "(#200) Permissions error" },
  341: { message: "(#341) Application limit reached", isTransient: true },
  368: { message: "(#368) The action attempted has been deemed abusive or is otherwise disallowed" },
  506: { message: "(#506) Duplicate status message" },
  613: { message: "(#613) Calls to this api have exceeded the rate limit.", isTransient: true },
  2500: { message: "An unknown error has occurred." },
  80000: {
    message:
      "(#80000) There have been too many calls from this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-insights.",
    isTransient: true,
  },
  80004: {
    message:
      "(#80004) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.",
    isTransient: true,
  },
};

const SUBCODE_MESSAGES: Record<string, { message: string; userTitle?: string; userMsg?: string; type?: string }> = {
  "100/33": {
    message:
      "Unsupported get request. Object with ID 'unknown' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
    type: "GraphMethodException",
  },
  "100/1487534": {
    message: "(#100) Please reduce the amount of data you're asking for, then retry your request",
    userTitle: "Too much data requested",
    userMsg: "The amount of data you requested is too large. Reduce the date range, the number of fields or breakdowns.",
  },
  "613/1487742": { message: "(#613) Calls to this api have exceeded the rate limit.", userTitle: "Too many calls", userMsg: "There have been too many calls from this ad-account. Please wait a bit and try again." },
  "368/1390008": { message: "(#368) The action attempted has been deemed abusive or is otherwise disallowed", userTitle: "You can't post right now", userMsg: "You're posting too fast. Slow down and try again later." },
};

/** Build an error for a code/subcode with Meta's usual wording; used by fault injection. */
export function catalogError(o: { code: number; subcode?: number; status?: number; message?: string; isTransient?: boolean }): GraphError {
  const bySub = o.subcode !== undefined ? SUBCODE_MESSAGES[`${o.code}/${o.subcode}`] : undefined;
  const base = CATALOG[o.code];
  return new GraphError({
    code: o.code,
    subcode: o.subcode,
    status: o.status,
    message: o.message ?? bySub?.message ?? base?.message ?? `(#${o.code}) An error occurred`,
    type: bySub?.type ?? base?.type,
    isTransient: o.isTransient ?? base?.isTransient,
    userTitle: bySub?.userTitle,
    userMsg: bySub?.userMsg,
  });
}

export function objectNotFound(id: string): GraphError {
  return new GraphError({
    code: 100,
    subcode: 33,
    type: "GraphMethodException",
    message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  });
}

export function unknownPath(rest: string): GraphError {
  return new GraphError({ code: 2500, message: `Unknown path components: ${rest}` });
}

export function nonexistingField(field: string, nodeType: string): GraphError {
  return new GraphError({ code: 100, message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})` });
}

export function missingParam(name: string): GraphError {
  return new GraphError({ code: 100, message: `(#100) The parameter ${name} is required` });
}

export function permissionError(message: string, code = 200): GraphError {
  return new GraphError({ code, message });
}
