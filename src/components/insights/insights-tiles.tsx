import type { InsightsReady } from "@/server/insights/types";
import { formatMetric, METRICS } from "./format";

/** KPI tiles: one labelled group per metric, so tests and screen readers find "Spend" by name. */
export function InsightsTiles({ data }: { data: InsightsReady }) {
  return (
    <ul aria-label="Key metrics" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {METRICS.map((m) => (
        <li key={m.key} role="group" aria-label={m.label} className="rounded-lg border border-slate-200 bg-slate-50 px-3 py-2">
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{m.label}</p>
          <p className="mt-1 text-lg font-semibold tabular-nums" data-testid={`tile-${m.key}`}>
            {formatMetric(m.key, data.totals[m.key], data.currency)}
          </p>
        </li>
      ))}
    </ul>
  );
}
