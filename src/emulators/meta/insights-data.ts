import { ZERO_DECIMAL, type AccountProfile } from "./ad-account-data";
import { rand } from "./seeded";

/** Synthetic, deterministic delivery: one record per account per day, split by level/breakdowns. */

export type Metrics = {
  spend: number;
  impressions: number;
  reach: number;
  clicks: number;
  linkClicks: number;
  landingPageViews: number;
  addToCart: number;
  purchases: number;
  purchaseValue: number;
};

const ZERO: Metrics = { spend: 0, impressions: 0, reach: 0, clicks: 0, linkClicks: 0, landingPageViews: 0, addToCart: 0, purchases: 0, purchaseValue: 0 };

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400_000);
}

/** One account-day, or null on a zero-delivery day (Graph then returns no row). */
export function dayMetrics(seed: number, prof: AccountProfile, date: string): Metrics | null {
  if (prof.deliveryRate <= 0) return null;
  if (Date.parse(`${date}T23:59:59Z`) < prof.createdAt) return null;
  const k = prof.number;
  if (rand(seed, "deliv", k, date) > prof.deliveryRate) return null;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 0.75 : 1;
  const spend = prof.dailySpend * (0.4 + rand(seed, "spend", k, date) * 1.2) * weekend;
  const yen = ZERO_DECIMAL.has(prof.currency) ? 150 : 1;
  const cpm = (3 + rand(seed, "cpm", k, date) * 12) * yen;
  const impressions = Math.max(1, Math.round((spend / cpm) * 1000));
  const reach = Math.max(1, Math.round(impressions / (1.1 + rand(seed, "freq", k, date) * 0.5)));
  const clicks = Math.round(impressions * (0.008 + rand(seed, "ctr", k, date) * 0.017));
  const linkClicks = Math.round(clicks * (0.7 + rand(seed, "lc", k, date) * 0.2));
  const landingPageViews = Math.round(linkClicks * (0.6 + rand(seed, "lpv", k, date) * 0.25));
  const addToCart = Math.round(landingPageViews * (0.06 + rand(seed, "atc", k, date) * 0.08));
  const purchases = Math.round(addToCart * (0.2 + rand(seed, "pur", k, date) * 0.3));
  const aov = (30 + rand(seed, "aov", k, date) * 90) * yen;
  return { spend, impressions, reach, clicks, linkClicks, landingPageViews, addToCart, purchases, purchaseValue: purchases * aov };
}

export function sumMetrics(days: Metrics[]): Metrics {
  const out = { ...ZERO };
  let maxReach = 0;
  for (const d of days) {
    for (const key of Object.keys(out) as (keyof Metrics)[]) out[key] += d[key];
    maxReach = Math.max(maxReach, d.reach);
  }
  // People reached on several days count once: approximate de-duplication.
  if (days.length > 1) out.reach = Math.max(maxReach, Math.round(out.reach * 0.78));
  return out;
}

export function scale(m: Metrics, w: number): Metrics {
  const r = (x: number) => Math.round(x * w);
  return {
    spend: m.spend * w,
    impressions: r(m.impressions),
    reach: r(m.reach),
    clicks: r(m.clicks),
    linkClicks: r(m.linkClicks),
    landingPageViews: r(m.landingPageViews),
    addToCart: r(m.addToCart),
    purchases: r(m.purchases),
    purchaseValue: m.purchaseValue * w,
  };
}

export const BREAKDOWNS: Record<string, { values: string[]; weights: number[] }> = {
  age: { values: ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], weights: [0.14, 0.3, 0.24, 0.16, 0.1, 0.06] },
  gender: { values: ["female", "male", "unknown"], weights: [0.52, 0.45, 0.03] },
  country: { values: ["US", "DE", "GB", "FR", "JP"], weights: [0.4, 0.2, 0.15, 0.15, 0.1] },
  region: { values: ["California", "Texas", "Bavaria", "England", "Tokyo"], weights: [0.3, 0.2, 0.2, 0.2, 0.1] },
  publisher_platform: { values: ["facebook", "instagram", "audience_network", "messenger"], weights: [0.55, 0.38, 0.05, 0.02] },
  platform_position: { values: ["feed", "story", "reels", "instream_video"], weights: [0.5, 0.25, 0.2, 0.05] },
  device_platform: { values: ["mobile_app", "mobile_web", "desktop"], weights: [0.78, 0.12, 0.1] },
  impression_device: { values: ["iphone", "android_smartphone", "desktop", "ipad"], weights: [0.45, 0.35, 0.15, 0.05] },
};

export type Slice = { weight: number; columns: Record<string, string> };

/** Cartesian product of the requested breakdowns with multiplied weights. */
export function breakdownSlices(names: string[]): Slice[] {
  let slices: Slice[] = [{ weight: 1, columns: {} }];
  for (const name of names) {
    const b = BREAKDOWNS[name];
    if (!b) continue;
    slices = slices.flatMap((sl) => b.values.map((v, i) => ({ weight: sl.weight * (b.weights[i] ?? 0), columns: { ...sl.columns, [name]: v } })));
  }
  return slices;
}

export type Entity = { weight: number; columns: Record<string, string> };

const CAMPAIGNS = ["Prospecting – Broad", "Retargeting – 30d", "Brand Awareness"];

/** Campaign/ad set/ad split of an account's delivery for `level`. */
export function levelEntities(prof: AccountProfile, level: string): Entity[] {
  const base = prof.number.slice(-8);
  const campaigns = CAMPAIGNS.map((name, c) => ({
    weight: [0.5, 0.3, 0.2][c] ?? 0,
    columns: { campaign_id: `2385${base}${c + 1}`, campaign_name: name },
  }));
  if (level === "campaign") return campaigns;
  const adsets = campaigns.flatMap((c, ci) =>
    [0.6, 0.4].map((w, a) => ({
      weight: c.weight * w,
      columns: { ...c.columns, adset_id: `2386${base}${ci + 1}${a + 1}`, adset_name: `${c.columns.campaign_name} / Ad set ${a + 1}` },
    })),
  );
  if (level === "adset") return adsets;
  if (level === "ad") {
    return adsets.flatMap((s) =>
      [0.55, 0.45].map((w, d) => ({
        weight: s.weight * w,
        columns: { ...s.columns, ad_id: `2387${s.columns.adset_id!.slice(4)}${d + 1}`, ad_name: `Creative ${d + 1}` },
      })),
    );
  }
  return [{ weight: 1, columns: {} }];
}
