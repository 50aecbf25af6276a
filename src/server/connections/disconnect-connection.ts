import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { graphClientFromEnv, type GraphClient } from "@/server/integrations/facebook/client";
import { logger } from "@/server/logger";
import { readTokens } from "@/server/vault/read-tokens";
import { getOwnedConnectionOrThrow } from "./get-owned-connection-or-throw";

/**
 * Disconnects a Facebook connection: best-effort `DELETE /me/permissions` at Meta (the app is
 * removed from the user's Facebook account), then our tokens, connection and ad accounts are
 * deleted whatever Meta answered — the user asked for us to forget them. `revoked` tells the UI
 * whether Meta confirmed.
 */
export async function disconnectConnection(
  db: Db,
  input: { userId: string; connectionId: string },
  deps: { graph?: GraphClient } = {},
): Promise<{ disconnected: true; revoked: boolean }> {
  const connection = await getOwnedConnectionOrThrow(db, input.userId, input.connectionId);

  let revoked = false;
  const read = await readTokens(() => db.account.findUnique({ where: { id: connection.accountId }, select: { id: true, access_token: true } }));
  const token = read.ok ? read.value?.access_token : null;
  if (token) {
    try {
      revoked = await (deps.graph ?? graphClientFromEnv()).revokePermissions(token);
    } catch (error) {
      logger.warn({ connectionId: connection.id, error: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, "revoking at Meta failed; disconnecting locally");
    }
  }

  await db.$transaction(async (tx) => {
    // deleteMany: returns no rows, so an undecryptable token is never opened. Cascades to the
    // connection and its ad accounts.
    await tx.account.deleteMany({ where: { id: connection.accountId, userId: input.userId } });
    await recordAuditEvent(tx, { actorId: input.userId, userId: input.userId, action: "disconnected", connectionId: connection.id, detail: { revoked } });
  });
  return { disconnected: true, revoked };
}
