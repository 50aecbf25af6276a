import { z } from "zod";
import { DATE_PRESETS, isValidDate, localDate, rangeProblem, type DatePreset, type DateRange } from "./date-range";

/**
 * The insights query (`GET /api/meta/insights`), shared by the route and the panel.
 * Either `datePreset` or `since` + `until` (default: last 7 days). `refresh=1` forces a fetch;
 * `runId` continues an async report run the previous answer started (docs/insights.md).
 *
 * "Not in the future" depends on the ad account's time zone, which this schema does not know: it
 * refuses dates after today in the time zone furthest ahead (UTC+14), and getInsights checks again
 * with the account's own zone.
 */
export const DATE_PRESET_LABELS: Record<DatePreset, string> = {
  today: "Today",
  yesterday: "Yesterday",
  last_7d: "Last 7 days",
  last_14d: "Last 14 days",
  last_30d: "Last 30 days",
  this_month: "This month",
  last_month: "Last month",
};

export const DEFAULT_PRESET: DatePreset = "last_7d";

// The earliest-running and latest-running calendars on Earth.
const AHEAD_ZONE = "Pacific/Kiritimati";

const date = z.string().refine(isValidDate, "must be a date as YYYY-MM-DD");

export type RangeInput = { preset: DatePreset } | { custom: DateRange };

export function insightsQuerySchema(now: () => Date = () => new Date()) {
  return z
    .strictObject({
      adAccountId: z.string().regex(/^act_\d{1,20}$/, 'must be an ad account id like "act_1234567890"'),
      datePreset: z.enum(DATE_PRESETS).optional(),
      since: date.optional(),
      until: date.optional(),
      refresh: z.enum(["0", "1", "true", "false"]).optional(),
      runId: z.string().regex(/^\d{1,30}$/, "must be a report run id").optional(),
    })
    .superRefine((q, ctx) => {
      const custom = q.since !== undefined || q.until !== undefined;
      if (custom && q.datePreset) {
        ctx.addIssue({ code: "custom", path: ["datePreset"], message: "give either datePreset or since/until, not both" });
        return;
      }
      if (!custom) return;
      if (q.since === undefined || q.until === undefined) {
        ctx.addIssue({ code: "custom", path: [q.since === undefined ? "since" : "until"], message: "since and until go together" });
        return;
      }
      const problem = rangeProblem({ since: q.since, until: q.until }, localDate(AHEAD_ZONE, now()));
      if (problem) ctx.addIssue({ code: "custom", path: [problem.field], message: problem.message });
    })
    .transform((q) => ({
      adAccountId: q.adAccountId,
      range: (q.since && q.until ? { custom: { since: q.since, until: q.until } } : { preset: q.datePreset ?? DEFAULT_PRESET }) as RangeInput,
      force: q.refresh === "1" || q.refresh === "true",
      runId: q.runId,
    }));
}

export const insightsQuery = insightsQuerySchema();
export type InsightsQuery = z.output<typeof insightsQuery>;
