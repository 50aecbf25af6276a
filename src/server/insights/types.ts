import "server-only";
/**
 * What `GET /api/meta/insights` answers (docs/insights.md). Types only, so the panel can import
 * them without pulling server code into the browser bundle.
 *
 * Money (`spend`, `cpc`, `cpm`) is in MAJOR units of `currency` (Meta's insights convention,
 * unlike ad-account money fields). Ratios are null when undefined (no clicks → no CPC).
 */
export type InsightsMetrics = {
  spend: number;
  impressions: number;
  /** Per day: people reached that day. In totals: the sum of daily reach (people reached on several days count more than once). */
  reach: number;
  clicks: number;
  /** Percent: clicks / impressions × 100. */
  ctr: number | null;
  cpc: number | null;
  /** Per 1,000 impressions. */
  cpm: number | null;
  /** Purchases + leads + registrations (see action-types.ts). */
  conversions: number;
  /** Purchase value / spend. */
  purchaseRoas: number | null;
};

export type InsightsDay = InsightsMetrics & { date: string };

export type InsightsNotice = {
  code: "throttled" | "unavailable";
  message: string;
  /** When we will ask Meta again (ISO time). */
  retryAt: string;
};

export type InsightsReady = {
  status: "ready";
  adAccountId: string;
  currency: string;
  timezone: string;
  range: { since: string; until: string };
  totals: InsightsMetrics;
  daily: InsightsDay[];
  /** Oldest fetch among the days shown; null when nothing was ever fetched (throttled before the first fetch). */
  fetchedAt: string | null;
  source: "cache" | "meta";
  notice?: InsightsNotice;
};

/**
 * A large range is being prepared by Meta: ask again (with `runId`, or without: a request for the
 * same range joins the run in flight) until it is ready. `runId` is absent while another request
 * is starting the run.
 */
export type InsightsRunning = {
  status: "running";
  adAccountId: string;
  currency: string;
  timezone: string;
  range: { since: string; until: string };
  runId?: string;
  percent: number;
  /** Suggested wait before asking again. */
  pollAfterMs: number;
};

export type InsightsResult = InsightsReady | InsightsRunning;
