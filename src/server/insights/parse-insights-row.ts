import "server-only";
import { countConversions, firstPresent, PURCHASE_ROAS_TYPES, PURCHASE_VALUE_TYPES, type ActionEntry } from "./action-types";
import type { GraphActionStat, GraphInsightsRow } from "./graph-schema";
import type { InsightsDay, InsightsMetrics } from "./types";

/**
 * One Graph insights row (strings) → one day of numbers. Missing metrics become 0 for counts and
 * are derived (or null) for ratios, so a day Meta sent with only `spend` and `impressions` still
 * adds up. `purchaseValue` is kept alongside so range totals can compute ROAS as Σvalue / Σspend
 * (averaging daily ROAS would weight a €1 day like a €1,000 day).
 */
export type ParsedDay = InsightsDay & {
  purchaseValue: number;
  /** Meta's action arrays as received, for later re-interpretation without a refetch. */
  rawActions: RawActions | null;
};

export type RawActions = Partial<Record<"actions" | "action_values" | "conversions" | "purchase_roas", GraphActionStat[]>>;

const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
const entries = (list: GraphActionStat[] | undefined): ActionEntry[] => (list ?? []).map((e) => ({ action_type: e.action_type, value: Number(e.value) }));

export function ratio(numerator: number, denominator: number, scale = 1): number | null {
  return denominator > 0 ? (numerator / denominator) * scale : null;
}

export function parseInsightsRow(row: GraphInsightsRow): ParsedDay {
  const spend = num(row.spend) ?? 0;
  const impressions = num(row.impressions) ?? 0;
  const clicks = num(row.clicks) ?? 0;
  const actions = entries(row.actions);
  // `conversions` (Meta's own field) only when the actions list carries none of our types.
  const conversions = countConversions(actions) ?? countConversions(entries(row.conversions)) ?? 0;
  const metaRoas = firstPresent(entries(row.purchase_roas), PURCHASE_ROAS_TYPES);
  const value = firstPresent(entries(row.action_values), PURCHASE_VALUE_TYPES);
  const purchaseValue = value ?? (metaRoas !== undefined ? metaRoas * spend : 0);
  const raw: RawActions = {};
  for (const key of ["actions", "action_values", "conversions", "purchase_roas"] as const) if (row[key]) raw[key] = row[key];
  return {
    date: row.date_start,
    spend,
    impressions,
    reach: num(row.reach) ?? 0,
    clicks,
    ctr: num(row.ctr) ?? ratio(clicks, impressions, 100),
    cpc: num(row.cpc) ?? ratio(spend, clicks),
    cpm: num(row.cpm) ?? ratio(spend, impressions, 1000),
    conversions,
    purchaseRoas: metaRoas ?? ratio(purchaseValue, spend),
    purchaseValue,
    rawActions: Object.keys(raw).length > 0 ? raw : null,
  };
}

/** A day Meta sent no row for: nothing was delivered. */
export function emptyDay(date: string): ParsedDay {
  return { date, spend: 0, impressions: 0, reach: 0, clicks: 0, ctr: null, cpc: null, cpm: null, conversions: 0, purchaseRoas: null, purchaseValue: 0, rawActions: null };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundOrNull = (x: number | null, digits: number) => (x === null ? null : round(x, digits));

/** Range totals from days: sums, then ratios recomputed from the sums. */
export function totalsOf(days: readonly ParsedDay[]): InsightsMetrics {
  const sum = (pick: (d: ParsedDay) => number) => days.reduce((n, d) => n + pick(d), 0);
  const spend = sum((d) => d.spend);
  const impressions = sum((d) => d.impressions);
  const clicks = sum((d) => d.clicks);
  const value = sum((d) => d.purchaseValue);
  return {
    // Float sums of 2-decimal amounts drift (0.1 + 0.2); money is shown to the cent at most.
    spend: round(spend, 2),
    impressions,
    reach: sum((d) => d.reach),
    clicks,
    ctr: roundOrNull(ratio(clicks, impressions, 100), 6),
    cpc: roundOrNull(ratio(spend, clicks), 6),
    cpm: roundOrNull(ratio(spend, impressions, 1000), 6),
    conversions: round(sum((d) => d.conversions), 2),
    purchaseRoas: roundOrNull(ratio(value, spend), 6),
  };
}

/** The public shape of a day (drops the cache-only fields). */
export function publicDay(d: ParsedDay): InsightsDay {
  return { date: d.date, spend: d.spend, impressions: d.impressions, reach: d.reach, clicks: d.clicks, ctr: d.ctr, cpc: d.cpc, cpm: d.cpm, conversions: d.conversions, purchaseRoas: d.purchaseRoas };
}
