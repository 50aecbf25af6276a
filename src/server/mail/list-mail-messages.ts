import "server-only";
import type { Db } from "@/server/db";
import { MAIL_STATUSES, type MailStatus } from "./schema";

/**
 * Mail for ops: counts per status since a time, and the messages themselves, newest first — the
 * failed ones with their last error. Never the props (they may hold personal data) and never a
 * link: neither is needed to see what went wrong.
 */
export type MailMessageView = {
  id: string;
  to: string;
  userId: string | null;
  template: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  providerMessageId: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  failedAt: Date | null;
};

export async function listMailMessages(db: Db, o: { status?: MailStatus; userId?: string; limit?: number; before?: Date } = {}): Promise<MailMessageView[]> {
  const rows = await db.mailMessage.findMany({
    where: { status: o.status, userId: o.userId, ...(o.before ? { createdAt: { lt: o.before } } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(o.limit ?? 50, 1), 500),
  });
  return rows.map((r) => ({
    id: r.id,
    to: r.toAddress,
    userId: r.userId,
    template: r.template,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.lastError,
    providerMessageId: r.providerMessageId,
    createdAt: r.createdAt,
    lastAttemptAt: r.lastAttemptAt,
    sentAt: r.sentAt,
    failedAt: r.failedAt,
  }));
}

/** How many messages created since `since` are in each status. */
export async function countMailMessages(db: Db, o: { since: Date }): Promise<Record<MailStatus, number>> {
  const groups = await db.mailMessage.groupBy({ by: ["status"], where: { createdAt: { gte: o.since } }, _count: { _all: true } });
  const counts = Object.fromEntries(MAIL_STATUSES.map((s) => [s, 0])) as Record<MailStatus, number>;
  for (const g of groups) counts[g.status] = g._count._all;
  return counts;
}
