import "server-only";
import { unwrap, type GraphClient } from "@/server/integrations/facebook/client";
import { MetaApiError } from "@/server/integrations/facebook/errors";
import type { DateRange } from "@/lib/insights/date-range";
import { INSIGHTS_FIELDS, insightsRowSchema, reportRunCreatedSchema, reportRunSchema, type GraphInsightsRow, type GraphReportRun } from "./graph-schema";

/**
 * The Graph calls of insights (reference §11): one synchronous read, or an async report run
 * (POST → report_run_id → poll → read its /insights). Always `time_range`, never `date_preset`:
 * the cache is keyed by concrete dates, and a preset Meta resolves a moment later (around
 * midnight in the account's zone) could name a different day than the one we store.
 */

/** Meta's "too much data" answer (code 100, subcode 1487534): the same query must go async. */
export const TOO_MUCH_DATA_SUBCODE = 1487534;

// Meta pages insights at 25 rows by default; a 31-day daily read then takes 2 round trips.
const PAGE_SIZE = "100";

function params(range: DateRange): Record<string, string> {
  return {
    level: "account",
    fields: INSIGHTS_FIELDS,
    time_increment: "1",
    time_range: JSON.stringify({ since: range.since, until: range.until }),
    limit: PAGE_SIZE,
  };
}

export function isTooMuchData(error: unknown): boolean {
  return error instanceof MetaApiError && error.metaSubcode === TOO_MUCH_DATA_SUBCODE;
}

export function readInsightsSync(graph: GraphClient, token: string, adAccountId: string, range: DateRange): Promise<GraphInsightsRow[]> {
  return graph.getAllPages(`${adAccountId}/insights`, insightsRowSchema, token, params(range));
}

/**
 * Starts an async run. The client exposes POST only inside a batch (a POST with a user token
 * otherwise has no typed helper yet); a one-item batch is one round trip all the same.
 */
export async function startReportRun(graph: GraphClient, token: string, adAccountId: string, range: DateRange): Promise<string> {
  const [created] = await graph.batch([{ method: "POST", path: `${adAccountId}/insights`, params: params(range), schema: reportRunCreatedSchema }] as const, token);
  return unwrap(created).report_run_id;
}

export function pollReportRun(graph: GraphClient, token: string, runId: string): Promise<GraphReportRun> {
  return graph.get(runId, reportRunSchema, token, { fields: "id,account_id,async_status,async_percent_completion,date_start,date_stop" });
}

export function readReportRun(graph: GraphClient, token: string, runId: string): Promise<GraphInsightsRow[]> {
  return graph.getAllPages(`${runId}/insights`, insightsRowSchema, token, { limit: "500" });
}

export type RunState = "running" | "completed" | "failed";

/** `async_status` → our three states (reference §11.3). */
export function runState(run: GraphReportRun): RunState {
  if (run.async_status === "Job Completed") return "completed";
  if (run.async_status === "Job Failed" || run.async_status === "Job Skipped") return "failed";
  return "running";
}
