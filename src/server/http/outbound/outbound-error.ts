import { AppError, type ErrorCode } from "@/server/errors";
import type { RefusalReason } from "./address-policy";

/**
 * Why an outbound call to a user-supplied host did not produce an answer. Refusals are the
 * user's input (400); the rest are the remote server's fault (502) and mostly transient.
 */
export type OutboundErrorCode =
  | "INVALID_URL"
  | "SCHEME_NOT_ALLOWED"
  | "HOST_NOT_ALLOWED"
  | "ADDRESS_NOT_ALLOWED"
  | "DNS_FAILED"
  | "CONNECT_TIMEOUT"
  | "TIMEOUT"
  | "CONNECTION_FAILED"
  | "TLS_FAILED"
  | "TOO_MANY_REDIRECTS"
  | "REDIRECT_NOT_ALLOWED"
  | "RESPONSE_TOO_LARGE"
  | "ABORTED";

const TEXT: Record<OutboundErrorCode, { message: string; hint: string; app: ErrorCode; transient: boolean }> = {
  INVALID_URL: { message: "That is not a valid server address.", hint: "Enter an address like mastodon.social.", app: "VALIDATION_ERROR", transient: false },
  SCHEME_NOT_ALLOWED: { message: "Only https:// server addresses are supported.", hint: "Use the server's https:// address.", app: "VALIDATION_ERROR", transient: false },
  HOST_NOT_ALLOWED: { message: "That server address is not a public internet address.", hint: "Enter your server's public address, like mastodon.social.", app: "VALIDATION_ERROR", transient: false },
  ADDRESS_NOT_ALLOWED: { message: "That server address points to a private or local network, which Linkboard does not contact.", hint: "Enter your server's public address, like mastodon.social.", app: "VALIDATION_ERROR", transient: false },
  DNS_FAILED: { message: "We could not find a server at that address.", hint: "Check the spelling of the address.", app: "VALIDATION_ERROR", transient: false },
  CONNECT_TIMEOUT: { message: "The server did not accept a connection in time.", hint: "Try again in a moment.", app: "PROVIDER_ERROR", transient: true },
  TIMEOUT: { message: "The server took too long to answer.", hint: "Try again in a moment.", app: "PROVIDER_ERROR", transient: true },
  CONNECTION_FAILED: { message: "We could not connect to the server.", hint: "Check the address, or try again in a moment.", app: "PROVIDER_ERROR", transient: true },
  TLS_FAILED: { message: "We could not open a secure connection to the server.", hint: "The server's HTTPS certificate may be invalid.", app: "PROVIDER_ERROR", transient: false },
  TOO_MANY_REDIRECTS: { message: "The server redirected us too many times.", hint: "Check the address, or ask the server's administrator.", app: "PROVIDER_ERROR", transient: false },
  REDIRECT_NOT_ALLOWED: { message: "The server answered with an unexpected redirect.", hint: "Check the address, or ask the server's administrator.", app: "PROVIDER_ERROR", transient: false },
  RESPONSE_TOO_LARGE: { message: "The server sent a larger answer than Linkboard accepts.", hint: "Check the address, or ask the server's administrator.", app: "PROVIDER_ERROR", transient: false },
  ABORTED: { message: "The request to the server was cancelled.", hint: "Try again.", app: "PROVIDER_ERROR", transient: true },
};

export class OutboundError extends AppError {
  readonly outboundCode: OutboundErrorCode;
  /** Worth retrying later (time-outs, connection failures); refusals never are. */
  readonly transient: boolean;
  /** For address refusals: which rule refused it (never shown to users). */
  readonly reason?: RefusalReason;

  constructor(code: OutboundErrorCode, opts: { reason?: RefusalReason; cause?: unknown } = {}) {
    const text = TEXT[code];
    super({ code: text.app, message: text.message, hint: text.hint, cause: opts.cause });
    this.name = "OutboundError";
    this.outboundCode = code;
    this.transient = text.transient;
    this.reason = opts.reason;
  }
}
