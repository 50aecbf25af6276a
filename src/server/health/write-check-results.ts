import "server-only";
import type { ConnectionState } from "@prisma/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { AUDIT_FOR, MOVABLE_FROM, stateForVerdict } from "@/server/connections/mark-connection-from-error";
import type { Db } from "@/server/db";
import type { TokenCheck } from "@/server/integrations/types";

/**
 * Writes one page of sweep results. Live tokens (most of them) go in ONE `UPDATE … FROM unnest`
 * statement whatever the page size; dead tokens — rare — get their own small transaction with
 * the audit event. Every write is conditional on the row's `updated_at` as it was read, so a
 * re-link, deauthorize or disconnect that lands mid-sweep is never overwritten with older news.
 * Failed checks write nothing: the connection keeps its status and its last check time.
 */
export type SweptConnection = {
  id: string;
  userId: string;
  state: ConnectionState;
  tokenExpiresAt: Date | null;
  dataAccessExpiresAt: Date | null;
  updatedAt: Date;
};

export type PageOutcome = { checked: number; changed: number; unchanged: number; failed: number; statements: number; transitions: Record<string, number> };

const keep = (given: Date | null | undefined, stored: Date | null): Date | null => (given === undefined ? stored : given);

export async function writeCheckResults(
  db: Db,
  rows: readonly SweptConnection[],
  checks: Map<string, TokenCheck>,
  o: { now: Date; requiredScopes: readonly string[] },
): Promise<PageOutcome> {
  const out: PageOutcome = { checked: 0, changed: 0, unchanged: 0, failed: 0, statements: 0, transitions: {} };
  const live: { row: SweptConnection; state: ConnectionState; token: Date | null; data: Date | null; missing: string[] }[] = [];
  const note = (from: string, to: string) => {
    if (from === to) return void out.unchanged++;
    out.changed++;
    out.transitions[`${from}->${to}`] = (out.transitions[`${from}->${to}`] ?? 0) + 1;
  };

  for (const row of rows) {
    const check = checks.get(row.id);
    if (!check || check.kind === "failed") {
      out.failed++;
      continue;
    }
    out.checked++;
    if (check.kind === "valid") {
      const granted = check.grantedScopes ? new Set(check.grantedScopes) : null;
      const missing = granted ? o.requiredScopes.filter((s) => !granted.has(s)) : [];
      const state: ConnectionState = granted ? (missing.length > 0 ? "permissions_missing" : "connected") : row.state;
      live.push({ row, state, missing, token: keep(check.tokenExpiresAt, row.tokenExpiresAt), data: keep(check.dataAccessExpiresAt, row.dataAccessExpiresAt) });
      note(row.state, state);
      continue;
    }
    const v = check.error;
    const to = stateForVerdict(v);
    if (!to || !MOVABLE_FROM[to].includes(row.state)) {
      out.unchanged++;
      continue;
    }
    out.statements += 2;
    const moved = await db.$transaction(async (tx) => {
      const { count } = await tx.connection.updateMany({
        where: { id: row.id, updatedAt: row.updatedAt },
        data: { state: to, lastCheckedAt: o.now, lastErrorCode: v.code, lastErrorMessage: v.message, lastErrorAt: o.now, lastErrorTransient: false },
      });
      if (count === 0) return false;
      await recordAuditEvent(tx, {
        actorId: null,
        userId: row.userId,
        action: AUDIT_FOR[to],
        connectionId: row.id,
        detail: { source: "sweep", from: row.state, to, code: v.code },
      });
      return true;
    });
    if (moved) note(row.state, to);
    else out.unchanged++;
  }

  if (live.length > 0) {
    out.statements++;
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    // Timestamps travel as ISO text: `timestamp(3)` ignores the Z, which is how Prisma stores UTC.
    await db.$executeRawUnsafe(
      `UPDATE "connections" AS t SET
         "state" = v.state::"ConnectionState",
         "token_expires_at" = v.token_expires_at::timestamp(3),
         "data_access_expires_at" = v.data_access_expires_at::timestamp(3),
         "last_checked_at" = $7::timestamp(3),
         "last_error_code" = NULL,
         "last_error_message" = v.message,
         "last_error_at" = CASE WHEN v.message IS NULL THEN NULL ELSE $7::timestamp(3) END,
         "last_error_transient" = false,
         "updated_at" = $7::timestamp(3)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         AS v(id, seen_updated_at, state, token_expires_at, data_access_expires_at, message)
       WHERE t.id = v.id AND t.updated_at = v.seen_updated_at::timestamp(3)`,
      live.map((l) => l.row.id),
      live.map((l) => l.row.updatedAt.toISOString()),
      live.map((l) => l.state),
      live.map((l) => iso(l.token)),
      live.map((l) => iso(l.data)),
      live.map((l) => (l.missing.length > 0 ? `Missing permission${l.missing.length > 1 ? "s" : ""}: ${l.missing.join(", ")}` : null)),
      o.now.toISOString(),
    );
    // A permission revoked since the last check is a revocation: audit it like one.
    const lost = live.filter((l) => l.state === "permissions_missing" && l.row.state === "connected");
    if (lost.length > 0) {
      out.statements++;
      await db.auditEvent.createMany({
        data: lost.map((l) => ({
          actorId: null,
          userId: l.row.userId,
          action: "revoked",
          connectionId: l.row.id,
          detail: { source: "sweep", from: "connected", to: "permissions_missing", missingScopes: l.missing },
        })),
      });
    }
  }
  return out;
}
