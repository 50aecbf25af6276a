import "server-only";
import { env } from "@/env";
import type { Db } from "@/server/db";
import { logger } from "@/server/logger";
import { configuredTransport } from "./configured-transport";
import { resolveMailLinks } from "./mail-links";
import { findMailTemplate } from "./mail-templates";
import { MailDeliveryError, type MailTransport, type OutgoingMail } from "./mail-transport";
import { renderMail } from "./render-mail";

/**
 * One delivery attempt of a recorded message (the send-mail job's work). The message is claimed
 * (queued → sending, attempts + 1) before it is handed to the mail server and recorded after
 * (sent, or back to queued for a retry, or failed), so a retried job never hands over a message
 * twice once it was accepted (docs/decisions/029-mail-delivery.md):
 *   - sent or failed already → nothing to do;
 *   - still "sending" → an earlier attempt died between handing it over and recording the answer
 *     (a crash, a killed worker): the server may have accepted it, so it is marked failed with
 *     that reason, for ops, and never sent again (at most once);
 *   - the connection was lost after the whole message went out (no answer) → the same.
 */
export type DeliverOptions = {
  attempt: number;
  /** No retry follows this attempt: a temporary failure is final. */
  lastAttempt: boolean;
  signal: AbortSignal;
  now: () => Date;
  /** Default: the configured one (SMTP, or the development outbox). */
  transport?: MailTransport;
};

export type DeliveryReport =
  | { status: "sent"; providerMessageId: string }
  | { status: "failed"; failure: "temporary" | "permanent" | "unknown" | "render"; error: string }
  | { status: "skipped"; reason: "missing" | "sent" | "failed" | "in_progress" };

export const INTERRUPTED =
  "Delivery was interrupted before the mail server's answer was recorded; the message may have been delivered, so it is not sent again.";

export async function deliverMail(db: Db, messageId: string, o: DeliverOptions): Promise<DeliveryReport> {
  if (o.signal.aborted) throw new Error("The worker is stopping; the mail goes out on the next attempt.");
  const claimed = await db.mailMessage.updateMany({
    where: { id: messageId, status: "queued" },
    data: { status: "sending", attempts: { increment: 1 }, lastAttemptAt: o.now() },
  });
  if (claimed.count === 0) return settleUnclaimed(db, messageId, o.now());

  let mail: OutgoingMail;
  try {
    mail = await prepare(db, messageId, o.now());
  } catch (error) {
    // A template that no longer exists or no longer accepts the stored props: retrying cannot help.
    return fail(db, messageId, { failure: "render", error: `The mail could not be rendered: ${messageOf(error)}` }, o.now());
  }

  let providerMessageId: string;
  try {
    ({ providerMessageId } = await (o.transport ?? configuredTransport(db)).deliver(mail));
  } catch (error) {
    const failure = error instanceof MailDeliveryError ? error : new MailDeliveryError("temporary", messageOf(error), { cause: error });
    if (failure.kind === "temporary" && !o.lastAttempt) {
      await db.mailMessage.updateMany({ where: { id: messageId, status: "sending" }, data: { status: "queued", lastError: failure.message } });
      throw failure; // the job is retried after its backoff
    }
    const text = failure.kind === "unknown" ? `${INTERRUPTED} (${failure.message})` : failure.message;
    return fail(db, messageId, { failure: failure.kind, error: text }, o.now());
  }
  await db.mailMessage.update({ where: { id: messageId }, data: { status: "sent", providerMessageId, sentAt: o.now(), lastError: null } });
  logger.info({ mail: { id: messageId, attempt: o.attempt } }, "mail sent");
  return { status: "sent", providerMessageId };
}

async function settleUnclaimed(db: Db, messageId: string, now: Date): Promise<DeliveryReport> {
  const row = await db.mailMessage.findUnique({ where: { id: messageId }, select: { status: true } });
  if (!row) return { status: "skipped", reason: "missing" };
  if (row.status === "sent" || row.status === "failed") return { status: "skipped", reason: row.status };
  if (row.status === "sending") {
    const failed = await db.mailMessage.updateMany({ where: { id: messageId, status: "sending" }, data: { status: "failed", failedAt: now, lastError: INTERRUPTED } });
    if (failed.count === 1) {
      logger.warn({ mail: { id: messageId } }, "mail delivery was interrupted; not sent again");
      return { status: "failed", failure: "unknown", error: INTERRUPTED };
    }
  }
  return { status: "skipped", reason: "in_progress" };
}

async function prepare(db: Db, messageId: string, now: Date): Promise<OutgoingMail> {
  const message = await db.mailMessage.findUniqueOrThrow({ where: { id: messageId } });
  const template = findMailTemplate(message.template);
  if (!template) throw new Error(`no template "${message.template}"`);
  const props = template.props.parse(message.props);
  const config = env();
  const links = await resolveMailLinks(db, template.links?.(props) ?? {}, {
    origin: config.authUrl,
    userId: message.userId,
    to: message.toAddress,
    now,
    secret: config.authSecret,
  });
  const { html, text } = await renderMail(template, props, links);
  return {
    id: message.id,
    from: config.mail.from,
    to: message.toAddress,
    subject: message.subject,
    html,
    text,
    messageIdHeader: `<${message.id}@${domainOf(config.mail.from)}>`,
    links,
  };
}

async function fail(db: Db, messageId: string, report: { failure: "temporary" | "permanent" | "unknown" | "render"; error: string }, now: Date): Promise<DeliveryReport> {
  const error = report.error.slice(0, 1_000);
  await db.mailMessage.update({ where: { id: messageId }, data: { status: "failed", failedAt: now, lastError: error } });
  logger.warn({ mail: { id: messageId, failure: report.failure }, err: error }, "mail failed");
  return { status: "failed", failure: report.failure, error };
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "localhost";
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
