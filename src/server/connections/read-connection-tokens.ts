import "server-only";
import type { Db } from "@/server/db";
import type { StoredTokens } from "@/server/integrations/types";
import { readTokens } from "@/server/vault/read-tokens";

/**
 * A connection's tokens, opened by the vault, for a call to its platform. A token that will not
 * decrypt (key removed, row tampered) is recorded on the connection as a fact — status questions
 * then answer "needs re-link" without ever opening a token — and null comes back.
 */
export async function readConnectionTokens(db: Db, connection: { id: string; accountId: string }, now = new Date()): Promise<StoredTokens | null> {
  const read = await readTokens(() =>
    db.account.findUnique({ where: { id: connection.accountId }, select: { id: true, access_token: true, refresh_token: true, expires_at: true, scope: true } }),
  );
  if (!read.ok) {
    await markTokenUnreadable(db, connection.id, now);
    return null;
  }
  const row = read.value;
  if (!row?.access_token) return null;
  return { accessToken: row.access_token, refreshToken: row.refresh_token, expiresAt: row.expires_at, scope: row.scope };
}

/** Records that the stored token cannot be opened; the first time is kept. */
export async function markTokenUnreadable(db: Pick<Db, "connection">, connectionId: string, now: Date): Promise<void> {
  await db.connection.updateMany({ where: { id: connectionId, tokenUnreadableAt: null }, data: { tokenUnreadableAt: now } });
}
