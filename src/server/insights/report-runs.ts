import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import type { DateRange } from "@/lib/insights/date-range";

/**
 * In-flight async report runs, one per ad-account row and date range, in the database: a reload,
 * a second tab or another app server asking for the same range joins the run that is already
 * going instead of starting a second Meta job (docs/insights.md, "Async report runs").
 *
 * Starting is a claim on the key — a conditional insert, else a conditional update of a row whose
 * run is over or stale — so exactly one asker starts a run even when several ask at once, on
 * PostgreSQL and on the embedded database. Times come from the caller's clock.
 */
export type RunKey = { adAccountRowId: string; span: DateRange };

/** What an asker that did not win the claim joins: a run Meta is preparing, or one being started right now. */
export type JoinedRun = { runId: string } | { starting: true };

// A starter that died between the claim and Meta's answer frees the key after this.
const STARTING_STALE_MS = 2 * 60_000;
// Meta's jobs can take up to an hour (reference §11.3); a run older than that is started again.
const RUNNING_STALE_MS = 60 * 60_000;
// Finished runs are kept a week (ops can see what ran), then deleted when the next one is claimed.
const FORGET_AFTER_MS = 7 * 86_400_000;

const keyWhere = (k: RunKey) => ({ adAccountRowId: k.adAccountRowId, since: k.span.since, until: k.span.until });
const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);

/** The claim token when this asker must start the run, else null (someone else is on it). */
export async function claimReportRun(db: Db, key: RunKey, now: Date): Promise<string | null> {
  const claim = randomUUID();
  const data = { status: "starting", claim, runId: null, startedAt: now, updatedAt: now };
  const created = await db.insightsReportRun.createMany({ data: [{ ...keyWhere(key), ...data }], skipDuplicates: true });
  if (created.count === 1) {
    await db.insightsReportRun.deleteMany({ where: { updatedAt: { lt: ago(now, FORGET_AFTER_MS) } } });
    return claim;
  }
  const taken = await db.insightsReportRun.updateMany({
    where: {
      ...keyWhere(key),
      OR: [
        { status: { in: ["completed", "failed"] } },
        { status: "starting", updatedAt: { lt: ago(now, STARTING_STALE_MS) } },
        { status: "running", startedAt: { lt: ago(now, RUNNING_STALE_MS) } },
      ],
    },
    data,
  });
  return taken.count === 1 ? claim : null;
}

/** The run to join for a key someone else claimed (null: it finished in the meantime). */
export async function findRunToJoin(db: Db, key: RunKey, now: Date): Promise<JoinedRun | null> {
  const row = await db.insightsReportRun.findUnique({ where: { adAccountRowId_since_until: keyWhere(key) }, select: { status: true, runId: true, startedAt: true } });
  if (!row) return null;
  if (row.status === "starting") return { starting: true };
  if (row.status === "running" && row.runId && row.startedAt >= ago(now, RUNNING_STALE_MS)) return { runId: row.runId };
  return null;
}

export async function recordRunStarted(db: Db, claim: string, runId: string, now: Date): Promise<void> {
  await db.insightsReportRun.updateMany({ where: { claim, status: "starting" }, data: { status: "running", runId, updatedAt: now } });
}

/** Meta refused to start it: the next asker may try again at once. */
export async function releaseReportRun(db: Db, claim: string, now: Date): Promise<void> {
  await db.insightsReportRun.updateMany({ where: { claim, status: "starting" }, data: { status: "failed", updatedAt: now } });
}

export async function recordRunFinished(db: Db, runId: string, status: "completed" | "failed", now: Date): Promise<void> {
  await db.insightsReportRun.updateMany({ where: { runId, status: "running" }, data: { status, updatedAt: now } });
}
