"use client";

import { useEffect, useRef, useState } from "react";
import type { InsightsDay } from "@/server/insights/types";
import { formatDay, formatMetric, METRICS, type MetricKey } from "./format";

/**
 * Daily spend (bars, left scale) and one chosen metric (line, right scale) as inline SVG: two
 * series need no chart library. The SVG has an accessible name and a <title> per day, and the
 * table below carries the same numbers for screen readers.
 *
 * It is drawn at the width it is shown (one SVG unit = one CSS pixel), so axis labels keep their
 * 11 px on a phone instead of shrinking with the picture; date labels thin out to fit.
 */
const DEFAULT_WIDTH = 720;
const H = 220;
const PAD = { top: 12, right: 52, bottom: 28, left: 60 };
const MIN_LABEL_GAP = 64;

/** The element's content width, following resizes (the default until it is measured). */
function useWidth<T extends Element>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const n = x / p;
  return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
}

export function InsightsChart({ daily, metric, currency }: { daily: InsightsDay[]; metric: Exclude<MetricKey, "spend">; currency: string }) {
  const label = METRICS.find((m) => m.key === metric)?.label ?? metric;
  const { ref, width: W } = useWidth<HTMLElement>(DEFAULT_WIDTH);
  const innerW = Math.max(1, W - PAD.left - PAD.right);
  const innerH = H - PAD.top - PAD.bottom;
  const spendMax = niceMax(Math.max(0, ...daily.map((d) => d.spend)));
  const metricMax = niceMax(Math.max(0, ...daily.map((d) => d[metric] ?? 0)));
  const step = innerW / Math.max(1, daily.length);
  const barW = Math.max(1, Math.min(28, step * 0.7));
  const x = (i: number) => PAD.left + step * i + step / 2;
  const ySpend = (v: number) => PAD.top + innerH - (v / spendMax) * innerH;
  const yMetric = (v: number) => PAD.top + innerH - (v / metricMax) * innerH;
  const points = daily.flatMap((d, i) => (d[metric] === null ? [] : [`${x(i).toFixed(1)},${yMetric(d[metric] ?? 0).toFixed(1)}`]));
  // As many date labels as fit with room between them (at most 8), whatever the range length.
  const maxLabels = Math.max(2, Math.min(8, Math.floor(innerW / MIN_LABEL_GAP)));
  const labelEvery = Math.max(1, Math.ceil(daily.length / maxLabels));

  return (
    <figure ref={ref} className="space-y-2">
      <svg role="img" aria-label={`Daily spend and ${label}`} viewBox={`0 0 ${W} ${H}`} width={W} height={H} className="block max-w-full" data-testid="insights-chart">
        <title>{`Daily spend and ${label}`}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + innerH * (1 - f)} y2={PAD.top + innerH * (1 - f)} className="stroke-slate-200" />
            <text x={PAD.left - 6} y={PAD.top + innerH * (1 - f) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">
              {formatMetric("spend", spendMax * f, currency)}
            </text>
            <text x={W - PAD.right + 6} y={PAD.top + innerH * (1 - f) + 4} className="fill-indigo-600 text-[11px]">
              {formatMetric(metric, metricMax * f, currency)}
            </text>
          </g>
        ))}
        {daily.map((d, i) => (
          <rect key={d.date} x={x(i) - barW / 2} y={ySpend(d.spend)} width={barW} height={Math.max(0, PAD.top + innerH - ySpend(d.spend))} className="fill-sky-400" data-testid="spend-bar">
            <title>{`${formatDay(d.date)}: ${formatMetric("spend", d.spend, currency)} spend, ${formatMetric(metric, d[metric], currency)} ${label}`}</title>
          </rect>
        ))}
        {points.length > 1 && <polyline points={points.join(" ")} fill="none" className="stroke-indigo-600" strokeWidth={2} />}
        {points.length === 1 && <circle cx={points[0]!.split(",")[0]} cy={points[0]!.split(",")[1]} r={3} className="fill-indigo-600" />}
        {daily.map((d, i) =>
          i % labelEvery === 0 ? (
            <text key={d.date} x={x(i)} y={H - 8} textAnchor="middle" className="fill-slate-500 text-[11px]">
              {formatDay(d.date)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="flex gap-4 text-xs text-slate-600">
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block h-2 w-3 bg-sky-400" /> Spend (left)
        </span>
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block h-0.5 w-3 bg-indigo-600" /> {label} (right)
        </span>
      </figcaption>
    </figure>
  );
}
