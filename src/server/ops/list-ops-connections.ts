import "server-only";
import type { Prisma } from "@prisma/client";
import { CONNECTION_STATUSES, type ConnectionStatus } from "@/lib/connection-status";
import { computeConnectionStatus, connectionStatusWhere, endingWithinWhere, STATUS_SELECT } from "@/server/connections/connection-status";
import type { Db } from "@/server/db";
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
  provider: string;
  name: string;
  externalId: string;
  /** Kept for older clients: the same as externalId. */
  metaUserId: string;
  status: ConnectionStatus;
  /** The same value as `status` (the ops filter's historical name). */
  health: ConnectionStatus;
  daysLeft: number | null;
  tokenExpiresAt: string | null;
  dataAccessExpiresAt: string | null;
  lastCheckedAt: string | null;
  lastError: { code: string | null; message: string; at: string | null } | null;
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
  counts: Record<ConnectionStatus, number> & { total: number };
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function countConnectionsByHealth(db: Db, o: { now: Date; expiringDays: number }): Promise<OpsConnectionList["counts"]> {
  const [total, ...each] = await Promise.all([db.connection.count(), ...CONNECTION_STATUSES.map((s) => db.connection.count({ where: connectionStatusWhere(s, o) }))]);
  return Object.assign({ total }, Object.fromEntries(CONNECTION_STATUSES.map((s, i) => [s, each[i]!]))) as OpsConnectionList["counts"];
}

export async function listOpsConnections(db: Db, query: OpsConnectionsQuery, o: { now: Date; expiringDays: number }): Promise<OpsConnectionList> {
  const limit = query.limit ?? 100;
  const filters: Prisma.ConnectionWhereInput[] = [];
  if (query.health) filters.push(connectionStatusWhere(query.health, o));
  if (query.withinDays !== undefined) filters.push(endingWithinWhere(query.withinDays, o.now));
  if (query.cursor) filters.push({ id: { gt: query.cursor } });

  const [rows, counts] = await Promise.all([
    db.connection.findMany({
      where: { AND: filters },
      orderBy: { id: "asc" },
      take: limit + 1,
      select: {
        ...STATUS_SELECT,
        id: true,
        provider: true,
        name: true,
        externalId: true,
        lastCheckedAt: true,
        lastErrorCode: true,
        lastErrorAt: true,
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
      const h = computeConnectionStatus(r, o);
      return {
        id: r.id,
        owner: { id: r.user.id, email: r.user.email },
        provider: r.provider,
        name: r.name,
        externalId: r.externalId,
        metaUserId: r.externalId,
        status: h.status,
        health: h.status,
        daysLeft: h.daysLeft,
        tokenExpiresAt: iso(r.tokenExpiresAt),
        dataAccessExpiresAt: iso(r.dataAccessExpiresAt),
        lastCheckedAt: iso(r.lastCheckedAt),
        lastError: r.lastErrorMessage ? { code: r.lastErrorCode, message: r.lastErrorMessage, at: iso(r.lastErrorAt) } : null,
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
