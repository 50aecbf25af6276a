import { GraphError } from "./errors";
import { now, type ActiveThrottle, type SandboxState } from "./state";
import type { ThrottleSpec } from "./types";

/** Rate-limit accounting: usage headers that rise per call and throttle states (§7). */

export type UsageInfo = {
  appId: string;
  personaId?: string;
  adAccount?: string;
  pageId?: string;
  kind?: "ads_insights" | "ads_management" | "pages" | "instagram";
  pageToken?: boolean;
};

const HOUR = 3600_000;
const SCORE_WINDOW = 300_000;
const APP_BUDGET = 1000;
const QUOTA: Record<string, number> = { ads_management: 300, ads_insights: 600, pages: 4800, instagram: 4800 };
const SCORE_MAX = 60;
const TIER = "development_access";

function calls(s: SandboxState, key: string, windowMs: number): number[] {
  const t = now(s);
  const list = (s.world.usage[key] ?? []).filter((x) => t - x < Math.max(windowMs, HOUR));
  s.world.usage[key] = list;
  return list.filter((x) => t - x < windowMs);
}

export function recordCall(s: SandboxState, u: UsageInfo): void {
  const t = now(s);
  const keys = [`app:${u.appId}`];
  if (u.personaId) keys.push(`user:${u.personaId}`);
  if (u.adAccount) keys.push(`acct:${u.adAccount}:${u.kind ?? "ads_management"}`, `score:${u.adAccount}`);
  if (u.pageId) keys.push(`page:${u.pageId}`);
  for (const k of keys) (s.world.usage[k] ??= []).push(t);
}

// Rounded up so the very first call already shows a non-zero share, as Meta's headers do.
const pct = (n: number, budget: number) => Math.ceil((n * 100) / budget);

function activeThrottle(s: SandboxState, match: (t: ActiveThrottle) => boolean): ActiveThrottle | undefined {
  const t = now(s);
  s.world.throttles = s.world.throttles.filter((x) => x.until > t);
  return s.world.throttles.find(match);
}

const minutesLeft = (s: SandboxState, th: ActiveThrottle | undefined) => (th ? Math.max(1, Math.ceil((th.until - now(s)) / 60_000)) : 0);

export function usageHeaders(s: SandboxState, u: UsageInfo): Record<string, string> {
  const appThrottled = activeThrottle(s, (x) => x.scope === "app");
  const appPct = appThrottled ? 100 + pct(calls(s, `app:${u.appId}`, HOUR).length, APP_BUDGET) : pct(calls(s, `app:${u.appId}`, HOUR).length, APP_BUDGET);
  const headers: Record<string, string> = {
    "x-app-usage": JSON.stringify({ call_count: appPct, total_cputime: Math.round(appPct * 0.6), total_time: Math.round(appPct * 0.8) }),
  };
  const buc: Record<string, unknown[]> = {};
  const objectId = u.adAccount ?? u.pageId;
  if (objectId) {
    const type = u.kind ?? (u.adAccount ? "ads_management" : "pages");
    const th = activeThrottle(s, (x) => matches(x, u) && x.scope !== "app" && x.scope !== "user");
    const key = u.adAccount ? `acct:${u.adAccount}:${type}` : `page:${u.pageId}`;
    const used = pct(calls(s, key, HOUR).length, QUOTA[type] ?? 600);
    const callPct = th ? Math.max(100, used) : used;
    buc[objectId] = [
      {
        type,
        call_count: callPct,
        total_cputime: Math.round(callPct * 0.4),
        total_time: Math.round(callPct * 0.5),
        estimated_time_to_regain_access: minutesLeft(s, th),
        ads_api_access_tier: TIER,
      },
    ];
  }
  headers["x-business-use-case-usage"] = JSON.stringify(buc);
  const score = u.adAccount ? calls(s, `score:${u.adAccount}`, SCORE_WINDOW) : [];
  const accTh = u.adAccount ? activeThrottle(s, (x) => matches(x, u) && x.scope === "ad_account") : undefined;
  const accPct = accTh ? 100 : Math.round(((score.length * 100) / SCORE_MAX) * 100) / 100;
  const oldest = score[0];
  headers["x-ad-account-usage"] = JSON.stringify({
    acc_id_util_pct: accPct,
    reset_time_duration: oldest === undefined ? 0 : Math.max(0, Math.ceil((oldest + SCORE_WINDOW - now(s)) / 1000)),
    ads_api_access_tier: TIER,
  });
  if (u.kind === "ads_insights") {
    headers["x-fb-ads-insights-throttle"] = JSON.stringify({ app_id_util_pct: Math.min(appPct, 100), acc_id_util_pct: accPct, ads_api_access_tier: TIER });
  }
  return headers;
}

