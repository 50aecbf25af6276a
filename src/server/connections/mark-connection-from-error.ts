import "server-only";
import type { ConnectionState } from "@prisma/client";
import { recordAuditEvent, type AuditAction } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { registry as defaultRegistry, type Registry } from "@/server/integrations/registry";
import type { ClassifiedError } from "@/server/integrations/types";

/**
 * On-use health check: call this wherever a platform call made with a connection's token fails
 * (sync, insights, publishing…). The provider's adapter classifies the error; a dead token or a
 * revoked permission marks the connection at once and audits it. Transient failures and our own
 * bad requests never move a connection; with `note` they are remembered as its last error
 * (a transient one shows as status "error" until the next success).
 *
 *   } catch (error) {
 *     await markConnectionFromError(db, { connectionId, error });
 *     throw error;
 *   }
 *
 * Only a connection that still looked usable is moved, so a later, milder answer never hides an
 * earlier revocation, and repeated failures write one audit event, not one per call.
 */
type MovedState = Exclude<ConnectionState, "connected">;

export const MOVABLE_FROM: Record<MovedState, ConnectionState[]> = {
  needs_relink: ["connected", "permissions_missing"],
  revoked: ["connected", "permissions_missing", "needs_relink"],
  refresh_failed: ["connected", "permissions_missing"],
  permissions_missing: ["connected"],
};

export const AUDIT_FOR: Record<MovedState, AuditAction> = {
  needs_relink: "token_expired",
  revoked: "revoked",
  refresh_failed: "refresh_failed",
  permissions_missing: "revoked",
};

/** The stored state a verdict moves a connection to, or null when it must not move it. */
export function stateForVerdict(v: ClassifiedError): MovedState | null {
  if (v.verdict === "needs_relink") return v.state ?? "needs_relink";
  if (v.verdict === "permissions_missing") return "permissions_missing";
  return null;
}

export type MarkResult = { changed: boolean; verdict: ClassifiedError | null };

export async function markConnectionFromError(
  db: Db,
  input: { connectionId: string; error: unknown; actorId?: string | null; now?: Date; note?: boolean; registry?: Registry },
): Promise<MarkResult> {
  const now = input.now ?? new Date();
  const found = await db.connection.findUnique({ where: { id: input.connectionId }, select: { provider: true } });
  const adapter = found && (input.registry ?? defaultRegistry).find(found.provider);
  if (!adapter) return { changed: false, verdict: null };
  const verdict = adapter.classifyError(input.error);
  const to = stateForVerdict(verdict);
  const lastError = { lastErrorCode: verdict.code, lastErrorMessage: verdict.message, lastErrorAt: now };
  if (!to) {
    if (input.note) {
      await db.connection.update({
        where: { id: input.connectionId },
        data: { ...lastError, lastErrorTransient: verdict.verdict === "retry_later", lastCheckedAt: now },
        select: { id: true },
      });
    }
    return { changed: false, verdict };
  }
  const changed = await db.$transaction(async (tx) => {
    const row = await tx.connection.findUnique({ where: { id: input.connectionId }, select: { userId: true, state: true } });
    if (!row || !MOVABLE_FROM[to].includes(row.state)) return false;
    const { count } = await tx.connection.updateMany({
      where: { id: input.connectionId, state: { in: MOVABLE_FROM[to] } },
      data: { state: to, lastCheckedAt: now, lastErrorTransient: false, ...lastError },
    });
    if (count === 0) return false;
    await recordAuditEvent(tx, {
      actorId: input.actorId ?? null,
      userId: row.userId,
      action: AUDIT_FOR[to],
      connectionId: input.connectionId,
      detail: { source: "on_use", from: row.state, to, code: verdict.code },
    });
    return true;
  });
  return { changed, verdict };
}
