import "server-only";
import type { Clock } from "@/server/clock";
import { parseUsageHeaders, retryAfterSeconds, type GraphUsage } from "./usage-headers";

/**
 * Back-off from Meta's usage headers (reference §7), shared by every request of one sweep.
 * Each answer — the HTTP response and every batch item's own `headers` — is read; when usage
 * nears the limit the gate closes before Meta throttles us, and when Meta says
 * `estimated_time_to_regain_access` the gate stays closed that long. Requests wait at the gate
 * through an injected clock, so tests advance a fake clock instead of sleeping.
 */

// Percent of quota: above SLOW a short pause between requests, above STOP a full pause (Airbyte
// waits at least a minute once any value passes 95 %).
const SLOW_PCT = 75;
const STOP_PCT = 95;
const SLOW_PAUSE_MS = 10_000;
const STOP_PAUSE_MS = 60_000;

export function usagePressure(usage: GraphUsage): number {
  let pct = 0;
  if (usage.app) pct = Math.max(pct, usage.app.call_count ?? 0, usage.app.total_cputime ?? 0, usage.app.total_time ?? 0);
  for (const entries of Object.values(usage.business ?? {})) {
    for (const e of entries) pct = Math.max(pct, e.call_count ?? 0, e.total_cputime ?? 0, e.total_time ?? 0);
  }
  if (usage.adAccount) pct = Math.max(pct, usage.adAccount.acc_id_util_pct ?? 0);
  return pct;
}

/** How long to hold off after seeing this usage (0 = go on). */
export function pauseFor(usage: GraphUsage): number {
  const regainMs = (retryAfterSeconds(usage) ?? 0) * 1000;
  const pct = usagePressure(usage);
  if (regainMs > 0 || pct >= STOP_PCT) return Math.max(regainMs, STOP_PAUSE_MS);
  if (pct >= SLOW_PCT) return SLOW_PAUSE_MS;
  return 0;
}

const batchItemsHeaders = (body: unknown): { name: string; value: string }[][] =>
  Array.isArray(body)
    ? body.flatMap((item) => (item && typeof item === "object" && Array.isArray((item as { headers?: unknown }).headers) ? [(item as { headers: { name: string; value: string }[] }).headers] : []))
    : [];

export function createUsageGate(clock: Clock) {
  let resumeAt = 0;
  let waitedMs = 0;
  let requests = 0;
  let peakPressure = 0;

  function holdFor(ms: number) {
    if (ms > 0) resumeAt = Math.max(resumeAt, clock.now().getTime() + ms);
  }

  function observe(usage: GraphUsage) {
    peakPressure = Math.max(peakPressure, usagePressure(usage));
    holdFor(pauseFor(usage));
  }

  return {
    /** A fetch for the Graph client that counts requests and reads every usage header it sees. */
    wrap(next: typeof fetch): typeof fetch {
      return async (input, init) => {
        requests++;
        const response = await next(input, init);
        observe(parseUsageHeaders(response.headers));
        if (response.ok && (response.headers.get("content-type") ?? "").includes("json")) {
          try {
            for (const headers of batchItemsHeaders(await response.clone().json())) observe(parseUsageHeaders(headers));
          } catch {
            // Not JSON after all: the client reports that; the gate only reads what it can.
          }
        }
        return response;
      };
    },
    /** A throttle answer: closed for at least what Meta said. */
    throttled(retryAfterSec: number) {
      holdFor(Math.max(retryAfterSec * 1000, 1000));
    },
    /** Waits until the gate is open; returns the milliseconds waited. */
    async pass(): Promise<number> {
      const ms = resumeAt - clock.now().getTime();
      if (ms <= 0) return 0;
      await clock.sleep(ms);
      waitedMs += ms;
      return ms;
    },
    stats: () => ({ requests, waitedMs, peakPressure }),
  };
}

export type UsageGate = ReturnType<typeof createUsageGate>;
