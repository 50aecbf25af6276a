import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";

/**
 * Meta's deauthorize callback: the person removed Linkboard from their Facebook account. Every
 * connection of that app-scoped user becomes `revoked` and its tokens are deleted (not kept for
 * a later "maybe"); the connection row and ad accounts stay so the owner sees what happened and
 * can reconnect. Idempotent: Meta retries, and a second call changes nothing more.
 */
export type DeauthorizeResult = { connections: number };

export async function deauthorizeMetaUser(db: Db, input: { metaUserId: string; now: Date }): Promise<DeauthorizeResult> {
  return db.$transaction(async (tx) => {
    const connections = await tx.metaConnection.findMany({
      where: { metaUserId: input.metaUserId },
      select: { id: true, userId: true, status: true },
    });
    // Setting token columns to null needs no ciphertext: one statement, no token is ever read.
    await tx.account.updateMany({
      where: { provider: "facebook", providerAccountId: input.metaUserId },
      data: { access_token: null, refresh_token: null, id_token: null, expires_at: null },
    });
    const open = connections.filter((c) => c.status !== "revoked");
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
    return { connections: open.length };
  });
}
