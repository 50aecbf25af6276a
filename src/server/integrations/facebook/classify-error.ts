import "server-only";
import type { ClassifiedError } from "@/server/integrations/types";
import { classifyMetaError, MetaApiError, MetaThrottleError, scrubSecrets } from "./errors";

/**
 * What a Meta error means for the connection that made the call (reference §2.6, §6.2), as one of
 * the shared verdicts. Only answers that say the token or a permission is gone change a
 * connection: throttles, 5xx and timeouts are "retry later", our own request mistakes "bad
 * request" — flipping a healthy connection on a transient failure makes users re-link for nothing.
 */

// Someone ended it early: app removed, password changed, logged out, killed by API, Page role lost.
// Everything else (natural expiry 463, data access lapsed 493, 102, checkpoints, no subcode) needs
// a new login too, without anyone having revoked anything.
const REVOKED_SUBCODES = new Set([458, 460, 466, 467, 492]);

export function metaErrorCode(code: number, subcode?: number | null): string {
  return subcode === undefined || subcode === null ? String(code) : `${code}/${subcode}`;
}

/** A Meta error body (top level, batch item, or nested in debug_token) → verdict. */
export function verdictForMetaError(e: { code: number; subcode?: number | null; message: string; httpStatus?: number; retryAfterSeconds?: number }): ClassifiedError {
  const subcode = e.subcode ?? null;
  const kind = classifyMetaError({ code: e.code, subcode: subcode ?? undefined, httpStatus: e.httpStatus });
  const base = { code: metaErrorCode(e.code, subcode), message: scrubSecrets(e.message).slice(0, 500) };
  switch (kind) {
    case "token":
      return { ...base, verdict: "needs_relink", state: subcode !== null && REVOKED_SUBCODES.has(subcode) ? "revoked" : "needs_relink" };
    case "permission":
      // 100/33 is one object gone or hidden, not the connection's permissions.
      return e.code === 100 && subcode === 33 ? { ...base, verdict: "bad_request" } : { ...base, verdict: "permissions_missing" };
    case "throttle":
      return { ...base, verdict: "retry_later", retryAfterSeconds: e.retryAfterSeconds };
    case "transient":
      return { ...base, verdict: "retry_later" };
    default:
      return { ...base, verdict: "bad_request" };
  }
}

/** Any error thrown by a Graph call → verdict. Errors that never reached Meta's answer are our bugs: bad request. */
export function classifyFacebookError(error: unknown): ClassifiedError {
  if (error instanceof MetaApiError) {
    if (error.metaCode === undefined) {
      // Network failure, timeout, a non-Graph answer: the class already says transient or not.
      const transient = error.name === "MetaTransientError" || error instanceof MetaThrottleError;
      return { verdict: transient ? "retry_later" : "bad_request", code: error.httpStatus ? `http_${error.httpStatus}` : null, message: scrubSecrets(error.message).slice(0, 500) };
    }
    return verdictForMetaError({
      code: error.metaCode,
      subcode: error.metaSubcode,
      message: error.message,
      httpStatus: error.httpStatus,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  return { verdict: "bad_request", code: null, message: error instanceof Error ? scrubSecrets(error.message).slice(0, 500) : "Unexpected error." };
}
