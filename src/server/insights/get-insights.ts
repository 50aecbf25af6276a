import "server-only";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { graphClientFromEnv, type GraphClient } from "@/server/integrations/facebook/client";
import { META_APP_LIMIT, metaAdAccountLimit } from "@/server/integrations/facebook/rate-limit-keys";
import { peakUsagePercent, retryAfterSeconds, type GraphUsage } from "@/server/integrations/facebook/usage-headers";
import { MetaApiError, MetaThrottleError, MetaTokenError, MetaTransientError } from "@/server/integrations/facebook/errors";
import { STATUS_LABELS } from "@/lib/connection-status";
import { computeConnectionStatus, STATUS_SELECT } from "@/server/connections/connection-status";
import { markConnectionFromError } from "@/server/connections/mark-connection-from-error";
import { readConnectionTokens } from "@/server/connections/read-connection-tokens";
import { logger } from "@/server/logger";
import { blockedUntil, holdUntil } from "@/server/rate-limits/shared-rate-limits";
import { dayCount, eachDay, localDate, presetRange, rangeProblem, type DateRange } from "@/lib/insights/date-range";
import { isTooMuchData, pollReportRun, readInsightsSync, readReportRun, runState, startReportRun } from "./fetch-insights";
import type { GraphInsightsRow } from "./graph-schema";
import { readCachedDays, staleSpan, writeDays } from "./insights-cache";
import { InsightsNeedsRelinkError, readyAnswer, runningAnswer, throttledNotice, unavailableNotice, type AccountInfo } from "./insights-response";
import { emptyDay, parseInsightsRow } from "./parse-insights-row";
import type { RangeInput } from "@/lib/insights/schema";
import { claimReportRun, findRunToJoin, recordRunFinished, recordRunStarted, releaseReportRun, type RunKey } from "./report-runs";
import type { InsightsResult } from "./types";

/**
 * Insights of one of the user's ad accounts for a range (docs/insights.md):
 * ownership → range in the account's zone → cache → (token from the vault → Meta) → cache → answer.
 *
 * Ranges longer than ASYNC_AFTER_DAYS (or refused by Meta as "too much data") go through an async
 * report run: the answer is `{ status: "running", runId, percent }` and the caller asks again (with
 * or without `runId`) until it is `ready`; a request for a range whose run is already going joins
 * it (report-runs.ts). Throttling and Meta outages never fail the request when anything is cached:
 * the cache is served with a notice. Throttles are shared by every app server through the database
 * (rate-limits/shared-rate-limits.ts). A dead token marks the connection (through connection
 * health's markConnectionFromError) and throws InsightsNeedsRelinkError.
 */
export type GetInsightsDeps = { graph?: GraphClient; now?: () => Date };
export type GetInsightsOptions = { force?: boolean; runId?: string; deps?: GetInsightsDeps };

/** Longer spans go async: daily rows for a quarter are exactly what Meta's async jobs are for. */
export const ASYNC_AFTER_DAYS = 31;
// When the panel asks again after a Meta outage.
const UNAVAILABLE_RETRY_MS = 60_000;
// Above this share of any Meta quota, the next requests for the account are served from the cache
// until Meta says it recovered (or a few minutes when it does not say).
const NEAR_LIMIT_PERCENT = 90;
const NEAR_LIMIT_PAUSE_SECONDS = 5 * 60;

async function ownedAdAccountOrThrow(db: Db, userId: string, adAccountId: string) {
  // The same account can be reachable through two of the user's connections: prefer the selected row.
  const row = await db.metaAdAccount.findFirst({
    where: { userId, adAccountId },
    orderBy: [{ isSelected: "desc" }, { syncedAt: "desc" }],
    select: {
      id: true,
      adAccountId: true,
      accountId: true,
      currency: true,
      timezoneName: true,
      connection: { select: { ...STATUS_SELECT, id: true, accountId: true } },
    },
  });
  if (!row) throw new AppError({ code: "NOT_FOUND", message: `No ad account ${adAccountId} among your linked accounts.`, field: "adAccountId" });
  return row;
}

