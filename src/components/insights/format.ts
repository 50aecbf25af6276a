import type { InsightsMetrics } from "@/server/insights/types";

/**
 * Number formatting for the insights panel. Money is formatted in the AD ACCOUNT's currency
 * (Intl knows each currency's minor unit: JPY shows no decimals, EUR two). One fixed locale so
 * the tiles, the table and the CSV agree wherever the viewer is.
 */
const LOCALE = "en-US";

export type MetricKey = keyof InsightsMetrics;

export const METRICS: { key: MetricKey; label: string; kind: "money" | "count" | "percent" | "ratio" }[] = [
  { key: "spend", label: "Spend", kind: "money" },
  { key: "impressions", label: "Impressions", kind: "count" },
  { key: "reach", label: "Reach", kind: "count" },
  { key: "clicks", label: "Clicks", kind: "count" },
  { key: "ctr", label: "CTR", kind: "percent" },
  { key: "cpc", label: "CPC", kind: "money" },
  { key: "cpm", label: "CPM", kind: "money" },
  { key: "conversions", label: "Conversions", kind: "count" },
  { key: "purchaseRoas", label: "ROAS", kind: "ratio" },
];

const cache = new Map<string, Intl.NumberFormat>();
function fmt(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

export function formatMoney(value: number, currency: string): string {
  try {
    return fmt(`money:${currency}`, () => new Intl.NumberFormat(LOCALE, { style: "currency", currency })).format(value);
  } catch {
    // An ISO code Intl does not know: the number and the code, rather than nothing.
    return `${value.toFixed(2)} ${currency}`;
  }
}

export function formatMetric(key: MetricKey, value: number | null, currency: string): string {
  if (value === null) return "—";
  const kind = METRICS.find((m) => m.key === key)?.kind ?? "count";
  switch (kind) {
    case "money":
      return formatMoney(value, currency);
    case "percent":
      return `${fmt("pct", () => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2, minimumFractionDigits: 2 })).format(value)}%`;
    case "ratio":
      return `${fmt("ratio", () => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2, minimumFractionDigits: 2 })).format(value)}×`;
    case "count":
      return fmt("count", () => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 })).format(value);
  }
}

/** "Nov 21" for a YYYY-MM-DD day (the day is the account's; no time zone shift). */
const DAY = new Intl.DateTimeFormat(LOCALE, { month: "short", day: "numeric", timeZone: "UTC" });
export function formatDay(date: string): string {
  return DAY.format(new Date(`${date}T00:00:00Z`));
}

/** HH:MM in the viewer's own time zone. */
export function formatClock(iso: string): string {
  return new Date(iso).toLocaleTimeString(LOCALE, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}
