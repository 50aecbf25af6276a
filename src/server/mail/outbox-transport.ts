import "server-only";
import type { Db } from "@/server/db";
import type { MailTransport } from "./mail-transport";

/**
 * Development only: "delivering" stores the mail for /dev/mail. One entry per message, so a retry
 * never adds a second one.
 */
export function createOutboxTransport(db: Db): MailTransport {
  return {
    kind: "outbox",
    async deliver(mail) {
      await db.mailOutboxEntry.createMany({
        data: [{ messageId: mail.id, fromAddress: mail.from, toAddress: mail.to, subject: mail.subject, html: mail.html, text: mail.text, links: mail.links }],
        skipDuplicates: true,
      });
      const entry = await db.mailOutboxEntry.findUniqueOrThrow({ where: { messageId: mail.id }, select: { id: true } });
      return { providerMessageId: `outbox:${entry.id}` };
    },
  };
}
