"use client";

import { useState } from "react";
import { DATE_PRESETS } from "@/lib/insights/date-range";
import { DATE_PRESET_LABELS } from "@/lib/insights/schema";
import type { RangeChoice } from "./use-insights";

/**
 * Preset buttons plus "Custom range" (two date inputs and Apply). The server validates the range
 * again in the account's time zone; the inputs' min/max only spare the user a round trip.
 */
export function RangePicker({ value, onChange, today }: { value: RangeChoice; onChange: (next: RangeChoice) => void; today: string }) {
  const [customOpen, setCustomOpen] = useState(!("preset" in value));
  const [since, setSince] = useState("preset" in value ? "" : value.since);
  const [until, setUntil] = useState("preset" in value ? "" : value.until);
  const invalid = !since || !until || since > until;
  const pressed = (preset: string) => !customOpen && "preset" in value && value.preset === preset;

  return (
    <div className="space-y-2">
      <div role="group" aria-label="Date range" className="flex flex-wrap gap-1.5">
        {DATE_PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            aria-pressed={pressed(preset)}
            onClick={() => {
              setCustomOpen(false);
              onChange({ preset });
            }}
            className="rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 aria-pressed:border-slate-900 aria-pressed:bg-slate-900 aria-pressed:text-white"
          >
            {DATE_PRESET_LABELS[preset]}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={customOpen}
          aria-expanded={customOpen}
          onClick={() => setCustomOpen(true)}
          className="rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 aria-pressed:border-slate-900 aria-pressed:bg-slate-900 aria-pressed:text-white"
        >
          Custom range
        </button>
      </div>
      {customOpen && (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (!invalid) onChange({ since, until });
          }}
        >
          <label className="text-sm">
            <span className="block text-slate-600">From</span>
            <input type="date" value={since} max={until || today} onChange={(e) => setSince(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <label className="text-sm">
            <span className="block text-slate-600">To</span>
            <input type="date" value={until} min={since || undefined} max={today} onChange={(e) => setUntil(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <button type="submit" disabled={invalid} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-40">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
