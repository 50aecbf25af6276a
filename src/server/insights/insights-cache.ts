import "server-only";
import type { Prisma } from "@prisma/client";
import type { Db } from "@/server/db";
import { eachDay, localDate, type DateRange } from "@/lib/insights/date-range";
import type { ParsedDay } from "./parse-insights-row";

/**
 * The daily cache (table meta_insights_daily, docs/insights.md "Caching"). One row per ad-account
 * row and date, zero-delivery days included.
 *
 * Freshness, per day, in the account's time zone:
 *   - today: 15 minutes (Meta is still counting);
 *   - earlier days: 24 hours (Meta keeps revising recent days: late conversions, invalid clicks);
 *   - a day fetched while it was still "today" is stale as soon as it is over — its row only
 *     holds part of the day, whatever its age.
 */
export const TODAY_TTL_MS = 15 * 60_000;
export const PAST_TTL_MS = 24 * 3600_000;

export type CachedDay = ParsedDay & { fetchedAt: Date; currency: string };

const toDate = (d: string) => new Date(`${d}T00:00:00Z`);

export function isFresh(day: { date: string; fetchedAt: Date }, o: { now: Date; today: string; timeZone: string }): boolean {
  const age = o.now.getTime() - day.fetchedAt.getTime();
  if (day.date >= o.today) return age < TODAY_TTL_MS;
  if (localDate(o.timeZone, day.fetchedAt) <= day.date) return false;
  return age < PAST_TTL_MS;
}

export async function readCachedDays(db: Db, adAccountRowId: string, range: DateRange): Promise<CachedDay[]> {
  const rows = await db.metaInsightsDay.findMany({
    where: { adAccountRowId, date: { gte: toDate(range.since), lte: toDate(range.until) } },
    orderBy: { date: "asc" },
  });
  return rows.map((r) => ({
    date: r.date.toISOString().slice(0, 10),
    spend: r.spend,
    impressions: r.impressions,
    reach: r.reach,
    clicks: r.clicks,
    ctr: r.ctr,
    cpc: r.cpc,
    cpm: r.cpm,
    conversions: r.conversions,
    purchaseValue: r.purchaseValue,
    purchaseRoas: r.purchaseRoas,
    rawActions: (r.rawActions ?? null) as ParsedDay["rawActions"],
    fetchedAt: r.fetchedAt,
    currency: r.currency,
  }));
}

/** Days of `range` with no row, or a stale one: the span to fetch is their min..max. */
export function staleSpan(cached: readonly CachedDay[], range: DateRange, o: { now: Date; today: string; timeZone: string }): DateRange | null {
  const byDate = new Map(cached.map((d) => [d.date, d]));
  const stale = eachDay(range).filter((date) => {
    const hit = byDate.get(date);
    return !hit || !isFresh(hit, o);
  });
  if (stale.length === 0) return null;
  return { since: stale[0]!, until: stale[stale.length - 1]! };
}

/**
 * Replaces the rows of `range` with `days` (every date of the range, zeros where Meta sent none)
 * in one transaction: readers see the old days or the new ones, never a mix.
 */
export async function writeDays(db: Db, o: { adAccountRowId: string; range: DateRange; days: ParsedDay[]; currency: string; fetchedAt: Date }) {
  const data = o.days.map((d) => ({
    adAccountRowId: o.adAccountRowId,
    date: toDate(d.date),
    spend: d.spend,
    impressions: d.impressions,
    reach: d.reach,
    clicks: d.clicks,
    ctr: d.ctr,
    cpc: d.cpc,
    cpm: d.cpm,
    conversions: d.conversions,
    purchaseValue: d.purchaseValue,
    purchaseRoas: d.purchaseRoas,
    rawActions: (d.rawActions ?? undefined) as Prisma.InputJsonValue | undefined,
    currency: o.currency,
    fetchedAt: o.fetchedAt,
  }));
  await db.$transaction([
    db.metaInsightsDay.deleteMany({ where: { adAccountRowId: o.adAccountRowId, date: { gte: toDate(o.range.since), lte: toDate(o.range.until) } } }),
    // A concurrent refresh of the same days may have written first; either answer is fresh.
    db.metaInsightsDay.createMany({ data, skipDuplicates: true }),
  ]);
}