// runId is absent while another request is starting the run at Meta.
type Fetched = { kind: "rows"; span: DateRange; rows: GraphInsightsRow[] } | { kind: "running"; runId?: string; percent: number };

async function followRun(db: Db, graph: GraphClient, token: string, runId: string, accountNumber: string, fallback: DateRange, now: Date): Promise<Fetched> {
  const run = await pollReportRun(graph, token, runId);
  // A run id from the query string must belong to this account, whatever the caller claims.
  if (run.account_id !== undefined && run.account_id !== accountNumber) {
    throw new AppError({ code: "NOT_FOUND", message: "No such report run for this ad account.", field: "runId" });
  }
  const state = runState(run);
  if (state === "failed") {
    await recordRunFinished(db, runId, "failed", now);
    throw new AppError({ code: "PROVIDER_ERROR", message: "Meta could not prepare this report.", hint: "Try a shorter date range, or Refresh." });
  }
  if (state === "running") return { kind: "running", runId, percent: run.async_percent_completion };
  const span = run.date_start && run.date_stop ? { since: run.date_start, until: run.date_stop } : fallback;
  const rows = await readReportRun(graph, token, runId);
  await recordRunFinished(db, runId, "completed", now);
  return { kind: "rows", span, rows };
}

type AccountRow = Awaited<ReturnType<typeof ownedAdAccountOrThrow>>;

async function fetchSpan(db: Db, graph: GraphClient, token: string, account: AccountRow, span: DateRange, now: Date): Promise<Fetched> {
  if (dayCount(span) <= ASYNC_AFTER_DAYS) {
    try {
      return { kind: "rows", span, rows: await readInsightsSync(graph, token, account.adAccountId, span) };
    } catch (error) {
      if (!isTooMuchData(error)) throw error;
    }
  }
  const key: RunKey = { adAccountRowId: account.id, span };
  const claim = await claimReportRun(db, key, now);
  if (!claim) {
    const joined = await findRunToJoin(db, key, now);
    if (joined && "runId" in joined) return followRun(db, graph, token, joined.runId, account.accountId, span, now);
    return { kind: "running", percent: 0 };
  }
  let runId: string;
  try {
    runId = await startReportRun(graph, token, account.adAccountId, span);
  } catch (error) {
    await releaseReportRun(db, claim, now);
    throw error;
  }
  await recordRunStarted(db, claim, runId, now);
  // One immediate look: small jobs are often done already.
  return followRun(db, graph, token, runId, account.accountId, span, now);
}

/** The share of the app-level budget (X-App-Usage) an answer reports: that budget is the whole app's. */
function appPercent(usage: GraphUsage): number {
  const app = usage.app;
  return app ? Math.max(app.call_count ?? 0, app.total_cputime ?? 0, app.total_time ?? 0) : 0;
}

