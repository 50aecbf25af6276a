import "server-only";
import { AppError } from "@/server/errors";
import type { GraphErrorBody } from "./schema";

/**
 * Meta errors as typed errors. Meta's HTTP status is not a reliable signal (throttles and expired
 * tokens both arrive as 400), so the decision is made from `code` / `error_subcode` in one table
 * below (docs: shared/reference/meta-graph-api.md §6). Every class is an AppError with code
 * PROVIDER_ERROR; messages are ours or Meta's with token-like strings scrubbed.
 */

export type MetaErrorInit = {
  message: string;
  hint?: string;
  metaCode?: number;
  metaSubcode?: number;
  fbtraceId?: string;
  httpStatus?: number;
  retryAfterSeconds?: number;
  cause?: unknown;
};

export class MetaApiError extends AppError {
  readonly metaCode?: number;
  readonly metaSubcode?: number;
  readonly fbtraceId?: string;
  readonly httpStatus?: number;

  constructor(init: MetaErrorInit) {
    super({ code: "PROVIDER_ERROR", message: init.message, hint: init.hint, retryAfterSeconds: init.retryAfterSeconds, cause: init.cause });
    this.name = "MetaApiError";
    this.metaCode = init.metaCode;
    this.metaSubcode = init.metaSubcode;
    this.fbtraceId = init.fbtraceId;
    this.httpStatus = init.httpStatus;
  }
}

export type MetaTokenReason =
  | "expired"
  | "password_changed"
  | "app_removed"
  | "logged_out"
  | "invalidated"
  | "checkpoint"
  | "data_access_expired"
  | "invalid";

/** The token is dead: only a new Facebook login fixes it. */
export class MetaTokenError extends MetaApiError {
  readonly reason: MetaTokenReason;
  constructor(init: MetaErrorInit & { reason: MetaTokenReason }) {
    super(init);
    this.name = "MetaTokenError";
    this.reason = init.reason;
  }
}

/** A permission is missing, or the object is not visible to this user (100/33). */
export class MetaPermissionError extends MetaApiError {
  constructor(init: MetaErrorInit) {
    super(init);
    this.name = "MetaPermissionError";
  }
}

/** A rate limit; `retryAfterSeconds` says when to try again. */
export class MetaThrottleError extends MetaApiError {
  declare readonly retryAfterSeconds: number;
  constructor(init: MetaErrorInit & { retryAfterSeconds: number }) {
    super(init);
    this.name = "MetaThrottleError";
  }
}

/** Meta is unavailable or slow right now: retrying later may succeed. */
export class MetaTransientError extends MetaApiError {
  constructor(init: MetaErrorInit) {
    super(init);
    this.name = "MetaTransientError";
  }
}

/** Anything else: our request was wrong (bad parameter, unknown field, bad app secret…). */
export class MetaRequestError extends MetaApiError {
  constructor(init: MetaErrorInit) {
    super(init);
    this.name = "MetaRequestError";
  }
}

/** Used when a throttle answer carries no estimate. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

const TOKEN_SUBCODES: Record<number, MetaTokenReason> = {
  463: "expired",
  460: "password_changed",
  458: "app_removed",
  467: "logged_out",
  466: "invalidated",
  459: "checkpoint",
  // Unconfirmed account: like a checkpoint, the user must act on facebook.com.
  464: "checkpoint",
  // Page token whose user lost the Page role.
  492: "invalidated",
  493: "data_access_expired",
};

const TOKEN_CODES = new Set([190, 102]);
const THROTTLE_CODES = new Set([4, 17, 32, 341, 613]);
const isBucThrottle = (code: number) => code >= 80000 && code <= 80014;
const isPermission = (code: number, subcode?: number) => code === 10 || (code >= 200 && code <= 299) || (code === 100 && subcode === 33);

export type MetaErrorKind = "token" | "permission" | "throttle" | "transient" | "request";

/** THE mapping table: which kind of error a Meta code/subcode is. */
export function classifyMetaError(e: { code: number; subcode?: number; isTransient?: boolean; httpStatus?: number }): MetaErrorKind {
  if (TOKEN_CODES.has(e.code)) return "token";
  if (THROTTLE_CODES.has(e.code) || isBucThrottle(e.code)) return "throttle";
  if (isPermission(e.code, e.subcode)) return "permission";
  if (e.code === 2 || e.isTransient === true) return "transient";
  // Code 1 is "unknown/try again" when Meta says 5xx; as a 4xx it is a request problem (bad secret, PKCE).
  if (e.code === 1) return e.httpStatus !== undefined && e.httpStatus < 500 ? "request" : "transient";
  if (e.httpStatus !== undefined && e.httpStatus >= 500) return "transient";
  return "request";
}

