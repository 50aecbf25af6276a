import "server-only";
import { NO_ERROR } from "./connection-status";
import { Prisma } from "@prisma/client";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { registry as defaultRegistry, type Registry } from "@/server/integrations/registry";
import type { ProviderAdapter, SyncOutcome } from "@/server/integrations/types";
import { logger } from "@/server/logger";
import { getOwnedConnectionOrThrow } from "./get-owned-connection-or-throw";
import { markConnectionFromError } from "./mark-connection-from-error";
import { readConnectionTokens } from "./read-connection-tokens";

/**
 * "Sync now": re-reads profile, stats, permissions and assets with the stored token and writes them
 * in one transaction. A dead token marks the connection (it is not deleted) and the caller is told
 * to reconnect; other failures are remembered as the connection's last error and rethrown.
 */
export type SyncConnectionResult = { connectionId: string; assets: Record<string, number> };

export const reconnectError = (adapter: Pick<ProviderAdapter, "name">, message: string) =>
  new AppError({ code: "MISSING_PREREQUISITE", message, hint: `Reconnect ${adapter.name} from Settings → Connections.` });

export async function syncConnection(
  db: Db,
  input: { userId: string; connectionId: string },
  deps: { registry?: Registry; now?: () => Date } = {},
): Promise<SyncConnectionResult> {
  const connection = await getOwnedConnectionOrThrow(db, input.userId, input.connectionId);
  const adapter = (deps.registry ?? defaultRegistry).get(connection.provider);
  const now = (deps.now ?? (() => new Date()))();
  if (!adapter.sync) throw new AppError({ code: "CONFLICT", message: `${adapter.name} connections have nothing to sync.` });

  const tokens = await readConnectionTokens(db, connection, now);
  // An unreadable token shows as "needs re-link"; nothing to call the platform with.
  if (!tokens) throw reconnectError(adapter, `${adapter.name} needs to be reconnected before it can be synced.`);

  let outcome: SyncOutcome;
  try {
    outcome = await adapter.sync({ connection, tokens, now });
  } catch (error) {
    const marked = await markConnectionFromError(db, { connectionId: connection.id, error, actorId: input.userId, now, note: true, registry: deps.registry });
    if (marked.verdict?.verdict === "needs_relink") throw reconnectError(adapter, `${adapter.name} no longer accepts this connection. Reconnect ${adapter.name}.`);
    throw error;
  }

  const assets = await db.$transaction(
    async (tx) => {
      const written = outcome.writeAssets ? await outcome.writeAssets(tx, { userId: connection.userId, connectionId: connection.id, now }) : { counts: {} };
      await tx.connection.update({
        where: { id: connection.id },
        data: {
          ...(outcome.scopes
            ? { state: outcome.scopes.missing.length > 0 ? "permissions_missing" : "connected", grantedScopes: outcome.scopes.granted, declinedScopes: outcome.scopes.declined }
            : {}),
          ...(outcome.name ? { name: outcome.name } : {}),
          ...(outcome.handle !== undefined ? { handle: outcome.handle } : {}),
          ...(outcome.avatarUrl !== undefined ? { avatarUrl: outcome.avatarUrl } : {}),
          ...(outcome.stats ? { stats: outcome.stats as Prisma.InputJsonValue } : {}),
          ...(outcome.assetCounts ? { assetCounts: outcome.assetCounts } : {}),
          lastCheckedAt: now,
          lastSyncedAt: now,
          ...NO_ERROR,
        },
        select: { id: true },
      });
      return written.counts;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  logger.info({ sync: { userId: input.userId, provider: adapter.id, connectionId: connection.id, ...assets, ...outcome.metrics } }, "connection synced");
  return { connectionId: connection.id, assets };
}
