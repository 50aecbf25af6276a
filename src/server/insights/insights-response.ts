import "server-only";
import { AppError } from "@/server/errors";
import type { DateRange } from "@/lib/insights/date-range";
import type { CachedDay } from "./insights-cache";
import { publicDay, totalsOf } from "./parse-insights-row";
import type { InsightsNotice, InsightsReady, InsightsRunning } from "./types";

/** Building the answers of getInsights (shapes in ./types.ts). */

export type AccountInfo = { adAccountId: string; currency: string; timezone: string };

/**
 * Only days we hold are listed: after a fetch that is every day of the range (zeros included);
 * when Meta throttled before some days were ever fetched, those days are left out rather than
 * shown as "no delivery".
 */
/** What every answer starts with: the account and the range it is about. */
function answerHead(account: AccountInfo, range: DateRange) {
  return { adAccountId: account.adAccountId, currency: account.currency, timezone: account.timezone, range: { since: range.since, until: range.until } };
}

export function readyAnswer(account: AccountInfo, range: DateRange, days: CachedDay[], source: "cache" | "meta", notice?: InsightsNotice): InsightsReady {
  const inRange = days.filter((d) => d.date >= range.since && d.date <= range.until).sort((a, b) => a.date.localeCompare(b.date));
  const oldest = inRange.reduce<Date | null>((min, d) => (min === null || d.fetchedAt < min ? d.fetchedAt : min), null);
  return {
    status: "ready",
    ...answerHead(account, range),
    totals: totalsOf(inRange),
    daily: inRange.map(publicDay),
    fetchedAt: oldest ? oldest.toISOString() : null,
    source,
    ...(notice ? { notice } : {}),
  };
}

export function runningAnswer(account: AccountInfo, range: DateRange, runId: string | undefined, percent: number): InsightsRunning {
  return {
    status: "running",
    ...answerHead(account, range),
    ...(runId ? { runId } : {}),
    percent: Math.max(0, Math.min(100, Math.round(percent))),
    // Meta's jobs take seconds to minutes; every 2 s keeps the bar moving without burning quota.
    pollAfterMs: 2000,
  };
}

function clock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

/** The message names the time in the account's zone; the panel re-renders `retryAt` in the viewer's. */
export function throttledNotice(retryAt: Date, timeZone: string): InsightsNotice {
  return {
    code: "throttled",
    message: `Data may be stale, Meta asked us to slow down — retrying at ${clock(retryAt, timeZone)}`,
    retryAt: retryAt.toISOString(),
  };
}

export function unavailableNotice(retryAt: Date, timeZone: string): InsightsNotice {
  return {
    code: "unavailable",
    message: `Data may be stale, Meta is not answering right now — retrying at ${clock(retryAt, timeZone)}`,
    retryAt: retryAt.toISOString(),
  };
}

/** What the panel shows as "Reconnect Facebook to see insights" (it keys on the code). */
export class InsightsNeedsRelinkError extends AppError {
  constructor(cause?: unknown) {
    super({
      code: "MISSING_PREREQUISITE",
      message: "Reconnect Facebook to see insights.",
      hint: "Facebook no longer accepts this connection. Reconnect it in Settings → Connections.",
      cause,
    });
    this.name = "InsightsNeedsRelinkError";
  }
}
