import "server-only";
import type { Clock } from "@/server/clock";
import type { SharedPause } from "@/server/rate-limits/shared-rate-limits";
import { parseUsageHeaders, retryAfterSeconds, type GraphUsage } from "./usage-headers";

/**
 * Back-off from Meta's usage headers (reference §7), shared by every request of one sweep.
 * Each answer — the HTTP response and every batch item's own `headers` — is read; when usage
 * nears the limit the gate closes before Meta throttles us, and when Meta says
 * `estimated_time_to_regain_access` the gate stays closed that long. Requests wait at the gate
 * through an injected clock, so tests advance a fake clock instead of sleeping.
 *
 * With a `shared` pause (the database's rate-limit record), a full stop — a throttle, or usage at
 * 95 % — is written there for every other process, and the gate also waits for stops that other
 * processes wrote. The short slow-down pauses stay local: they pace this sweep only.
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

export function createUsageGate(clock: Clock, shared?: SharedPause) {
  let resumeAt = 0;
  let waitedMs = 0;
  let requests = 0;
  let peakPressure = 0;
  let sharedStatements = 0;
  // A full stop not yet written to the shared record (written at the next pass).
  let toShare: { until: number; reason: string; usagePercent?: number } | null = null;

  function holdFor(ms: number, share?: { reason: string; usagePercent?: number }) {
    if (ms <= 0) return;
    const until = clock.now().getTime() + ms;
    resumeAt = Math.max(resumeAt, until);
    if (share && until > (toShare?.until ?? 0)) toShare = { until, ...share };
  }

  /** Writes a pending full stop to the shared record (at once after an answer; a throttle error at the next pass). */
  async function share() {
    if (!shared || !toShare) return;
    const { until, ...detail } = toShare;
    toShare = null;
    sharedStatements += await shared.hold(until, { now: clock.now(), ...detail });
  }

  function observe(usage: GraphUsage) {
    const pct = usagePressure(usage);
    peakPressure = Math.max(peakPressure, pct);
    const ms = pauseFor(usage);
    holdFor(ms, ms >= STOP_PAUSE_MS ? { reason: "near_limit", usagePercent: pct } : undefined);
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
        await share();
        return response;
      };
    },
    /** A throttle answer: closed for at least what Meta said. */
    throttled(retryAfterSec: number) {
      holdFor(Math.max(retryAfterSec * 1000, 1000), { reason: "throttled" });
    },
    /** Waits until the gate (and the shared budget) is open; returns the milliseconds waited. */
    async pass(): Promise<number> {
      if (shared) {
        await share();
        resumeAt = Math.max(resumeAt, await shared.resumeAt(clock.now()));
        sharedStatements++;
      }
      const ms = resumeAt - clock.now().getTime();
      if (ms <= 0) return 0;
      await clock.sleep(ms);
      waitedMs += ms;
      return ms;
    },
    stats: () => ({ requests, waitedMs, peakPressure, sharedStatements }),
  };
}

export type UsageGate = ReturnType<typeof createUsageGate>;
