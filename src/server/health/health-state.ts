import type { ConnectionStatus, Prisma } from "@prisma/client";
import { z } from "zod";

/**
 * A connection's health, computed from what is stored plus the clock: the stored status says what
 * Meta last told us (expired, revoked, permissions missing, error), the stored expiries say what
 * will happen without asking Meta (expiring soon, or expired since the last check). One function
 * for one row, and one Prisma `where` per health so lists and counts filter in the database and
 * agree with it.
 */
export const HEALTH_STATES = ["connected", "expiring", "expired", "needs_relink", "revoked", "permissions_missing", "error"] as const;
export type Health = (typeof HEALTH_STATES)[number];
export const healthSchema = z.enum(HEALTH_STATES);

/** Health states that only a new Facebook login fixes. */
export const BROKEN: ReadonlySet<Health> = new Set(["expired", "needs_relink", "revoked", "permissions_missing", "error"]);

export type HealthFields = {
  status: ConnectionStatus;
  tokenExpiresAt: Date | null;
  dataAccessExpiresAt: Date | null;
};

export type HealthReport = {
  health: Health;
  /** The earlier of token expiry and data-access expiry (null = neither ends). */
  endsAt: Date | null;
  /** Whole days until `endsAt`, rounded down; negative once passed. */
  daysLeft: number | null;
  /** Which one ends first. */
  endingKind: "token" | "data_access" | null;
};

const DAY_MS = 86_400_000;

export function earliestEnd(c: Pick<HealthFields, "tokenExpiresAt" | "dataAccessExpiresAt">): { at: Date | null; kind: HealthReport["endingKind"] } {
  const t = c.tokenExpiresAt;
  const d = c.dataAccessExpiresAt;
  if (t && (!d || t <= d)) return { at: t, kind: "token" };
  if (d) return { at: d, kind: "data_access" };
  return { at: null, kind: null };
}

export function computeHealth(c: HealthFields, o: { now: Date; expiringDays: number }): HealthReport {
  const end = earliestEnd(c);
  const daysLeft = end.at ? Math.floor((end.at.getTime() - o.now.getTime()) / DAY_MS) : null;
  const base = { endsAt: end.at, daysLeft, endingKind: end.kind };
  if (c.status !== "connected") return { ...base, health: c.status };
  if (end.at && end.at <= o.now) return { ...base, health: "expired" };
  if (end.at && end.at.getTime() <= o.now.getTime() + o.expiringDays * DAY_MS) return { ...base, health: "expiring" };
  return { ...base, health: "connected" };
}

/** `until` ≥ expiry of token or data access (null never ends). */
const endsBy = (until: Date): Prisma.MetaConnectionWhereInput => ({
  OR: [{ tokenExpiresAt: { lte: until } }, { dataAccessExpiresAt: { lte: until } }],
});
const lastsBeyond = (until: Date): Prisma.MetaConnectionWhereInput => ({
  AND: [
    { OR: [{ tokenExpiresAt: null }, { tokenExpiresAt: { gt: until } }] },
    { OR: [{ dataAccessExpiresAt: null }, { dataAccessExpiresAt: { gt: until } }] },
  ],
});

/** The rows computeHealth would put in `health`, as a Prisma filter. */
export function healthWhere(health: Health, o: { now: Date; expiringDays: number }): Prisma.MetaConnectionWhereInput {
  const soon = new Date(o.now.getTime() + o.expiringDays * DAY_MS);
  switch (health) {
    case "connected":
      return { status: "connected", ...lastsBeyond(soon) };
    case "expiring":
      return { status: "connected", AND: [lastsBeyond(o.now), endsBy(soon)] };
    case "expired":
      return { OR: [{ status: "expired" }, { status: "connected", ...endsBy(o.now) }] };
    default:
      return { status: health };
  }
}

/** Connections whose token or data access ends between now and `days` from now. */
export function endingWithinWhere(days: number, now: Date): Prisma.MetaConnectionWhereInput {
  return { AND: [lastsBeyond(now), endsBy(new Date(now.getTime() + days * DAY_MS))] };
}
