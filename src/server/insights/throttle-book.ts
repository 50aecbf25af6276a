import "server-only";
/**
 * When Meta throttled an ad account, until when we leave it alone. Meta's Business-Use-Case
 * limits are per ad account and shared by every user of our app, so the book is keyed by the
 * `act_` id, not by user. It lives in memory (one app process owns the embedded database; a
 * restart forgets a few minutes of back-off, which Meta will simply repeat).
 */
export type ThrottleBook = {
  blockedUntil(adAccountId: string, now: Date): Date | null;
  block(adAccountId: string, until: Date): void;
};

export function createThrottleBook(): ThrottleBook {
  const until = new Map<string, number>();
  return {
    blockedUntil(adAccountId, now) {
      const t = until.get(adAccountId);
      if (t === undefined) return null;
      if (t <= now.getTime()) {
        until.delete(adAccountId);
        return null;
      }
      return new Date(t);
    },
    block(adAccountId, at) {
      until.set(adAccountId, Math.max(at.getTime(), until.get(adAccountId) ?? 0));
    },
  };
}

// On globalThis: Next gives route bundles separate module state.
const holder = globalThis as unknown as { __linkboardInsightsThrottles?: ThrottleBook };

export function processThrottleBook(): ThrottleBook {
  holder.__linkboardInsightsThrottles ??= createThrottleBook();
  return holder.__linkboardInsightsThrottles;
}
