import type { Runtime } from "./profile";

/** Fixed-window call counters on the virtual clock (X: 75 calls per 15 minutes per user). */

export type RateVerdict = { limit: number; remaining: number; /** Unix seconds. */ reset: number; exceeded: boolean };

export function countCall(rt: Runtime, key: string, limit: number, windowMs: number): RateVerdict {
  const t = rt.now();
  let w = rt.s.rateWindows[key];
  if (!w || t >= w.start + windowMs) {
    w = { start: t, count: 0 };
    rt.s.rateWindows[key] = w;
  }
  const exceeded = w.count >= limit;
  if (!exceeded) w.count++;
  return { limit, remaining: limit - w.count, reset: Math.ceil((w.start + windowMs) / 1000), exceeded };
}
