import { recordAuditEvent, type DbTx } from "@/server/audit/record-audit-event";
import { linkedBy } from "./linked-by";

/**
 * Meta's deauthorize callback: the person removed Linkboard from their Facebook account. Every
 * connection of that app-scoped user becomes `revoked` and its tokens are deleted (not kept for
 * a later "maybe"); the connection row and ad accounts stay so the owner sees what happened and
 * can reconnect. Idempotent: Meta retries, and a second call changes nothing more. A connection
 * linked again after the request was signed is about a newer grant and is left alone.
 */
export type DeauthorizeResult = { connections: number; newerLinksKept: number };

export async function deauthorizeMetaUser(tx: DbTx, input: { metaUserId: string; now: Date; issuedAt: Date }): Promise<DeauthorizeResult> {
  const connections = await tx.metaConnection.findMany({
    where: { metaUserId: input.metaUserId },
    select: { id: true, userId: true, status: true, accountId: true, linkedAt: true },
  });
  const { older, newer } = linkedBy(connections, input.issuedAt);
  // Setting token columns to null needs no ciphertext: one statement, no token is ever read.
  await tx.account.updateMany({
    where: { provider: "facebook", providerAccountId: input.metaUserId, id: { notIn: newer.map((c) => c.accountId) } },
    data: { access_token: null, refresh_token: null, id_token: null, expires_at: null },
  });
  const open = older.filter((c) => c.status !== "revoked");
  if (open.length > 0) {
    await tx.metaConnection.updateMany({
      where: { id: { in: open.map((c) => c.id) } },
      data: {
        status: "revoked",
        lastCheckedAt: input.now,
        lastErrorCode: 190,
        lastErrorSubcode: 458,
        lastErrorMessage: "Linkboard was removed from this Facebook account.",
      },
    });
  }
  for (const c of open) {
    await recordAuditEvent(tx, { actorId: null, userId: c.userId, action: "deauthorized", connectionId: c.id, detail: { source: "meta_callback", from: c.status } });
  }
  return { connections: open.length, newerLinksKept: newer.length };
}
