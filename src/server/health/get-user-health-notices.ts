import type { Db } from "@/server/db";
import { BROKEN, computeHealth, type Health } from "./health-state";

/**
 * What the owner should be told about their Facebook connections (the HealthBanner reads this):
 * a re-link ops asked for, a connection that is broken, or one that ends soon. Healthy
 * connections say nothing. Most urgent first.
 */
export type HealthNotice = {
  connectionId: string;
  name: string;
  kind: "relink_requested" | Exclude<Health, "connected">;
  daysLeft: number | null;
  endingKind: "token" | "data_access" | null;
};

const ORDER: HealthNotice["kind"][] = ["revoked", "expired", "needs_relink", "error", "permissions_missing", "relink_requested", "expiring"];

export async function getUserHealthNotices(db: Db, userId: string, o: { now: Date; expiringDays: number }): Promise<HealthNotice[]> {
  const rows = await db.metaConnection.findMany({
    where: { userId },
    select: { id: true, name: true, status: true, tokenExpiresAt: true, dataAccessExpiresAt: true, relinkRequestedAt: true },
    orderBy: { linkedAt: "asc" },
  });
  const notices = rows.flatMap((row): HealthNotice[] => {
    const h = computeHealth(row, o);
    const base = { connectionId: row.id, name: row.name, daysLeft: h.daysLeft, endingKind: h.endingKind };
    // A broken connection says why; ops' request matters when the connection still looks fine.
    if (BROKEN.has(h.health)) return [{ ...base, kind: h.health as HealthNotice["kind"] }];
    if (row.relinkRequestedAt) return [{ ...base, kind: "relink_requested" }];
    if (h.health === "expiring") return [{ ...base, kind: "expiring" }];
    return [];
  });
  return notices.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}
