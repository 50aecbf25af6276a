"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { localDate } from "@/lib/insights/date-range";
import { DEFAULT_PRESET } from "@/lib/insights/schema";
import { csvFileName, downloadText, insightsCsv } from "./csv";
import { formatClock, formatDay, METRICS, type MetricKey } from "./format";
import { InsightsChart } from "./insights-chart";
import { InsightsTable } from "./insights-table";
import { InsightsTiles } from "./insights-tiles";
import { RangePicker } from "./range-picker";
import { useInsights, type RangeChoice } from "./use-insights";

/**
 * Insights of the selected ad account: range presets, KPI tiles, a daily chart, a table by day,
 * Refresh and Download CSV. Data comes from GET /api/meta/insights (docs/insights.md).
 * `status` is the account's status ("ACTIVE", "DISABLED", …) and only shapes the empty state.
 */
export type InsightsPanelProps = { adAccountId: string; currency: string; status: string };

const CHART_METRICS = METRICS.filter((m) => m.key !== "spend") as { key: Exclude<MetricKey, "spend">; label: string }[];

function Skeleton() {
  return (
    <div aria-hidden className="animate-pulse space-y-4" data-testid="insights-skeleton">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {METRICS.map((m) => (
          <div key={m.key} className="h-16 rounded-lg bg-slate-100" />
        ))}
      </div>
      <div className="h-48 rounded-lg bg-slate-100" />
      <div className="h-32 rounded-lg bg-slate-100" />
    </div>
  );
}

export function InsightsPanel({ adAccountId, currency, status }: InsightsPanelProps) {
  const [range, setRange] = useState<RangeChoice>({ preset: DEFAULT_PRESET });
  const [metric, setMetric] = useState<Exclude<MetricKey, "spend">>("purchaseRoas");
  const metricId = useId();
  const { data, running, loading, error, refresh } = useInsights(adAccountId, range);
  const shown = data && data.adAccountId === adAccountId ? data : null;
  const today = localDate(shown?.timezone ?? "UTC", new Date());
  const noDelivery = shown !== null && shown.fetchedAt !== null && shown.totals.impressions === 0 && shown.totals.spend === 0;

  return (
    <section aria-label="Insights" aria-busy={loading} className="space-y-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-lg font-semibold">Insights</h2>
        <div className="flex gap-2">
          <button type="button" onClick={refresh} disabled={loading} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-50">
            Refresh
          </button>
          <button
            type="button"
            disabled={!shown || shown.daily.length === 0}
            onClick={() => shown && downloadText(csvFileName(shown), insightsCsv(shown))}
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-40"
          >
            Download CSV
          </button>
        </div>
      </div>

      <RangePicker value={range} onChange={setRange} today={today} />

      {shown && (
        <p className="text-sm text-slate-600" data-testid="insights-range">
          {formatDay(shown.range.since)} – {formatDay(shown.range.until)} · {shown.currency} · {shown.timezone}
          {shown.fetchedAt && ` · updated ${formatClock(shown.fetchedAt)}`}
        </p>
      )}

      {running && (
        <div className="space-y-1" role="status" aria-label="Report progress">
          <p className="text-sm text-slate-700">Meta is preparing this report… {running.percent}%</p>
          <div role="progressbar" aria-label="Preparing report" aria-valuemin={0} aria-valuemax={100} aria-valuenow={running.percent} className="h-2 overflow-hidden rounded bg-slate-100">
            <div className="h-full bg-sky-500 transition-all" style={{ width: `${running.percent}%` }} />
          </div>
        </div>
      )}

      {error?.code === "MISSING_PREREQUISITE" ? (
        <div role="alert" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">
          <p className="font-medium">Reconnect Facebook to see insights</p>
          <p className="mt-1 text-sm">
            {error.hint ?? "Facebook no longer accepts this connection."}{" "}
            <Link href="/settings/connections" className="font-medium underline">
              Go to connections
            </Link>
          </p>
        </div>
      ) : error ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-red-900">
          <p className="font-medium">{error.message}</p>
          {error.hint && <p className="mt-1 text-sm">{error.hint}</p>}
        </div>
      ) : null}

      {shown?.notice && (
        <p role="status" aria-label="Stale data notice" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
          {shown.notice.code === "throttled" ? "Data may be stale, Meta asked us to slow down" : "Data may be stale, Meta is not answering right now"} — retrying at{" "}
          {formatClock(shown.notice.retryAt)}
        </p>
      )}

      {!shown && loading && !error && <Skeleton />}

      {shown && shown.fetchedAt === null && (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-600">No insights loaded yet for this range.</p>
      )}

      {noDelivery && (
        <div className="rounded-lg border border-dashed border-slate-300 p-6 text-center" data-testid="insights-empty">
          <p className="font-medium">No delivery in this period</p>
          <p className="mt-1 text-sm text-slate-600">
            {status !== "ACTIVE"
              ? `This account is ${status.toLowerCase().replace(/_/g, " ")}: it cannot run ads, so there is nothing to report.`
              : "No ads ran on these days. Try a longer range."}
          </p>
        </div>
      )}

      {shown && shown.fetchedAt !== null && !noDelivery && (
        <div className={`space-y-4 ${loading ? "opacity-60" : ""}`}>
          <InsightsTiles data={shown} />
          <div className="space-y-2">
            <div className="flex items-center gap-2 text-sm">
              <label htmlFor={metricId} className="text-slate-600">
                Metric
              </label>
              <select id={metricId} value={metric} onChange={(e) => setMetric(e.target.value as typeof metric)} className="rounded-md border border-slate-300 px-2 py-1">
                {CHART_METRICS.map((m) => (
                  <option key={m.key} value={m.key}>
                    {m.label}
                  </option>
                ))}
              </select>
            </div>
            <InsightsChart daily={shown.daily} metric={metric} currency={shown.currency || currency} />
          </div>
          <InsightsTable data={shown} />
        </div>
      )}
    </section>
  );
}
