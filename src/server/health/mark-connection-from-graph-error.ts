import type { ConnectionStatus } from "@prisma/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { MetaApiError } from "@/server/integrations/facebook/errors";
import { verdictForMetaError, type TokenVerdict } from "./token-verdict";

/**
 * On-use health check: call this wherever a Graph call made with a connection's token fails
 * (ad-account sync, insights, …). A 190 (any subcode), 102 or revoked-permission answer marks the
 * connection at once and audits it; any other error (throttle, 5xx, timeout) changes nothing.
 *
 *   } catch (error) {
 *     await markConnectionFromGraphError(db, { connectionId, error });
 *     throw error;
 *   }
 *
 * Only a connection that still looked usable is moved, so a later, milder answer never hides an
 * earlier revocation, and repeated failures write one audit event, not one per call.
 */
export const MOVABLE_FROM: Record<TokenVerdict["status"], ConnectionStatus[]> = {
  expired: ["connected", "permissions_missing", "error"],
  needs_relink: ["connected", "permissions_missing", "error"],
  revoked: ["connected", "permissions_missing", "expired", "needs_relink", "error"],
  error: ["connected", "permissions_missing"],
  permissions_missing: ["connected"],
};

export type MarkResult = { changed: boolean; verdict: TokenVerdict | null };

export async function markConnectionFromGraphError(
  db: Db,
  input: { connectionId: string; error: unknown; actorId?: string | null; now?: Date },
): Promise<MarkResult> {
  const e = input.error;
  if (!(e instanceof MetaApiError) || e.metaCode === undefined) return { changed: false, verdict: null };
  const verdict = verdictForMetaError({ code: e.metaCode, subcode: e.metaSubcode, message: e.message, httpStatus: e.httpStatus });
  if (!verdict) return { changed: false, verdict: null };
  const now = input.now ?? new Date();
  const changed = await db.$transaction(async (tx) => {
    const row = await tx.metaConnection.findUnique({ where: { id: input.connectionId }, select: { userId: true, status: true } });
    if (!row || !MOVABLE_FROM[verdict.status].includes(row.status)) return false;
    const { count } = await tx.metaConnection.updateMany({
      where: { id: input.connectionId, status: { in: MOVABLE_FROM[verdict.status] } },
      data: {
        status: verdict.status,
        lastCheckedAt: now,
        lastErrorCode: verdict.code,
        lastErrorSubcode: verdict.subcode,
        lastErrorMessage: verdict.message,
      },
    });
    if (count === 0) return false;
    await recordAuditEvent(tx, {
      actorId: input.actorId ?? null,
      userId: row.userId,
      action: verdict.audit,
      connectionId: input.connectionId,
      detail: { source: "on_use", from: row.status, to: verdict.status, code: verdict.code, subcode: verdict.subcode },
    });
    return true;
  });
  return { changed, verdict };
}