export function tokenReason(subcode: number | undefined): MetaTokenReason {
  return (subcode !== undefined && TOKEN_SUBCODES[subcode]) || "invalid";
}

/** Long opaque strings (tokens, proofs) never reach a message or a log. */
export function scrubSecrets(text: string): string {
  return text.replace(/[A-Za-z0-9_\-|.]{40,}/g, "[redacted]");
}

const MESSAGES: Record<MetaErrorKind, { message: string; hint?: string }> = {
  token: { message: "Facebook no longer accepts this connection's access.", hint: "Reconnect Facebook to continue." },
  permission: { message: "Facebook refused: a permission is missing.", hint: "Reconnect Facebook and allow every requested permission." },
  throttle: { message: "Facebook is rate-limiting requests right now.", hint: "Wait a few minutes, then try again." },
  transient: { message: "Facebook is temporarily unavailable.", hint: "Try again in a moment." },
  request: { message: "Facebook rejected the request." },
};

type ErrorContext = { httpStatus?: number; retryAfterSeconds?: number; cause?: unknown };

/** A Graph error body (top-level or nested in debug_token) → our typed error. */
export function toMetaError(body: GraphErrorBody, ctx: ErrorContext = {}): MetaApiError {
  const kind = classifyMetaError({ code: body.code, subcode: body.error_subcode, isTransient: body.is_transient, httpStatus: ctx.httpStatus });
  const base = MESSAGES[kind];
  const init: MetaErrorInit = {
    message: `${base.message} (Meta error ${body.code}${body.error_subcode !== undefined ? `/${body.error_subcode}` : ""}: ${scrubSecrets(body.message)})`,
    hint: base.hint,
    metaCode: body.code,
    metaSubcode: body.error_subcode,
    fbtraceId: body.fbtrace_id,
    httpStatus: ctx.httpStatus,
    cause: ctx.cause,
  };
  switch (kind) {
    case "token":
      return new MetaTokenError({ ...init, reason: tokenReason(body.error_subcode) });
    case "permission":
      return new MetaPermissionError(init);
    case "throttle":
      return new MetaThrottleError({ ...init, retryAfterSeconds: ctx.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS });
    case "transient":
      return new MetaTransientError(init);
    default:
      return new MetaRequestError(init);
  }
}

/** A fetch that never produced a Graph answer: network failure or our timeout. */
export function networkError(error: unknown): MetaTransientError {
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  return new MetaTransientError({
    message: timedOut ? "Facebook did not answer in time." : "Could not reach Facebook.",
    hint: "Try again in a moment.",
    cause: error instanceof Error ? new Error(`${error.name}: ${scrubSecrets(error.message)}`) : undefined,
  });
}

/** An HTTP answer that is not a Graph JSON envelope (proxy error page, truncated body…). */
export function unexpectedResponse(httpStatus: number, what: string): MetaApiError {
  const init = { message: `Facebook sent an unexpected answer (${what}, HTTP ${httpStatus}).`, httpStatus };
  return httpStatus >= 500 ? new MetaTransientError({ ...init, hint: "Try again in a moment." }) : new MetaRequestError(init);
}
