import "server-only";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { registry as defaultRegistry, type Registry } from "@/server/integrations/registry";
import { logger } from "@/server/logger";
import { getOwnedConnectionOrThrow } from "./get-owned-connection-or-throw";
import { readConnectionTokens } from "./read-connection-tokens";

/**
 * Disconnects a connection of any provider: best-effort revoke at the platform where the adapter
 * has one, then our tokens, connection and assets are deleted whatever the platform answered —
 * the user asked for us to forget them. `revoked` tells the UI whether the platform confirmed.
 */
export async function disconnectConnection(
  db: Db,
  input: { userId: string; connectionId: string },
  deps: { registry?: Registry } = {},
): Promise<{ disconnected: true; revoked: boolean }> {
  const connection = await getOwnedConnectionOrThrow(db, input.userId, input.connectionId);
  const adapter = (deps.registry ?? defaultRegistry).find(connection.provider);

  let revoked = false;
  if (adapter?.revoke) {
    const tokens = await readConnectionTokens(db, connection);
    if (tokens) {
      try {
        revoked = await adapter.revoke(tokens);
      } catch (error) {
        logger.warn({ connectionId: connection.id, provider: connection.provider, error: adapter.classifyError(error) }, "revoking at the platform failed; disconnecting locally");
      }
    }
  }

  await db.$transaction(async (tx) => {
    // deleteMany: returns no rows, so an undecryptable token is never opened. Cascades to the
    // connection and its assets.
    await tx.account.deleteMany({ where: { id: connection.accountId, userId: input.userId } });
    await recordAuditEvent(tx, { actorId: input.userId, userId: input.userId, action: "disconnected", connectionId: connection.id, detail: { provider: connection.provider, revoked } });
  });
  return { disconnected: true, revoked };
}
