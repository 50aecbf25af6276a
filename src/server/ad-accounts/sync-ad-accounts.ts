import { getOwnedConnectionOrThrow } from "@/server/connections/get-owned-connection-or-throw";
import { requiredScopes as configuredScopes, scopeState } from "@/server/connections/scopes";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { graphClientFromEnv, type GraphClient } from "@/server/integrations/facebook/client";
import { MetaApiError, MetaTokenError } from "@/server/integrations/facebook/errors";
import { markConnectionFromGraphError } from "@/server/health/mark-connection-from-graph-error";
import { fetchAdAccountsWithPermissions } from "@/server/integrations/facebook/fetch-ad-accounts";
import { logger } from "@/server/logger";
import { readTokens } from "@/server/vault/read-tokens";
import { replaceAdAccounts } from "./replace-ad-accounts";
import { syncAdAccountsInput } from "./schema";

/**
 * "Refresh from Meta": re-reads the connection's ad accounts (and permissions) with the stored
 * token and writes them with the same logic as the link. A dead token (190/102) marks the
 * connection `expired` or `revoked` — it is not deleted — and the caller is told to reconnect.
 */
export type SyncResult = { adAccountCount: number; added: number; removed: number; updated: number };

const reconnect = (message: string) =>
  new AppError({ code: "MISSING_PREREQUISITE", message, hint: "Reconnect Facebook from Settings → Connections." });

export async function syncAdAccounts(
  db: Db,
  userId: string,
  input: { connectionId: string },
  deps: { graph?: GraphClient; now?: () => Date; requiredScopes?: readonly string[]; pageSize?: number } = {},
): Promise<SyncResult> {
  const { connectionId } = syncAdAccountsInput.parse(input);
  const connection = await getOwnedConnectionOrThrow(db, userId, connectionId);
  const now = (deps.now ?? (() => new Date()))();

  const read = await readTokens(() => db.account.findUnique({ where: { id: connection.accountId }, select: { id: true, access_token: true } }));
  // An unreadable token shows as "needs re-link" in the status views; nothing to call Meta with.
  if (!read.ok || !read.value?.access_token) throw reconnect("Facebook needs to be reconnected before its ad accounts can be refreshed.");
  const token = read.value.access_token;

  let fetched: Awaited<ReturnType<typeof fetchAdAccountsWithPermissions>>;
  try {
    fetched = await fetchAdAccountsWithPermissions(deps.graph ?? graphClientFromEnv(), token, deps.pageSize);
  } catch (error) {
    await recordFailure(db, { userId, connectionId, error, now });
    if (error instanceof MetaTokenError) throw reconnect("Facebook no longer accepts this connection. Reconnect Facebook.");
    throw error;
  }

  const scopes = scopeState(fetched.permissions, [], deps.requiredScopes ?? configuredScopes());
  const result = await db.$transaction(
    async (tx) => {
      const replaced = await replaceAdAccounts(tx, { userId, connectionId, accounts: fetched.accounts, now });
      await tx.metaConnection.update({
        where: { id: connectionId },
        data: {
          status: scopes.missing.length > 0 ? "permissions_missing" : "connected",
          grantedScopes: scopes.granted,
          declinedScopes: scopes.declined,
          lastCheckedAt: now,
          lastErrorCode: null,
          lastErrorSubcode: null,
          lastErrorMessage: null,
        },
        select: { id: true },
      });
      return replaced;
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  logger.info({ sync: { userId, connectionId, ...result, roundTrips: fetched.roundTrips, graphRequests: fetched.requests } }, "ad accounts synced");
  return { adAccountCount: result.total, added: result.added, removed: result.removed, updated: result.updated };
}

/**
 * Remembers why a refresh failed. A dead token or a revoked permission moves the connection's
 * health (one mapping for every Graph call, in src/server/health); other errors are only noted.
 */
async function recordFailure(db: Db, o: { userId: string; connectionId: string; error: unknown; now: Date }) {
  if (!(o.error instanceof MetaApiError)) return;
  const marked = await markConnectionFromGraphError(db, { connectionId: o.connectionId, error: o.error, actorId: o.userId, now: o.now });
  if (marked.changed) return;
  await db.metaConnection.update({
    where: { id: o.connectionId },
    data: {
      lastCheckedAt: o.now,
      lastErrorCode: o.error.metaCode ?? null,
      lastErrorSubcode: o.error.metaSubcode ?? null,
      lastErrorMessage: o.error.message.slice(0, 500),
    },
    select: { id: true },
  });
}
