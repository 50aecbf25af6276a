import "server-only";
import { env } from "@/env";
import type { Db } from "@/server/db";
import type { MailTransport } from "./mail-transport";
import { createOutboxTransport } from "./outbox-transport";
import { createSmtpTransport } from "./smtp-transport";

/** The transport the configuration names: SMTP when SMTP_URL is set, else (never in production) the outbox. */
export function configuredTransport(db: Db): MailTransport {
  const { mail } = env();
  return mail.transport === "smtp" && mail.smtpUrl ? createSmtpTransport(mail.smtpUrl) : createOutboxTransport(db);
}
