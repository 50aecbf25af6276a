import "server-only";
import { z } from "zod";

/**
 * The Ads Insights shapes we read from Meta. Every number arrives as a STRING ("153.27"); metrics
 * Meta has nothing for are simply absent; action lists are `[{action_type, value}]` with extra
 * keys per attribution window (kept, not used).
 */

/** A decimal string as Meta sends it; refuses "", "NaN" and anything that is not a plain number. */
const numeric = z.string().regex(/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i, "must be a numeric string");

/** @link https://developers.facebook.com/docs/marketing-api/reference/ads-action-stats/ */
export const actionStatSchema = z.looseObject({ action_type: z.string(), value: numeric });
export type GraphActionStat = z.infer<typeof actionStatSchema>;

/** @link https://developers.facebook.com/docs/marketing-api/reference/adgroup/insights/ */
export const insightsRowSchema = z.looseObject({
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  date_stop: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  account_currency: z.string().optional(),
  spend: numeric.optional(),
  impressions: numeric.optional(),
  reach: numeric.optional(),
  clicks: numeric.optional(),
  ctr: numeric.optional(),
  cpc: numeric.optional(),
  cpm: numeric.optional(),
  actions: z.array(actionStatSchema).optional(),
  action_values: z.array(actionStatSchema).optional(),
  conversions: z.array(actionStatSchema).optional(),
  purchase_roas: z.array(actionStatSchema).optional(),
});
export type GraphInsightsRow = z.infer<typeof insightsRowSchema>;

/** @link https://developers.facebook.com/docs/marketing-api/insights/best-practices/#asynchronous */
export const reportRunCreatedSchema = z.object({ report_run_id: z.string().regex(/^\d+$/) });

/** @link https://developers.facebook.com/docs/marketing-api/reference/ad-report-run/ */
export const reportRunSchema = z.looseObject({
  id: z.string(),
  account_id: z.string().optional(),
  async_status: z.string(),
  async_percent_completion: z.number().min(0).max(100),
  date_start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  date_stop: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});
export type GraphReportRun = z.infer<typeof reportRunSchema>;

export const INSIGHTS_FIELDS = [
  "account_currency",
  "spend",
  "impressions",
  "reach",
  "clicks",
  "ctr",
  "cpc",
  "cpm",
  "actions",
  "action_values",
  "purchase_roas",
  "conversions",
].join(",");
