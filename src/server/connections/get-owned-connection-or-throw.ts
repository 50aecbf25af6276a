import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";

/** The user's own connection, or NOT_FOUND — another user's connection looks exactly like a missing one. */
export async function getOwnedConnectionOrThrow(db: Db, userId: string, connectionId: string) {
  const connection = await db.metaConnection.findFirst({ where: { id: connectionId, userId }, select: { id: true, accountId: true, status: true } });
  if (!connection) throw new AppError({ code: "NOT_FOUND", message: "This Facebook connection does not exist.", hint: "Reload the page." });
  return connection;
}
