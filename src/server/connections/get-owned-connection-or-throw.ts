import "server-only";
import type { DbTx } from "@/server/audit/record-audit-event";
import { AppError } from "@/server/errors";

/**
 * THE ownership check for a connection: the caller's own connection, or NOT_FOUND — another user's
 * connection looks exactly like a missing one. Every route and action that names a connection goes
 * through here (and only here), so who may touch a connection is decided in one place.
 */
export type OwnedConnection = { id: string; userId: string; accountId: string; provider: string; externalId: string; state: string };

export async function getOwnedConnectionOrThrow(db: Pick<DbTx, "connection">, userId: string, connectionId: string): Promise<OwnedConnection> {
  const connection = await db.connection.findFirst({
    where: { id: connectionId, userId },
    select: { id: true, userId: true, accountId: true, provider: true, externalId: true, state: true },
  });
  if (!connection) throw new AppError({ code: "NOT_FOUND", message: "This connection does not exist.", hint: "Reload the page." });
  return connection;
}
