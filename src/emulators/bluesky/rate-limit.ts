import { XrpcError } from "./errors";
import { DAY, HOUR, now, type Runtime } from "./state";
import type { Ctx } from "./xrpc";

/**
 * Fixed windows on the virtual clock, starting at the first counted request. Responses describe
 * the limit with the fewest points left (IETF draft headers, reset in epoch seconds).
 */

export type Policy = { limit: number; windowMs: number };
export type Verdict = Policy & { remaining: number; resetAt: number; exceeded: boolean };

const MIN5 = 5 * 60_000;
export const POLICIES = {
  global: { limit: 3000, windowMs: MIN5 },
  loginShort: { limit: 30, windowMs: MIN5 },
  loginDaily: { limit: 300, windowMs: DAY },
  writesHourly: { limit: 5000, windowMs: HOUR },
  writesDaily: { limit: 35_000, windowMs: DAY },
} as const;

export function consume(rt: Runtime, key: string, policy: Policy, points = 1): Verdict {
  const t = now(rt);
  let w = rt.s.rateWindows[key];
  if (!w || t >= w.start + policy.windowMs) {
    w = { start: t, count: 0 };
    rt.s.rateWindows[key] = w;
  }
  w.count += points;
  return { ...policy, remaining: Math.max(0, policy.limit - w.count), resetAt: w.start + policy.windowMs, exceeded: w.count > policy.limit };
}

export function pruneWindows(rt: Runtime): void {
  const t = now(rt);
  for (const [k, w] of Object.entries(rt.s.rateWindows)) if (t >= w.start + DAY) delete rt.s.rateWindows[k];
}

export function rateHeaders(verdicts: Verdict[]): Record<string, string> {
  const tightest = [...verdicts].sort((a, b) => a.remaining - b.remaining)[0];
  if (!tightest) return {};
  return {
    "RateLimit-Limit": String(tightest.limit),
    "RateLimit-Remaining": String(tightest.remaining),
    "RateLimit-Reset": String(Math.ceil(tightest.resetAt / 1000)),
    "RateLimit-Policy": `${tightest.limit};w=${tightest.windowMs / 1000}`,
  };
}

/** Count verdicts into the call; the first exceeded one becomes a 429. */
export function enforce(ctx: Ctx, ...verdicts: Verdict[]): void {
  ctx.verdicts.push(...verdicts);
  const over = verdicts.find((v) => v.exceeded);
  if (over) {
    const retry = Math.max(1, Math.ceil((over.resetAt - now(ctx.rt)) / 1000));
    throw new XrpcError(429, "RateLimitExceeded", "Rate Limit Exceeded", { "Retry-After": String(retry) });
  }
}

/** createSession: per identifier + client IP; failed logins count too. */
export function consumeLogin(ctx: Ctx, identifier: string): void {
  const key = `${identifier}|${ctx.ip}`;
  enforce(ctx, consume(ctx.rt, `login5m|${key}`, POLICIES.loginShort), consume(ctx.rt, `loginDay|${key}`, POLICIES.loginDaily));
}

/** Repository writes per account: create 3 points, update 2, delete 1. */
export function consumeWrite(ctx: Ctx, did: string, points: number): void {
  enforce(ctx, consume(ctx.rt, `writesH|${did}`, POLICIES.writesHourly, points), consume(ctx.rt, `writesD|${did}`, POLICIES.writesDaily, points));
}
