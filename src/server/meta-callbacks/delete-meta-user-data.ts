import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import { recordAuditEvent, type DbTx } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { linkedBy } from "./linked-by";

/**
 * Meta's data deletion callback: remove everything we hold from this person's Facebook account —
 * tokens (the Facebook `Account` rows), connections, ad accounts and what hangs off them — in one
 * transaction, and nothing of anyone else. The request is recorded under a random confirmation
 * code with only a keyed hash of the app-scoped id (an HMAC: app-scoped ids are numbers one can
 * enumerate, so a plain hash would give them away), so the record keeps none of the deleted data.
 * The audit events (who, when, which connection id) stay: they hold no Meta data. A connection
 * linked again after the request was signed is a newer grant: it and its tokens stay.
 */
export type DataDeletionResult = { url: string; confirmation_code: string };

/** `hmac-sha256:<hex>` of the id, keyed with a key derived from `secret` (AUTH_SECRET) for this use only. */
export function hashMetaUserId(metaUserId: string, secret: string): string {
  const key = Buffer.from(hkdfSync("sha256", secret, "linkboard", "meta-user-id-hash", 32));
  return `hmac-sha256:${createHmac("sha256", key).update(`meta-user:${metaUserId}`).digest("hex")}`;
}

export const CONFIRMATION_CODE = /^[a-f0-9]{24}$/;

export async function deleteMetaUserData(tx: DbTx, input: { metaUserId: string; now: Date; issuedAt: Date; baseUrl: string; hashSecret: string }): Promise<DataDeletionResult> {
  const code = randomBytes(12).toString("hex");
  const accounts = await tx.account.findMany({ where: { provider: "facebook", providerAccountId: input.metaUserId }, select: { id: true } });
  const found = await tx.metaConnection.findMany({
    where: { OR: [{ metaUserId: input.metaUserId }, { accountId: { in: accounts.map((a) => a.id) } }] },
    select: { id: true, userId: true, accountId: true, linkedAt: true },
  });
  const { older: connections, newer } = linkedBy(found, input.issuedAt);
  const kept = new Set(newer.map((c) => c.accountId));
  const accountIds = accounts.map((a) => a.id).filter((id) => !kept.has(id));
  const connectionIds = connections.map((c) => c.id);
  const adAccounts = await tx.metaAdAccount.deleteMany({ where: { connectionId: { in: connectionIds } } });
  await tx.metaConnection.deleteMany({ where: { id: { in: connectionIds } } });
  const tokens = await tx.account.deleteMany({ where: { id: { in: accountIds } } });
  for (const c of connections) {
    await recordAuditEvent(tx, { actorId: null, userId: c.userId, action: "data_deleted", connectionId: c.id, detail: { source: "meta_callback", confirmationCode: code } });
  }
  await tx.metaDataDeletionRequest.create({
    data: {
      confirmationCode: code,
      metaUserIdHash: hashMetaUserId(input.metaUserId, input.hashSecret),
      status: "completed",
      connectionsDeleted: connections.length,
      adAccountsDeleted: adAccounts.count,
      tokensDeleted: tokens.count,
      requestedAt: input.now,
      completedAt: input.now,
    },
    select: { id: true },
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
