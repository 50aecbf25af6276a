import "server-only";
import { NO_ERROR } from "./connection-status";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { registry as defaultRegistry, type Registry } from "@/server/integrations/registry";
import type { RefreshedTokens } from "@/server/integrations/types";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { getOwnedConnectionOrThrow } from "./get-owned-connection-or-throw";
import { AUDIT_FOR } from "./mark-connection-from-error";
import { readConnectionTokens } from "./read-connection-tokens";
import { reconnectError } from "./sync-connection";

/**
 * Refreshes a connection's access token now, for providers with refresh tokens (others: 409).
 * Under a per-connection lease (`refresh_lease_until`), so two processes never spend the same refresh token — several
 * platforms rotate it, and one used twice kills the grant. A refresh the platform refuses marks
 * `refresh_failed` (only a new login helps); a transient failure changes nothing and is rethrown.
 */
/** Longer than any refresh call takes; a crashed refresher blocks the connection for at most this. */
const LEASE_MS = 60_000;

export type RefreshResult = { connectionId: string; tokenExpiresAt: string | null };

export async function refreshConnection(
  db: Db,
  input: { userId: string; connectionId: string },
  deps: { registry?: Registry; now?: () => Date } = {},
): Promise<RefreshResult> {
  const connection = await getOwnedConnectionOrThrow(db, input.userId, input.connectionId);
  const adapter = (deps.registry ?? defaultRegistry).get(connection.provider);
  const now = (deps.now ?? (() => new Date()))();
  if (!adapter.refresh) {
    throw new AppError({ code: "CONFLICT", message: `${adapter.name} tokens cannot be refreshed.`, hint: `When a ${adapter.name} connection ends, reconnect it.` });
  }
  const refresh = adapter.refresh.bind(adapter);
  // The lease: one conditional statement, atomic on PostgreSQL and the embedded database alike.
  const leased = await db.connection.updateMany({
    where: { id: connection.id, OR: [{ refreshLeaseUntil: null }, { refreshLeaseUntil: { lte: now } }] },
    data: { refreshLeaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  if (leased.count === 0) throw new AppError({ code: "CONFLICT", message: "This connection is being refreshed right now.", hint: "Try again in a minute." });
  try {
    const tokens = await readConnectionTokens(db, connection, now);
    if (!tokens?.refreshToken) throw reconnectError(adapter, `${adapter.name} needs to be reconnected: there is no refresh token.`);
    let fresh: RefreshedTokens;
    try {
      fresh = await refresh(tokens);
    } catch (error) {
      const verdict = adapter.classifyError(error);
      if (verdict.verdict !== "needs_relink" && verdict.verdict !== "refresh") throw error;
      await db.$transaction(async (tx) => {
        await tx.connection.update({
          where: { id: connection.id },
          data: { state: "refresh_failed", lastCheckedAt: now, lastErrorCode: verdict.code, lastErrorMessage: verdict.message, lastErrorAt: now, lastErrorTransient: false },
          select: { id: true },
        });
        await recordAuditEvent(tx, { actorId: input.userId, userId: connection.userId, action: AUDIT_FOR.refresh_failed, connectionId: connection.id, detail: { source: "refresh", code: verdict.code } });
      });
      throw reconnectError(adapter, `${adapter.name} refused to renew this connection.`);
    }
    const tokenExpiresAt = fresh.expiresAt === null ? null : new Date(fresh.expiresAt * 1000);
    await db.$transaction(async (tx) => {
      await tx.account.update({
        where: { id: connection.accountId },
        // Rotation: a new refresh token replaces the spent one; none returned keeps the old one.
        data: { access_token: fresh.accessToken, expires_at: fresh.expiresAt, ...(fresh.refreshToken ? { refresh_token: fresh.refreshToken } : {}), ...(fresh.scope ? { scope: fresh.scope } : {}) },
        select: { id: true },
      });
      await tx.connection.update({
        where: { id: connection.id },
        data: {
          tokenExpiresAt,
          ...(fresh.refreshExpiresAt !== undefined ? { refreshExpiresAt: fresh.refreshExpiresAt } : {}),
          lastCheckedAt: now,
          ...NO_ERROR,
        },
        select: { id: true },
      });
      await recordAuditEvent(tx, { actorId: input.userId, userId: connection.userId, action: "refreshed", connectionId: connection.id, detail: { source: "refresh" } });
    });
    return { connectionId: connection.id, tokenExpiresAt: tokenExpiresAt?.toISOString() ?? null };
  } finally {
    await db.connection.updateMany({ where: { id: connection.id }, data: { refreshLeaseUntil: null } });
  }
}
