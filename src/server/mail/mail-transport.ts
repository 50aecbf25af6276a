import "server-only";
/** A rendered mail ready to hand over; `messageIdHeader` is the same on every attempt. */
export type OutgoingMail = {
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageIdHeader: string;
  /** The links in it, by name (the outbox shows them; SMTP sends only the parts). */
  links: Record<string, string>;
};

export type MailTransport = {
  kind: "smtp" | "outbox";
  /** Resolves with what the receiving side calls the message; throws a MailDeliveryError. */
  deliver(mail: OutgoingMail): Promise<{ providerMessageId: string }>;
};

/**
 * Why a delivery failed, which decides what happens next (docs/decisions/029-mail-delivery.md):
 * temporary → tried again later; permanent → failed now; unknown → the whole message was handed to
 * the server but no answer came back: it may have been accepted, so it is never handed over again.
 */
export type DeliveryFailure = "temporary" | "permanent" | "unknown";

export class MailDeliveryError extends Error {
  readonly kind: DeliveryFailure;
  constructor(kind: DeliveryFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MailDeliveryError";
    this.kind = kind;
  }
}
