import "server-only";
import type { Connection, Prisma } from "@prisma/client";
import type { ConnectionStatus } from "@/lib/connection-status";

/**
 * A connection's status, computed from stored facts plus the clock — in this one function, and as
 * one Prisma `where` per status so lists and counts filter in the database and agree with it.
 * Never reads a token: an undecryptable token is a stored fact (`tokenUnreadableAt`), written when
 * a read on use failed (mark-token-unreadable.ts).
 *
 *   1. token unreadable                                  → needs_relink
 *   2. stored needs_relink / revoked / refresh_failed    → that
 *   3. the grant has ended (token, or refresh token when one is stored, or data access)
 *                                                        → needs_relink (before the platform says so)
 *   4. stored permissions_missing                        → permissions_missing
 *   5. the last call failed transiently                  → error (`verdict` keeps what it was)
 *   6. the grant ends within the warning window          → expiring
 *   7.                                                   → connected
 */
export const STATUS_SELECT = {
  state: true,
  tokenExpiresAt: true,
  refreshExpiresAt: true,
  dataAccessExpiresAt: true,
  canRefresh: true,
  tokenUnreadableAt: true,
  lastErrorTransient: true,
} as const satisfies Prisma.ConnectionSelect;

/** The columns a successful call resets: no last error, transient or not. */
export const NO_ERROR = { lastErrorCode: null, lastErrorMessage: null, lastErrorAt: null, lastErrorTransient: false } as const;

export type StatusFields = Pick<Connection, keyof typeof STATUS_SELECT>;

export type EndingKind = "token" | "refresh" | "data_access";

export type StatusReport = {
  status: ConnectionStatus;
  /** The status without the transient `error` overlay: what the platform last told us. */
  verdict: ConnectionStatus;
  /** The earliest end of the grant (null = nothing ends). */
  endsAt: Date | null;
  /** Whole days until `endsAt`, rounded down; negative once passed. */
  daysLeft: number | null;
  endingKind: EndingKind | null;
};

export type StatusClock = { now: Date; expiringDays: number };

const DAY_MS = 86_400_000;

export function grantEnd(c: Pick<StatusFields, "tokenExpiresAt" | "refreshExpiresAt" | "dataAccessExpiresAt" | "canRefresh">): { at: Date | null; kind: EndingKind | null } {
  const token = c.canRefresh ? { at: c.refreshExpiresAt, kind: "refresh" as const } : { at: c.tokenExpiresAt, kind: "token" as const };
  const data = c.dataAccessExpiresAt;
  if (token.at && (!data || token.at <= data)) return token;
  if (data) return { at: data, kind: "data_access" };
  return { at: null, kind: null };
}

export function computeConnectionStatus(c: StatusFields, o: StatusClock): StatusReport {
  const end = grantEnd(c);
  const daysLeft = end.at ? Math.floor((end.at.getTime() - o.now.getTime()) / DAY_MS) : null;
  const report = (verdict: ConnectionStatus, status: ConnectionStatus = verdict): StatusReport => ({ status, verdict, endsAt: end.at, daysLeft, endingKind: end.kind });
  if (c.tokenUnreadableAt) return report("needs_relink");
  if (c.state === "needs_relink" || c.state === "revoked" || c.state === "refresh_failed") return report(c.state);
  if (end.at && end.at <= o.now) return report("needs_relink");
  const soon = end.at !== null && end.at.getTime() <= o.now.getTime() + o.expiringDays * DAY_MS;
  const verdict: ConnectionStatus = c.state === "permissions_missing" ? "permissions_missing" : soon ? "expiring" : "connected";
  if (c.state === "connected" && c.lastErrorTransient) return report(verdict, "error");
  return report(verdict);
}

/** The grant ends at or before `until`. */
const endsBy = (until: Date): Prisma.ConnectionWhereInput => ({
  OR: [
    { canRefresh: false, tokenExpiresAt: { lte: until } },
    { canRefresh: true, refreshExpiresAt: { lte: until } },
    { dataAccessExpiresAt: { lte: until } },
  ],
});

/** The grant lasts beyond `until` (null never ends). Written out: NOT over a nullable column drops nulls. */
const lastsBeyond = (until: Date): Prisma.ConnectionWhereInput => ({
  AND: [
    {
      OR: [
        { canRefresh: false, OR: [{ tokenExpiresAt: null }, { tokenExpiresAt: { gt: until } }] },
        { canRefresh: true, OR: [{ refreshExpiresAt: null }, { refreshExpiresAt: { gt: until } }] },
      ],
    },
    { OR: [{ dataAccessExpiresAt: null }, { dataAccessExpiresAt: { gt: until } }] },
  ],
});

const readable: Prisma.ConnectionWhereInput = { tokenUnreadableAt: null };

/** The rows computeConnectionStatus puts in `status`, as a Prisma filter. */
export function connectionStatusWhere(status: ConnectionStatus, o: StatusClock): Prisma.ConnectionWhereInput {
  const soon = new Date(o.now.getTime() + o.expiringDays * DAY_MS);
  switch (status) {
    case "needs_relink":
      return {
        OR: [
          { tokenUnreadableAt: { not: null } },
          { state: "needs_relink" },
          { state: { in: ["connected", "permissions_missing"] }, ...endsBy(o.now) },
        ],
      };
    case "revoked":
    case "refresh_failed":
      return { ...readable, state: status };
    case "permissions_missing":
      return { ...readable, state: "permissions_missing", ...lastsBeyond(o.now) };
    case "error":
      return { ...readable, state: "connected", lastErrorTransient: true, ...lastsBeyond(o.now) };
    case "expiring":
      return { ...readable, state: "connected", lastErrorTransient: false, AND: [lastsBeyond(o.now), endsBy(soon)] };
    case "connected":
      return { ...readable, state: "connected", lastErrorTransient: false, ...lastsBeyond(soon) };
  }
}

/** Connections whose grant ends between now and `days` from now. */
export function endingWithinWhere(days: number, now: Date): Prisma.ConnectionWhereInput {
  return { AND: [lastsBeyond(now), endsBy(new Date(now.getTime() + days * DAY_MS))] };
}
