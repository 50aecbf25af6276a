import "server-only";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

/**
 * Ops asks the owner to reconnect a connection: the request is stored on the connection (the
 * owner's banner shows it while the connection still looks fine) and audited with who asked. The
 * owner's next successful link clears it. Asking again refreshes the time.
 */
export async function requestRelink(db: Db, input: { connectionId: string; actorId: string; now?: Date }) {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const connection = await tx.connection.findUnique({ where: { id: input.connectionId }, select: { id: true, userId: true, provider: true, state: true } });
    if (!connection) throw new AppError({ code: "NOT_FOUND", message: "This connection does not exist.", hint: "It may have been disconnected; reload the list." });
    await tx.connection.update({ where: { id: connection.id }, data: { relinkRequestedAt: now, relinkRequestedBy: input.actorId }, select: { id: true } });
    await recordAuditEvent(tx, {
      actorId: input.actorId,
      userId: connection.userId,
      action: "relink_requested",
      connectionId: connection.id,
      detail: { provider: connection.provider, state: connection.state },
    });
    return { connection: { id: connection.id, relinkRequestedAt: now.toISOString(), relinkRequestedBy: input.actorId } };
  });
}
