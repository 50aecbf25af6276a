import "server-only";
import { AppError, type ErrorCode } from "@/server/errors";
import type { ProviderAdapter } from "@/server/integrations/types";

/**
 * Why linking a provider failed, as a short slug for `/settings/connections?error=<reason>&provider=<id>`,
 * with the plain-language message and hint the page shows (`{p}` is the provider's name). Every
 * failure leaves the previous state whole, which the hints say so the user knows retrying is safe.
 */
export const LINK_ERRORS = {
  token_exchange_failed: { code: "PROVIDER_ERROR", message: "{p} did not confirm the sign-in.", hint: "Link {p} again. Nothing was changed." },
  provider_unavailable: { code: "PROVIDER_ERROR", message: "{p} is not responding right now.", hint: "Try again in a few minutes. Nothing was changed." },
  throttled: { code: "RATE_LIMITED", message: "{p} is limiting requests for this account right now.", hint: "Wait a few minutes, then link again. Nothing was changed." },
  token_invalid: {
    code: "PROVIDER_ERROR",
    message: "{p} did not accept the sign-in.",
    hint: "Link {p} again. If it keeps failing, sign in on {p}'s own site first to clear any security check.",
  },
  permission_denied: { code: "PROVIDER_ERROR", message: "{p} refused to share what Linkboard asked for.", hint: "Link again and allow every permission Linkboard asks for." },
  identity_in_use: {
    code: "CONFLICT",
    message: "This {p} account is already linked to another Linkboard user.",
    hint: "Sign in as that user to manage it, or disconnect it there first.",
  },
  link_failed: { code: "INTERNAL_ERROR", message: "Linking {p} failed.", hint: "Try again. Nothing was changed." },
} as const satisfies Record<string, { code: ErrorCode; message: string; hint: string }>;

export type LinkStepReason = keyof typeof LINK_ERRORS;

export const fillProvider = (text: string, providerName: string) => text.replaceAll("{p}", providerName);

export class LinkError extends AppError {
  readonly reason: LinkStepReason;
  constructor(reason: LinkStepReason, opts: { cause?: unknown; retryAfterSeconds?: number; providerName?: string } = {}) {
    const spec = LINK_ERRORS[reason];
    const p = opts.providerName ?? "The provider";
    super({ code: spec.code, message: fillProvider(spec.message, p), hint: fillProvider(spec.hint, p), cause: opts.cause, retryAfterSeconds: opts.retryAfterSeconds });
    this.name = "LinkError";
    this.reason = reason;
  }
}

/** Any failure during a link → the LinkError the user sees, through the adapter's own verdict. `exchange` marks the token-exchange step. */
export function toLinkError(adapter: Pick<ProviderAdapter, "name" | "classifyError">, error: unknown, step: "exchange" | "read"): LinkError {
  if (error instanceof LinkError) return error;
  const opts = { cause: error, providerName: adapter.name };
  const verdict = adapter.classifyError(error);
  if (verdict.verdict === "retry_later") {
    return verdict.retryAfterSeconds !== undefined
      ? new LinkError("throttled", { ...opts, retryAfterSeconds: verdict.retryAfterSeconds })
      : new LinkError("provider_unavailable", opts);
  }
  if (step === "exchange" && error instanceof AppError && error.code === "PROVIDER_ERROR") return new LinkError("token_exchange_failed", opts);
  if (verdict.verdict === "needs_relink" || verdict.verdict === "refresh") return new LinkError("token_invalid", opts);
  if (verdict.verdict === "permissions_missing") return new LinkError("permission_denied", opts);
  return new LinkError("link_failed", opts);
}
