import type { InsightsReady } from "@/server/insights/types";

/**
 * The table as CSV, built in the browser from the answer already on screen (no second request,
 * so the file always matches what the panel shows). Plain numbers, dot decimals, no currency
 * symbols: spreadsheets parse them as numbers. The last row is the same totals as the tiles.
 */
/** Money columns carry the account's currency in their name (`spend_EUR`): the cells are bare numbers. */
export function csvColumns(currency: string): string[] {
  return ["date", `spend_${currency}`, "impressions", "reach", "clicks", "ctr_percent", `cpc_${currency}`, `cpm_${currency}`, "conversions", "purchase_roas"];
}

type Metrics = InsightsReady["totals"];
const cell = (v: number | null) => (v === null ? "" : String(v));
const line = (label: string, m: Metrics) =>
  [label, m.spend, m.impressions, m.reach, m.clicks, m.ctr, m.cpc, m.cpm, m.conversions, m.purchaseRoas].map((v) => (typeof v === "string" ? v : cell(v))).join(",");

export function insightsCsv(data: InsightsReady): string {
  const rows = data.daily.map((d) => line(d.date, d));
  // "total" in the date column: a reader filtering on dates skips it.
  return [csvColumns(data.currency).join(","), ...rows, line("total", data.totals)].join("\r\n") + "\r\n";
}

export function csvFileName(data: InsightsReady): string {
  return `insights-${data.adAccountId}-${data.range.since}-to-${data.range.until}.csv`;
}

/** Starts a download of `text` (a Blob URL on a temporary link). */
export function downloadText(name: string, text: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoke on the next tick: some browsers start reading the Blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
