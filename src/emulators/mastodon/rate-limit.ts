import { ApiError } from "./responses";
import { now, type Srv } from "./state";

/**
 * rack-attack's throttles: windows aligned to the clock (a 5-minute window resets at :00, :05…),
 * headers for the limit closest to exhaustion, the reset as ISO 8601 with microseconds.
 */

export type Verdict = { limit: number; remaining: number; resetAt: number; exceeded: boolean };

const MIN5 = 5 * 60_000;
export const LIMITS = {
  perToken: { limit: 300, periodMs: MIN5 },
  perAccount: { limit: 1500, periodMs: MIN5 },
  perIp: { limit: 300, periodMs: MIN5 },
  statuses: { limit: 300, periodMs: 3 * 3600_000 },
} as const;

export function count(srv: Srv, key: string, rule: { limit: number; periodMs: number }): Verdict {
  const t = now(srv);
  const start = Math.floor(t / rule.periodMs) * rule.periodMs;
  let w = srv.s.rateWindows[key];
  if (!w || w.start !== start) {
    w = { start, count: 0 };
    srv.s.rateWindows[key] = w;
  }
  w.count++;
  for (const [k, x] of Object.entries(srv.s.rateWindows)) if (x.start < start - 86_400_000) delete srv.s.rateWindows[k];
  return { limit: rule.limit, remaining: Math.max(0, rule.limit - w.count), resetAt: start + rule.periodMs, exceeded: w.count > rule.limit };
}

export const isoMicros = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export function rateHeaders(verdicts: Verdict[]): Record<string, string> {
  const v = [...verdicts].sort((a, b) => a.remaining - b.remaining)[0];
  if (!v) return {};
  return { "x-ratelimit-limit": String(v.limit), "x-ratelimit-remaining": String(v.remaining), "x-ratelimit-reset": isoMicros(v.resetAt) };
}

export function tooMany(verdicts: Verdict[]): ApiError {
  return new ApiError(429, "Too many requests", rateHeaders(verdicts));
}
