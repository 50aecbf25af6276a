import { z } from "zod";
import { GraphError } from "./errors";
import { addDays, BREAKDOWNS } from "./insights-data";
import type { Params } from "./http";

/** Parsing and validating Ads Insights parameters (§11.1). */

export const INSIGHTS_FIELDS = new Set([
  "account_id",
  "account_name",
  "account_currency",
  "campaign_id",
  "campaign_name",
  "adset_id",
  "adset_name",
  "ad_id",
  "ad_name",
  "date_start",
  "date_stop",
  "spend",
  "impressions",
  "reach",
  "frequency",
  "clicks",
  "unique_clicks",
  "inline_link_clicks",
  "ctr",
  "cpc",
  "cpm",
  "cpp",
  "actions",
  "action_values",
  "conversions",
  "cost_per_action_type",
  "purchase_roas",
  "website_purchase_roas",
  "objective",
  "buying_type",
]);

export const DEFAULT_INSIGHTS_FIELDS = ["impressions", "spend", "date_start", "date_stop"];

export const DATE_PRESETS = [
  "today",
  "yesterday",
  "this_month",
  "last_month",
  "this_quarter",
  "last_quarter",
  "this_year",
  "last_year",
  "last_3d",
  "last_7d",
  "last_14d",
  "last_28d",
  "last_30d",
  "last_90d",
  "last_week_mon_sun",
  "last_week_sun_sat",
  "this_week_mon_today",
  "this_week_sun_today",
  "maximum",
  "data_maximum",
] as const;

export type InsightsQuery = {
  fields: string[];
  ranges: { since: string; until: string }[];
  increment: number | "monthly" | "all_days";
  level: "account" | "campaign" | "adset" | "ad";
  breakdowns: string[];
  windows: string[];
};

const invalid = (message: string) => new GraphError({ code: 100, message: `(#100) ${message}` });

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const timeRange = z.object({ since: dateString, until: dateString });

function json(raw: string, name: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw invalid(`${name} must be a valid JSON object`);
  }
}

const monthStart = (d: string) => `${d.slice(0, 7)}-01`;
const prevMonth = (d: string) => monthStart(addDays(monthStart(d), -1));
const quarterStart = (d: string) => `${d.slice(0, 4)}-${String(Math.floor((Number(d.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, "0")}-01`;

/** Inclusive [since, until] for a preset, relative to "today" in the account's time zone. */
export function presetRange(preset: string, today: string): { since: string; until: string } {
  const dow = new Date(`${today}T00:00:00Z`).getUTCDay();
  const sinceMon = (dow + 6) % 7;
  const lastN = /^last_(\d+)d$/.exec(preset);
  if (lastN) return { since: addDays(today, -Number(lastN[1])), until: addDays(today, -1) };
  switch (preset) {
    case "today":
      return { since: today, until: today };
    case "yesterday":
      return { since: addDays(today, -1), until: addDays(today, -1) };
    case "this_month":
      return { since: monthStart(today), until: today };
    case "last_month":
      return { since: prevMonth(today), until: addDays(monthStart(today), -1) };
    case "this_quarter":
      return { since: quarterStart(today), until: today };
    case "last_quarter": {
      const end = addDays(quarterStart(today), -1);
      return { since: quarterStart(end), until: end };
    }
    case "this_year":
      return { since: `${today.slice(0, 4)}-01-01`, until: today };
    case "last_year": {
      const y = Number(today.slice(0, 4)) - 1;
      return { since: `${y}-01-01`, until: `${y}-12-31` };
    }
    case "last_week_mon_sun":
      return { since: addDays(today, -sinceMon - 7), until: addDays(today, -sinceMon - 1) };
    case "last_week_sun_sat":
      return { since: addDays(today, -dow - 7), until: addDays(today, -dow - 1) };
    case "this_week_mon_today":
      return { since: addDays(today, -sinceMon), until: today };
    case "this_week_sun_today":
      return { since: addDays(today, -dow), until: today };
    default: {
      // maximum / data_maximum: about 37 months of history.
      const d = new Date(`${today}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() - 37);
      return { since: d.toISOString().slice(0, 10), until: today };
    }
  }
}

export function parseInsightsQuery(p: Params, today: string): InsightsQuery {
  const fields = p.fields ? p.fields.split(",").map((f) => f.trim()).filter(Boolean) : DEFAULT_INSIGHTS_FIELDS;
  for (const f of fields) {
    if (!INSIGHTS_FIELDS.has(f)) {
      throw invalid(`${f} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values`);
    }
  }
  let ranges: { since: string; until: string }[];
  if (p.time_ranges) {
    const parsed = z.array(timeRange).safeParse(json(p.time_ranges, "time_ranges"));
    if (!parsed.success) throw invalid("Param time_ranges must be an array of {since, until} objects");
    ranges = parsed.data;
  } else if (p.time_range) {
    const parsed = timeRange.safeParse(json(p.time_range, "time_range"));
    if (!parsed.success) throw invalid("Param time_range must be an object with since and until dates (YYYY-MM-DD)");
    ranges = [parsed.data];
  } else {
    const preset = p.date_preset ?? "last_30d";
    if (!(DATE_PRESETS as readonly string[]).includes(preset)) {
      throw invalid(`date_preset must be one of the following values: ${DATE_PRESETS.join(", ")}`);
    }
    ranges = [presetRange(preset, today)];
  }
  for (const r of ranges) {
    if (r.since > r.until) throw invalid("Param time_range has since after until");
  }
  let increment: InsightsQuery["increment"] = "all_days";
  if (p.time_increment && p.time_increment !== "all_days") {
    if (p.time_increment === "monthly") increment = "monthly";
    else {
      const n = Number(p.time_increment);
      if (!Number.isInteger(n) || n < 1 || n > 90) throw invalid("Param time_increment must be an integer between 1 and 90, monthly or all_days");
      increment = n;
    }
  }
  const level = (p.level ?? "account") as InsightsQuery["level"];
  if (!["account", "campaign", "adset", "ad"].includes(level)) throw invalid("level must be one of the following values: ad, adset, campaign, account");
  const breakdowns = p.breakdowns ? p.breakdowns.replace(/[[\]"]/g, "").split(",").map((b) => b.trim()).filter(Boolean) : [];
  breakdowns.forEach((b, i) => {
    if (!BREAKDOWNS[b]) throw invalid(`breakdowns[${i}] must be one of the following values: ${Object.keys(BREAKDOWNS).join(", ")}`);
  });
  const windows = p.action_attribution_windows ? p.action_attribution_windows.replace(/[[\]"]/g, "").split(",").filter(Boolean) : [];
  return { fields, ranges, increment, level, breakdowns, windows };
}

/** Date groups for time_increment (inclusive bounds). */
export function dateGroups(since: string, until: string, increment: InsightsQuery["increment"]): { start: string; stop: string }[] {
  if (increment === "all_days") return [{ start: since, stop: until }];
  const out: { start: string; stop: string }[] = [];
  let start = since;
  while (start <= until) {
    let stop: string;
    if (increment === "monthly") stop = addDays(`${addDays(`${start.slice(0, 7)}-28`, 4).slice(0, 7)}-01`, -1);
    else stop = addDays(start, increment - 1);
    if (stop > until) stop = until;
    out.push({ start, stop });
    start = addDays(stop, 1);
  }
  return out;
}
