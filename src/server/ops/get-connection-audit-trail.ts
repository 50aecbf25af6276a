import "server-only";
import type { ConnectionStatus } from "@/lib/connection-status";
import { computeConnectionStatus, STATUS_SELECT } from "@/server/connections/connection-status";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

/**
 * A connection's history for ops: every audit event about it, oldest first, with the actor's
 * email. History outlives the connection (audit rows have no foreign keys), so a disconnected or
 * deleted connection still has a trail; only an id nobody ever wrote about is NOT_FOUND.
 */
export type AuditTrail = {
  connection: { id: string; provider: string; name: string; ownerEmail: string; status: ConnectionStatus; health: ConnectionStatus } | null;
  events: { id: string; action: string; at: string; actor: { id: string; email: string | null } | null; detail: unknown }[];
};

export async function getConnectionAuditTrail(db: Db, connectionId: string, o: { now: Date; expiringDays: number }): Promise<AuditTrail> {
  const [connection, events] = await Promise.all([
    db.connection.findUnique({
      where: { id: connectionId },
      select: { ...STATUS_SELECT, id: true, provider: true, name: true, user: { select: { email: true } } },
    }),
    db.auditEvent.findMany({ where: { connectionId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: 500 }),
  ]);
  if (!connection && events.length === 0) throw new AppError({ code: "NOT_FOUND", message: "No connection or history with this id." });
  const actorIds = [...new Set(events.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
  const actors = actorIds.length ? await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } }) : [];
  const emailOf = new Map(actors.map((a) => [a.id, a.email]));
  return {
    connection: connection
      ? (() => {
          const status = computeConnectionStatus(connection, o).status;
          return { id: connection.id, provider: connection.provider, name: connection.name, ownerEmail: connection.user.email, status, health: status };
        })()
      : null,
    events: events.map((e) => ({
      id: e.id,
      action: e.action,
      at: e.createdAt.toISOString(),
      actor: e.actorId ? { id: e.actorId, email: emailOf.get(e.actorId) ?? null } : null,
      detail: e.detail,
    })),
  };
}
