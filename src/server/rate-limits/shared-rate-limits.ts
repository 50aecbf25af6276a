import "server-only";
import type { Db } from "@/server/db";

/**
 * Rate-limit state every app server and worker shares (docs/decisions/021-shared-rate-limits.md):
 * per key, "do not call before" and the usage the platform last reported with it. Keys are
 * provider-neutral strings chosen by the caller — Meta's are in
 * integrations/facebook/rate-limit-keys.ts. Times come from the caller's clock (virtual in tests),
 * never from the database's.
 *
 * Writes never shorten a hold: a conditional insert, else an update only when the new hold ends
 * later — each one statement, so concurrent writers on PostgreSQL and on the embedded database end
 * with the latest end.
 */
export type HoldDetail = { now: Date; reason: string; usagePercent?: number };

/** One key's shared hold, as a rate-limit gate uses it (the Meta usage gate, for one). */
export type SharedPause = {
  /** When the shared budget opens again, in ms since the epoch (0 or past = open). */
  resumeAt(now: Date): Promise<number>;
  /** Holds every process off until then (never shortens a longer hold); returns the statements it took. */
  hold(untilMs: number, o: HoldDetail): Promise<number>;
};

/** The latest end among the keys' holds that are still running at `now`, or null. */
export async function blockedUntil(db: Db, keys: readonly string[], now: Date): Promise<Date | null> {
  const rows = await db.rateLimit.findMany({ where: { key: { in: [...keys] }, blockedUntil: { gt: now } }, select: { blockedUntil: true } });
  let latest: Date | null = null;
  for (const row of rows) if (row.blockedUntil && (!latest || row.blockedUntil > latest)) latest = row.blockedUntil;
  return latest;
}

/** Holds `key` until `until` for everyone; returns the statements it took (1 or 2). */
export async function holdUntil(db: Db, key: string, until: Date, o: HoldDetail): Promise<number> {
  const data = { blockedUntil: until, reason: o.reason, usagePercent: o.usagePercent ?? null, updatedAt: o.now };
  const created = await db.rateLimit.createMany({ data: [{ key, ...data }], skipDuplicates: true });
  if (created.count === 1) return 1;
  await db.rateLimit.updateMany({ where: { key, OR: [{ blockedUntil: null }, { blockedUntil: { lt: until } }] }, data });
  return 2;
}

/** The shared record of one key as a usage gate's `shared` pause. */
export function sharedPause(db: Db, key: string): SharedPause {
  return {
    resumeAt: async (now) => (await blockedUntil(db, [key], now))?.getTime() ?? 0,
    hold: (untilMs, o) => holdUntil(db, key, new Date(untilMs), o),
  };
}
