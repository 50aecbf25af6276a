import "server-only";
import type { Db } from "@/server/db";

/**
 * Recurring jobs run once per period however many worker processes tick: periods are aligned to
 * the epoch (every 360 minutes = 00:00, 06:00, … UTC), and the first process to claim a period's
 * slot enqueues the job. Each step is one conditional statement, atomic on PostgreSQL and on the
 * embedded database alike (no advisory lock: the embedded database serves every client over one
 * session, where such locks exclude nobody):
 *
 *   INSERT … ON CONFLICT DO NOTHING           the job's first period ever
 *   UPDATE … WHERE slot_at < this period      a later period (a concurrent second UPDATE re-reads
 *                                              the row after the first commits and matches nothing)
 *
 * Why not pg-boss's own cron: docs/decisions/020-job-queue-pg-boss.md.
 */
export function slotStart(now: Date, periodMs: number): Date {
  return new Date(Math.floor(now.getTime() / periodMs) * periodMs);
}

/** True when this caller won the period that `now` falls in (and must enqueue the run). */
export async function claimScheduleSlot(db: Db, o: { name: string; periodMs: number; now: Date }): Promise<boolean> {
  const slotAt = slotStart(o.now, o.periodMs);
  const created = await db.jobSchedule.createMany({ data: [{ name: o.name, slotAt, updatedAt: o.now }], skipDuplicates: true });
  if (created.count === 1) return true;
  const moved = await db.jobSchedule.updateMany({ where: { name: o.name, slotAt: { lt: slotAt } }, data: { slotAt, jobId: null, updatedAt: o.now } });
  return moved.count === 1;
}

/** Notes which job a claimed slot enqueued (null: one was already waiting), for ops. */
export async function recordSlotJob(db: Db, o: { name: string; jobId: string | null; now: Date }): Promise<void> {
  await db.jobSchedule.updateMany({ where: { name: o.name }, data: { jobId: o.jobId, updatedAt: o.now } });
}