export async function getInsights(db: Db, userId: string, adAccountId: string, range: RangeInput, opts: GetInsightsOptions = {}): Promise<InsightsResult> {
  const now = (opts.deps?.now ?? (() => new Date()))();
  const account = await ownedAdAccountOrThrow(db, userId, adAccountId);
  const timeZone = account.timezoneName;
  const info: AccountInfo = { adAccountId: account.adAccountId, currency: account.currency, timezone: timeZone };
  const today = localDate(timeZone, now);
  const resolved = "preset" in range ? presetRange(range.preset, today) : range.custom;
  const problem = rangeProblem(resolved, today);
  if (problem) throw new AppError({ code: "VALIDATION_ERROR", message: `${problem.field}: ${problem.message} (in the account's time zone, ${timeZone})`, field: problem.field });

  const cached = await readCachedDays(db, account.id, resolved);
  const span = opts.force ? resolved : staleSpan(cached, resolved, { now, today, timeZone });
  if (!span && !opts.runId) return readyAnswer(info, resolved, cached, "cache");

  const accountLimit = metaAdAccountLimit(account.adAccountId);
  const blocked = await blockedUntil(db, [META_APP_LIMIT, accountLimit], now);
  if (blocked) return readyAnswer(info, resolved, cached, "cache", throttledNotice(blocked, timeZone));

  const connection = account.connection;
  if (STATUS_LABELS[computeConnectionStatus(connection, { now, expiringDays: 0 }).verdict].broken) throw new InsightsNeedsRelinkError();
  // A token that no longer decrypts is recorded on the connection, which then shows "needs re-link".
  const token = (await readConnectionTokens(db, connection, now))?.accessToken;
  if (!token) throw new InsightsNeedsRelinkError();

  const graph = opts.deps?.graph ?? graphClientFromEnv();
  // Slow down before Meta throttles: remember the highest quota use its answers report.
  let pressure = { percent: 0, appPercent: 0, retryAfterSeconds: undefined as number | undefined };
  const stopListening = graph.onUsage((usage) => {
    const percent = peakUsagePercent(usage);
    if (percent > pressure.percent) pressure = { ...pressure, percent, retryAfterSeconds: retryAfterSeconds(usage) };
    pressure.appPercent = Math.max(pressure.appPercent, appPercent(usage));
  });
  try {
    const fetched = opts.runId
      ? await followRun(db, graph, token, opts.runId, account.accountId, span ?? resolved, now)
      : await fetchSpan(db, graph, token, account, span ?? resolved, now);
    if (fetched.kind === "running") return runningAnswer(info, resolved, fetched.runId, fetched.percent);

    const byDate = new Map(fetched.rows.map((row) => [row.date_start, parseInsightsRow(row)]));
    const days = eachDay(fetched.span).map((date) => byDate.get(date) ?? emptyDay(date));
    const currency = fetched.rows.find((r) => r.account_currency)?.account_currency ?? account.currency;
    await writeDays(db, { adAccountRowId: account.id, range: fetched.span, days, currency, fetchedAt: now });
    if (pressure.percent >= NEAR_LIMIT_PERCENT) {
      const retryAt = new Date(now.getTime() + (pressure.retryAfterSeconds ?? NEAR_LIMIT_PAUSE_SECONDS) * 1000);
      const hold = { now, reason: "near_limit", usagePercent: pressure.percent };
      await holdUntil(db, accountLimit, retryAt, hold);
      if (pressure.appPercent >= NEAR_LIMIT_PERCENT) await holdUntil(db, META_APP_LIMIT, retryAt, { ...hold, usagePercent: pressure.appPercent });
      logger.warn({ insights: { adAccountId, usagePercent: pressure.percent, pauseUntil: retryAt.toISOString() } }, "insights near Meta's rate limit; pausing");
    }
    return readyAnswer(info, resolved, await readCachedDays(db, account.id, resolved), "meta");
  } catch (error) {
    if (error instanceof MetaThrottleError) {
      const retryAt = new Date(now.getTime() + error.retryAfterSeconds * 1000);
      await holdUntil(db, accountLimit, retryAt, { now, reason: "throttled" });
      // Code 4 is the app's own limit: every account waits.
      if (error.metaCode === 4) await holdUntil(db, META_APP_LIMIT, retryAt, { now, reason: "throttled" });
      logger.warn({ insights: { adAccountId, metaCode: error.metaCode, retryAfterSeconds: error.retryAfterSeconds } }, "insights throttled; serving cache");
      return readyAnswer(info, resolved, cached, "cache", throttledNotice(retryAt, timeZone));
    }
    // Connection health decides what a Graph error means for the connection (token gone, permission revoked).
    if (error instanceof MetaApiError) await markConnectionFromError(db, { connectionId: connection.id, error, now });
    if (error instanceof MetaTokenError) throw new InsightsNeedsRelinkError(error);
    if (error instanceof MetaTransientError && cached.length > 0) {
      // Not booked like a throttle: the next request may simply try again.
      const retryAt = new Date(now.getTime() + UNAVAILABLE_RETRY_MS);
      return readyAnswer(info, resolved, cached, "cache", unavailableNotice(retryAt, timeZone));
    }
    throw error;
  } finally {
    stopListening();
  }
}
