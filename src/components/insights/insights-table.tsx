import type { InsightsReady } from "@/server/insights/types";
import { formatDay, formatMetric, METRICS } from "./format";

/** The same numbers by day, with the range totals in the footer (what the CSV downloads). */
export function InsightsTable({ data }: { data: InsightsReady }) {
  return (
    <div className="max-h-96 overflow-auto rounded-lg border border-slate-200">
      <table aria-label="Insights by day" className="w-full text-right text-sm tabular-nums">
        <thead className="sticky top-0 bg-slate-100 text-xs uppercase text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2 text-left">
              Date
            </th>
            {METRICS.map((m) => (
              <th key={m.key} scope="col" className="px-3 py-2">
                {m.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.daily.map((d) => (
            <tr key={d.date} className={`border-t border-slate-100 ${d.impressions === 0 ? "text-slate-400" : ""}`}>
              <th scope="row" className="px-3 py-1.5 text-left font-normal">
                {formatDay(d.date)}
              </th>
              {METRICS.map((m) => (
                <td key={m.key} className="px-3 py-1.5">
                  {formatMetric(m.key, d[m.key], data.currency)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t-2 border-slate-300 font-semibold">
          <tr>
            <th scope="row" className="px-3 py-2 text-left">
              Total
            </th>
            {METRICS.map((m) => (
              <td key={m.key} className="px-3 py-2">
                {formatMetric(m.key, data.totals[m.key], data.currency)}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
