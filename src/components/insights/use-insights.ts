"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { DatePreset } from "@/lib/insights/date-range";
import type { InsightsReady, InsightsResult, InsightsRunning } from "@/server/insights/types";

/**
 * Loads `/api/meta/insights` for one account and range. Large ranges answer
 * `{ status: "running", runId, percent }`: the hook asks again with `runId` after `pollAfterMs`
 * until the answer is ready (without one, the same request joins the run another request started). A stale-data notice schedules one more (unforced) load at its
 * `retryAt`, so "retrying at HH:MM" is what actually happens.
 */
export type RangeChoice = { preset: DatePreset } | { since: string; until: string };
export type InsightsError = { code: string; message: string; hint?: string };

type State = { data: InsightsReady | null; running: InsightsRunning | null; loading: boolean; error: InsightsError | null };

function queryString(adAccountId: string, range: RangeChoice, o: { force?: boolean; runId?: string }) {
  const q = new URLSearchParams({ adAccountId });
  if ("preset" in range) q.set("datePreset", range.preset);
  else {
    q.set("since", range.since);
    q.set("until", range.until);
  }
  if (o.force) q.set("refresh", "1");
  if (o.runId) q.set("runId", o.runId);
  return q.toString();
}

export function useInsights(adAccountId: string, range: RangeChoice) {
  const [state, setState] = useState<State>({ data: null, running: null, loading: true, error: null });
  const ticket = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The timers call the latest `load` through this ref (a callback cannot name itself).
  const again = useRef<(o?: { runId?: string }) => void>(() => {});
  const rangeKey = JSON.stringify(range);

  /** Drops every answer still on its way and every scheduled retry. */
  const invalidate = useCallback(() => {
    ticket.current++;
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const load = useCallback(
    async (o: { force?: boolean; runId?: string } = {}) => {
      invalidate();
      const mine = ticket.current;
      if (!o.runId) setState((s) => ({ ...s, loading: true, error: null }));
      try {
        const response = await fetch(`/api/meta/insights?${queryString(adAccountId, JSON.parse(rangeKey) as RangeChoice, o)}`);
        const body = (await response.json().catch(() => null)) as InsightsResult | { error: InsightsError } | null;
        if (mine !== ticket.current) return; // a newer request superseded this one
        if (!response.ok || !body || "error" in body) {
          const error = body && "error" in body ? body.error : { code: "INTERNAL_ERROR", message: `Request failed (${response.status}).` };
          setState((s) => ({ ...s, loading: false, running: null, error }));
          return;
        }
        if (body.status === "running") {
          setState((s) => ({ ...s, loading: true, running: body }));
          timer.current = setTimeout(() => again.current({ runId: body.runId }), body.pollAfterMs);
          return;
        }
        setState({ data: body, running: null, loading: false, error: null });
        if (body.notice) {
          const wait = Math.max(5_000, Date.parse(body.notice.retryAt) - Date.now());
          timer.current = setTimeout(() => again.current(), wait);
        }
      } catch {
        if (mine === ticket.current) setState((s) => ({ ...s, loading: false, running: null, error: { code: "NETWORK", message: "Could not reach Linkboard.", hint: "Check your connection and try again." } }));
      }
    },
    [adAccountId, rangeKey, invalidate],
  );

  useEffect(() => {
    again.current = (o) => void load(o);
    // Kick off on the next tick: a quick preset change (or strict mode's double mount) costs one request.
    const start = setTimeout(() => void load(), 0);
    return () => {
      clearTimeout(start);
      invalidate();
    };
  }, [load, invalidate]);

  return { ...state, refresh: () => void load({ force: true }) };
}
