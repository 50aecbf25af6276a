import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db } from "@/server/db";

/**
 * One runner at a time across processes, through a row in `job_leases`. Not a Postgres advisory
 * lock: the embedded database serves every client over one multiplexed session, and advisory
 * locks are per session, so two processes would both "hold" it. Each step is one conditional
 * statement, atomic on PostgreSQL and PGlite alike:
 *
 *   take:   INSERT … ON CONFLICT DO NOTHING, else UPDATE … WHERE expires_at <= now
 *   renew:  UPDATE … WHERE holder = me           (0 rows → someone took it over: stop)
 *   free:   DELETE … WHERE holder = me
 *
 * A lease that is not renewed expires, so a crashed runner blocks the job for at most its TTL.
 */
export type Lease = { name: string; holder: string };

export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

export async function acquireLease(db: Db, o: { name: string; holder: string; ttlMs: number; now: Date }): Promise<Lease | null> {
  const expiresAt = new Date(o.now.getTime() + o.ttlMs);
  const created = await db.jobLease.createMany({
    data: [{ name: o.name, holder: o.holder, acquiredAt: o.now, expiresAt }],
    skipDuplicates: true,
  });
  if (created.count === 1) return { name: o.name, holder: o.holder };
  const taken = await db.jobLease.updateMany({
    where: { name: o.name, expiresAt: { lte: o.now } },
    data: { holder: o.holder, acquiredAt: o.now, expiresAt },
  });
  return taken.count === 1 ? { name: o.name, holder: o.holder } : null;
}

/** Extends the lease; false when it was lost (expired and taken by another runner). */
export async function renewLease(db: Db, lease: Lease, o: { ttlMs: number; now: Date }): Promise<boolean> {
  const { count } = await db.jobLease.updateMany({
    where: { name: lease.name, holder: lease.holder },
    data: { expiresAt: new Date(o.now.getTime() + o.ttlMs) },
  });
  return count === 1;
}

export async function releaseLease(db: Db, lease: Lease): Promise<void> {
  await db.jobLease.deleteMany({ where: { name: lease.name, holder: lease.holder } });
}
