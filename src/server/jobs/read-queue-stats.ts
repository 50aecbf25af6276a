import "server-only";
import type PgBoss from "pg-boss";

/**
 * Queue depth and recent outcomes per job, for ops and metrics. Read from pg-boss's job table
 * (pg-boss is pinned to an exact version; its v10 table is `<schema>.job` with a `state` enum).
 * Completed and failed jobs stay in that table for a day (`ARCHIVE_AFTER_SECONDS` in
 * create-job-queue.ts), so the outcome counts cover roughly the last 24 hours.
 */
export type JobStats = {
  name: string;
  /** Waiting to run (including those scheduled for later). */
  queued: number;
  /** Failed, waiting for their next attempt. */
  retrying: number;
  active: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Creation time of the oldest job still waiting: how far behind the workers are. */
  oldestQueuedAt: Date | null;
  lastCompletedAt: Date | null;
  lastFailedAt: Date | null;
  lastError: string | null;
};

type Row = { name: string; state: string; n: number; oldest: Date | null; last_done: Date | null };
type FailureRow = { name: string; message: string | null };

export async function readQueueStats(boss: PgBoss, schema: string, names: readonly string[]): Promise<JobStats[]> {
  const db = boss.getDb();
  const counts = await db.executeSql(
    `SELECT name, state::text AS state, count(*)::int AS n, min(created_on) AS oldest, max(completed_on) AS last_done
       FROM "${schema}".job WHERE name = ANY($1::text[]) GROUP BY name, state`,
    [names],
  );
  const failures = await db.executeSql(
    `SELECT DISTINCT ON (name) name, output->'error'->>'message' AS message
       FROM "${schema}".job WHERE name = ANY($1::text[]) AND state IN ('failed', 'retry') AND output ? 'error'
       ORDER BY name, COALESCE(completed_on, started_on) DESC NULLS LAST`,
    [names],
  );
  const stats = new Map<string, JobStats>(names.map((name) => [name, emptyStats(name)]));
  for (const row of counts.rows as Row[]) {
    const s = stats.get(row.name);
    if (!s) continue;
    if (row.state === "created") {
      s.queued = row.n;
      s.oldestQueuedAt = row.oldest;
    } else if (row.state === "retry") s.retrying = row.n;
    else if (row.state === "active") s.active = row.n;
    else if (row.state === "completed") {
      s.completed = row.n;
      s.lastCompletedAt = row.last_done;
    } else if (row.state === "failed") {
      s.failed = row.n;
      s.lastFailedAt = row.last_done;
    } else if (row.state === "cancelled") s.cancelled = row.n;
  }
  for (const row of failures.rows as FailureRow[]) {
    const s = stats.get(row.name);
    if (s) s.lastError = row.message;
  }
  return [...stats.values()];
}

function emptyStats(name: string): JobStats {
  return { name, queued: 0, retrying: 0, active: 0, completed: 0, failed: 0, cancelled: 0, oldestQueuedAt: null, lastCompletedAt: null, lastFailedAt: null, lastError: null };
}