function matches(th: ThrottleSpec, u: UsageInfo): boolean {
  switch (th.scope) {
    case "app":
      return true;
    case "user":
      return !!u.personaId && (!th.objectId || th.objectId === u.personaId);
    case "ad_account":
    case "ads_management":
      return !!u.adAccount && (!th.objectId || th.objectId === u.adAccount);
    case "ads_insights":
      return u.kind === "ads_insights" && !!u.adAccount && (!th.objectId || th.objectId === u.adAccount);
    case "pages":
      return !!u.pageId && u.kind !== "instagram" && (!th.objectId || th.objectId === u.pageId);
    case "instagram":
      return !!u.pageId && u.kind === "instagram" && (!th.objectId || th.objectId === u.pageId);
  }
}

/** The error a throttled call gets (HTTP 400, never 429), or null. */
export function throttleError(s: SandboxState, u: UsageInfo): GraphError | null {
  const th = activeThrottle(s, (x) => matches(x, u));
  if (!th) return null;
  const ads = !!u.adAccount;
  const e = (code: number, message: string, subcode?: number) => new GraphError({ code, subcode, message, isTransient: true, status: 400 });
  switch (th.scope) {
    case "app":
      return e(4, "(#4) Application request limit reached", ads ? 1504022 : undefined);
    case "user":
      return e(17, "(#17) User request limit reached", ads ? 2446079 : undefined);
    case "ad_account":
      return e(613, "(#613) Calls to this api have exceeded the rate limit.", 1487742);
    case "ads_management":
      return e(
        80004,
        "(#80004) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-management.",
        2446079,
      );
    case "ads_insights":
      return e(
        80000,
        "(#80000) There have been too many calls from this ad-account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting#ads-insights.",
        2446079,
      );
    case "pages":
      return u.pageToken
        ? e(80001, "(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.")
        : e(32, "(#32) Page request limit reached");
    case "instagram":
      return e(80002, "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.");
  }
}

export function addThrottle(s: SandboxState, spec: ThrottleSpec): ActiveThrottle {
  const th: ActiveThrottle = { ...spec, until: now(s) + (spec.minutes ?? 5) * 60_000 };
  s.world.throttles.push(th);
  return th;
}

/** The usage headers of a call refused with a throttle code: the bucket that code names is full. */
export function saturatedUsage(s: SandboxState, u: UsageInfo, code: number): Record<string, string> {
  const headers = usageHeaders(s, u);
  const full = (n: unknown) => Math.max(100, Number(n) || 0);
  if (code === 4 || code === 17) {
    const app = JSON.parse(headers["x-app-usage"]!) as Record<string, number>;
    headers["x-app-usage"] = JSON.stringify({ ...app, call_count: full(app.call_count) });
  }
  const objectId = u.adAccount ?? u.pageId;
  if (objectId && code !== 4 && code !== 17) {
    const buc = JSON.parse(headers["x-business-use-case-usage"]!) as Record<string, Record<string, unknown>[]>;
    buc[objectId] = (buc[objectId] ?? []).map((e) => ({ ...e, call_count: full(e.call_count), estimated_time_to_regain_access: Math.max(1, Number(e.estimated_time_to_regain_access) || 0) }));
    headers["x-business-use-case-usage"] = JSON.stringify(buc);
  }
  if (u.adAccount && code === 613) {
    const acc = JSON.parse(headers["x-ad-account-usage"]!) as Record<string, unknown>;
    headers["x-ad-account-usage"] = JSON.stringify({ ...acc, acc_id_util_pct: 100 });
  }
  return headers;
}
