import type { Prisma } from "@prisma/client";
import type { Db } from "@/server/db";
import { computeHealth, endingWithinWhere, healthWhere, HEALTH_STATES, type Health } from "@/server/health/health-state";
import type { OpsConnectionsQuery } from "./schema";

/**
 * Every connection across all users, for the ops view, filtered in the database by health and
 * by "token or data access ends within N days", newest problems easy to find. Built field by
 * field from rows that never include the Account (where tokens live), so nothing here can leak
 * a token. Counts per health cover all connections, whatever the filter.
 */
export type OpsConnectionView = {
  id: string;
  owner: { id: string; email: string };
  name: string;
  metaUserId: string;
  status: string;
  health: Health;
  daysLeft: number | null;
  tokenExpiresAt: string | null;
  dataAccessExpiresAt: string | null;
  lastCheckedAt: string | null;
  lastError: { code: number | null; subcode: number | null; message: string } | null;
  adAccountCount: number;
  /** Ad accounts Meta reports as not ACTIVE (disabled, unsettled, closed…). */
  adAccountsNotActive: number;
  linkedAt: string;
  relinkRequestedAt: string | null;
  relinkRequestedBy: { id: string; email: string | null } | null;
};

export type OpsConnectionList = {
  data: OpsConnectionView[];
  nextCursor: string | null;
  counts: Record<Health, number> & { total: number };
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function countConnectionsByHealth(db: Db, o: { now: Date; expiringDays: number }): Promise<OpsConnectionList["counts"]> {
  const [total, ...each] = await Promise.all([db.metaConnection.count(), ...HEALTH_STATES.map((h) => db.metaConnection.count({ where: healthWhere(h, o) }))]);
  return Object.assign({ total }, Object.fromEntries(HEALTH_STATES.map((h, i) => [h, each[i]!]))) as OpsConnectionList["counts"];
}

export async function listOpsConnections(db: Db, query: OpsConnectionsQuery, o: { now: Date; expiringDays: number }): Promise<OpsConnectionList> {
  const limit = query.limit ?? 100;
  const filters: Prisma.MetaConnectionWhereInput[] = [];
  if (query.health) filters.push(healthWhere(query.health, o));
  if (query.withinDays !== undefined) filters.push(endingWithinWhere(query.withinDays, o.now));
  if (query.cursor) filters.push({ id: { gt: query.cursor } });

  const [rows, counts] = await Promise.all([
    db.metaConnection.findMany({
      where: { AND: filters },
      orderBy: { id: "asc" },
      take: limit + 1,
      select: {
        id: true,
        name: true,
        metaUserId: true,
        status: true,
        tokenExpiresAt: true,
        dataAccessExpiresAt: true,
        lastCheckedAt: true,
        lastErrorCode: true,
        lastErrorSubcode: true,
        lastErrorMessage: true,
        linkedAt: true,
        relinkRequestedAt: true,
        relinkRequestedBy: true,
        user: { select: { id: true, email: true } },
        _count: { select: { adAccounts: true } },
      },
    }),
    countConnectionsByHealth(db, o),
  ]);
  const page = rows.slice(0, limit);
  const ids = page.map((r) => r.id);
  const requesterIds = [...new Set(page.flatMap((r) => (r.relinkRequestedBy ? [r.relinkRequestedBy] : [])))];
  const [notActive, requesters] = await Promise.all([
    ids.length
      ? db.metaAdAccount.groupBy({ by: ["connectionId"], where: { connectionId: { in: ids }, accountStatus: { not: 1 } }, _count: { _all: true } })
      : [],
    requesterIds.length ? db.user.findMany({ where: { id: { in: requesterIds } }, select: { id: true, email: true } }) : [],
  ]);
  const notActiveBy = new Map(notActive.map((g) => [g.connectionId, g._count._all]));
  const emailOf = new Map(requesters.map((u) => [u.id, u.email]));

  return {
    data: page.map((r) => {
      const h = computeHealth(r, o);
      return {
        id: r.id,
        owner: { id: r.user.id, email: r.user.email },
        name: r.name,
        metaUserId: r.metaUserId,
        status: r.status,
        health: h.health,
        daysLeft: h.daysLeft,
        tokenExpiresAt: iso(r.tokenExpiresAt),
        dataAccessExpiresAt: iso(r.dataAccessExpiresAt),
        lastCheckedAt: iso(r.lastCheckedAt),
        lastError: r.lastErrorMessage ? { code: r.lastErrorCode, subcode: r.lastErrorSubcode, message: r.lastErrorMessage } : null,
        adAccountCount: r._count.adAccounts,
        adAccountsNotActive: notActiveBy.get(r.id) ?? 0,
        linkedAt: r.linkedAt.toISOString(),
        relinkRequestedAt: iso(r.relinkRequestedAt),
        relinkRequestedBy: r.relinkRequestedBy ? { id: r.relinkRequestedBy, email: emailOf.get(r.relinkRequestedBy) ?? null } : null,
      };
    }),
    nextCursor: rows.length > limit ? page[page.length - 1]!.id : null,
    counts,
  };
}
