import { AppError, type ErrorCode } from "@/server/errors";
import {
  MetaApiError,
  MetaPermissionError,
  MetaThrottleError,
  MetaTokenError,
  MetaTransientError,
} from "@/server/integrations/facebook/errors";

/**
 * Why linking Facebook failed, as a short slug for `/settings/connections?error=<reason>`, with the
 * plain-language message and hint the page shows. Every failure leaves the previous state whole,
 * which the hints say so the user knows retrying is safe.
 */
export const LINK_ERRORS = {
  token_exchange_failed: {
    code: "PROVIDER_ERROR",
    message: "Facebook did not confirm the sign-in.",
    hint: "Link Facebook again. Nothing was changed.",
  },
  meta_unavailable: {
    code: "PROVIDER_ERROR",
    message: "Facebook is not responding right now.",
    hint: "Try again in a few minutes. Nothing was changed.",
  },
  throttled: {
    code: "RATE_LIMITED",
    message: "Facebook is limiting requests for this account right now.",
    hint: "Wait a few minutes, then link again. Nothing was changed.",
  },
  token_invalid: {
    code: "PROVIDER_ERROR",
    message: "Facebook did not accept the sign-in.",
    hint: "Link Facebook again. If it keeps failing, log in on facebook.com first to clear any security check.",
  },
  permission_denied: {
    code: "PROVIDER_ERROR",
    message: "Facebook refused to share your ad accounts.",
    hint: "Link again and allow every permission Linkboard asks for.",
  },
  identity_in_use: {
    code: "CONFLICT",
    message: "This Facebook account is already linked to another Linkboard user.",
    hint: "Sign in as that user to manage it, or disconnect it there first.",
  },
  link_failed: {
    code: "INTERNAL_ERROR",
    message: "Linking Facebook failed.",
    hint: "Try again. Nothing was changed.",
  },
} as const satisfies Record<string, { code: ErrorCode; message: string; hint: string }>;

export type LinkErrorReason = keyof typeof LINK_ERRORS;

export class LinkError extends AppError {
  readonly reason: LinkErrorReason;
  constructor(reason: LinkErrorReason, opts: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    const spec = LINK_ERRORS[reason];
    super({ code: spec.code, message: spec.message, hint: spec.hint, cause: opts.cause, retryAfterSeconds: opts.retryAfterSeconds });
    this.name = "LinkError";
    this.reason = reason;
  }
}

/** Any failure during a link → the LinkError the user sees. `exchange` marks the token-exchange step. */
export function toLinkError(error: unknown, step: "exchange" | "read"): LinkError {
  if (error instanceof LinkError) return error;
  if (error instanceof MetaThrottleError) return new LinkError("throttled", { cause: error, retryAfterSeconds: error.retryAfterSeconds });
  if (error instanceof MetaTransientError) return new LinkError("meta_unavailable", { cause: error });
  if (step === "exchange" && error instanceof MetaApiError) return new LinkError("token_exchange_failed", { cause: error });
  if (error instanceof MetaTokenError) return new LinkError("token_invalid", { cause: error });
  if (error instanceof MetaPermissionError) return new LinkError("permission_denied", { cause: error });
  return new LinkError("link_failed", { cause: error });
}
