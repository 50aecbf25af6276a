import { createHash, randomBytes } from "node:crypto";
import "server-only";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { FACEBOOK } from "../identity";

/**
 * Meta's data deletion callback: remove everything we hold from this person's Facebook account —
 * tokens (the Facebook `Account` rows), connections, ad accounts and what hangs off them — in one
 * transaction, and nothing of anyone else. The request is recorded under a random confirmation
 * code with only a hash of the app-scoped id, so the record keeps none of the deleted data.
 * The audit events (who, when, which connection id) stay: they hold no Meta data.
 */
export type DataDeletionResult = { url: string; confirmation_code: string };

export function hashMetaUserId(metaUserId: string): string {
  return createHash("sha256").update(`meta-user:${metaUserId}`).digest("hex");
}

export const CONFIRMATION_CODE = /^[a-f0-9]{24}$/;

export async function deleteMetaUserData(db: Db, input: { metaUserId: string; now: Date; baseUrl: string }): Promise<DataDeletionResult> {
  const code = randomBytes(12).toString("hex");
  await db.$transaction(async (tx) => {
    const accounts = await tx.account.findMany({ where: { provider: FACEBOOK.id, providerAccountId: input.metaUserId }, select: { id: true } });
    const accountIds = accounts.map((a) => a.id);
    const connections = await tx.connection.findMany({
      where: { OR: [{ provider: FACEBOOK.id, externalId: input.metaUserId }, { accountId: { in: accountIds } }] },
      select: { id: true, userId: true },
    });
    const connectionIds = connections.map((c) => c.id);
    const adAccounts = await tx.metaAdAccount.deleteMany({ where: { connectionId: { in: connectionIds } } });
    await tx.connection.deleteMany({ where: { id: { in: connectionIds } } });
    const tokens = await tx.account.deleteMany({ where: { id: { in: accountIds } } });
    for (const c of connections) {
      await recordAuditEvent(tx, { actorId: null, userId: c.userId, action: "data_deleted", connectionId: c.id, detail: { source: "meta_callback", confirmationCode: code } });
    }
    await tx.metaDataDeletionRequest.create({
      data: {
        confirmationCode: code,
        metaUserIdHash: hashMetaUserId(input.metaUserId),
        status: "completed",
        connectionsDeleted: connections.length,
        adAccountsDeleted: adAccounts.count,
        tokensDeleted: tokens.count,
        requestedAt: input.now,
        completedAt: input.now,
      },
      select: { id: true },
    });
  });
  return { url: `${input.baseUrl}/meta/data-deletion/${code}`, confirmation_code: code };
}

export type DataDeletionStatus = {
  confirmationCode: string;
  status: string;
  requestedAt: Date;
  completedAt: Date | null;
  connectionsDeleted: number;
  adAccountsDeleted: number;
  tokensDeleted: number;
};

export async function getDataDeletionRequest(db: Db, code: string): Promise<DataDeletionStatus | null> {
  if (!CONFIRMATION_CODE.test(code)) return null;
  return db.metaDataDeletionRequest.findUnique({
    where: { confirmationCode: code },
    select: { confirmationCode: true, status: true, requestedAt: true, completedAt: true, connectionsDeleted: true, adAccountsDeleted: true, tokensDeleted: true },
  });
}
