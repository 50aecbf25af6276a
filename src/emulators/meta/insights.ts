import { accountProfile, ZERO_DECIMAL, type AccountProfile } from "./ad-account-data";
import { objectNotFound, unknownPath, GraphError, catalogError } from "./errors";
import type { Ctx, RouteResult } from "./context";
import { parseFields, project } from "./fields";
import { breakdownSlices, dayMetrics, levelEntities, sumMetrics, scale, addDays, type Metrics } from "./insights-data";
import { dateGroups, parseInsightsQuery, type InsightsQuery } from "./insights-query";
import { NODE_TYPES } from "./node-types";
import { paginate } from "./paging";
import type { Persona } from "./personas";
import { resolveAdAccount } from "./routes-ads";
import { findPersona, nextSeq, now, type ReportRun, type SandboxState } from "./state";
import { digits } from "./seeded";

/** /act_{id}/insights (sync GET, async POST) and /{report_run_id}[/insights] (§11). */

const SYNC_ROW_LIMIT = 5000;
const ASYNC_ROW_LIMIT = 200_000;

export function localToday(zone: string, at: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at));
}

type Row = Record<string, unknown>;

function formatRow(prof: AccountProfile, m: Metrics, q: InsightsQuery, columns: Record<string, string>, start: string, stop: string): Row {
  const zero = ZERO_DECIMAL.has(prof.currency);
  const money = (x: number) => (zero ? String(Math.round(x)) : x.toFixed(2));
  const ratio = (x: number) => x.toFixed(6);
  const withWindows = (value: number) => {
    const entry: Record<string, string> = {};
    const share: Record<string, number> = { "1d_click": 0.6, "7d_click": 0.85, "28d_click": 1, "1d_view": 0.15, "1d_ev": 0.05, dda: 0.9, default: 1 };
    for (const w of q.windows) entry[w] = String(Math.round(value * (share[w] ?? 1)));
    return entry;
  };
  const counts: [string, number][] = [
    ["link_click", m.linkClicks],
    ["landing_page_view", m.landingPageViews],
    ["offsite_conversion.fb_pixel_add_to_cart", m.addToCart],
    ["offsite_conversion.fb_pixel_purchase", m.purchases],
    ["purchase", m.purchases],
    ["omni_purchase", m.purchases],
  ];
  const purchaseTypes = ["offsite_conversion.fb_pixel_purchase", "purchase", "omni_purchase"];
  const nonEmpty = <T>(xs: T[]) => (xs.length > 0 ? xs : undefined);
  const values: Record<string, () => unknown> = {
    account_id: () => prof.number,
    account_name: () => prof.name,
    account_currency: () => prof.currency,
    spend: () => money(m.spend),
    impressions: () => String(m.impressions),
    reach: () => String(m.reach),
    frequency: () => ratio(m.impressions / Math.max(1, m.reach)),
    clicks: () => String(m.clicks),
    unique_clicks: () => String(Math.round(m.clicks * 0.88)),
    inline_link_clicks: () => String(m.linkClicks),
    ctr: () => ratio((m.clicks / Math.max(1, m.impressions)) * 100),
    cpc: () => (m.clicks > 0 ? ratio(m.spend / m.clicks) : undefined),
    cpm: () => ratio((m.spend / Math.max(1, m.impressions)) * 1000),
    cpp: () => ratio((m.spend / Math.max(1, m.reach)) * 1000),
    actions: () => nonEmpty(counts.filter(([, v]) => v > 0).map(([t, v]) => ({ action_type: t, value: String(v), ...withWindows(v) }))),
    action_values: () =>
      nonEmpty(m.purchases > 0 ? purchaseTypes.map((t) => ({ action_type: t, value: money(m.purchaseValue) })) : []),
    conversions: () => nonEmpty(m.purchases > 0 ? [{ action_type: "offsite_conversion.fb_pixel_purchase", value: String(m.purchases) }] : []),
    cost_per_action_type: () => nonEmpty(counts.filter(([, v]) => v > 0).map(([t, v]) => ({ action_type: t, value: ratio(m.spend / v) }))),
    purchase_roas: () => nonEmpty(m.purchases > 0 && m.spend > 0 ? [{ action_type: "omni_purchase", value: ratio(m.purchaseValue / m.spend) }] : []),
    website_purchase_roas: () =>
      nonEmpty(m.purchases > 0 && m.spend > 0 ? [{ action_type: "offsite_conversion.fb_pixel_purchase", value: ratio(m.purchaseValue / m.spend) }] : []),
    objective: () => "OUTCOME_SALES",
    buying_type: () => "AUCTION",
  };
  const row: Row = {};
  for (const f of q.fields) {
    if (f === "date_start" || f === "date_stop") continue;
    const v = f in columns ? columns[f] : values[f]?.();
    if (v !== undefined) row[f] = v;
  }
  for (const b of q.breakdowns) if (columns[b] !== undefined) row[b] = columns[b];
  row.date_start = start;
  row.date_stop = stop;
  return row;
}

/** Every row of a query; throws 100/1487534 (or returns null for async) when too big. */
export function buildRows(seed: number, persona: Persona, i: number, q: InsightsQuery, limit: number): Row[] {
  const prof = accountProfile(seed, persona, i);
  const entities = levelEntities(prof, q.level);
  const slices = breakdownSlices(q.breakdowns);
  const groupsPerRange = q.ranges.map((r) => dateGroups(r.since, r.until, q.increment));
  const estimate = groupsPerRange.reduce((n, g) => n + g.length, 0) * entities.length * slices.length;
  if (estimate > limit) throw catalogError({ code: 100, subcode: 1487534 });
  const cache = new Map<string, Metrics | null>();
  const day = (d: string) => {
    if (!cache.has(d)) cache.set(d, dayMetrics(seed, prof, d));
    return cache.get(d) ?? null;
  };
  const rows: Row[] = [];
  for (const groups of groupsPerRange) {
    for (const g of groups) {
      const days: Metrics[] = [];
      for (let d = g.start; d <= g.stop; d = addDays(d, 1)) {
        const m = day(d);
        if (m) days.push(m);
      }
      if (days.length === 0) continue;
      const total = sumMetrics(days);
      for (const e of entities) {
        for (const sl of slices) {
          const m = scale(total, e.weight * sl.weight);
          if (m.impressions === 0) continue;
          rows.push(formatRow(prof, m, q, { ...e.columns, ...sl.columns }, g.start, g.stop));
        }
      }
    }
  }
  return rows;
}

export function insightsRoute(ctx: Ctx, actId: string): RouteResult {
  ctx.usage.kind = "ads_insights";
  const { persona, i, number } = resolveAdAccount(ctx, actId);
  ctx.usage.kind = "ads_insights";
  const prof = accountProfile(ctx.s.seed, persona, i);
  const q = parseInsightsQuery(ctx.req.params, localToday(prof.zone.name, now(ctx.s)));
  if (ctx.req.method === "POST") {
    const id = `61${digits(ctx.s.seed, 13, "run", nextSeq(ctx.s))}`;
    ctx.s.world.reportRuns[id] = { id, accountNumber: number, personaId: persona.id, params: { ...ctx.req.params }, createdAt: now(ctx.s) };
    return { body: { report_run_id: id } };
  }
  if (ctx.req.method !== "GET") throw unknownPath("/insights");
  const rows = buildRows(ctx.s.seed, persona, i, q, SYNC_ROW_LIMIT);
  return { body: paginate(ctx.req, rows.length, (pos) => rows[pos], { shortPages: false }) };
}

type RunState = { status: string; percent: number; completedAt: number; failed: boolean };

const resultCache = new WeakMap<ReportRun, Row[] | "failed">();

function runRows(s: SandboxState, run: ReportRun): Row[] | "failed" {
  const cached = resultCache.get(run);
  if (cached) return cached;
  const persona = findPersona(s, run.personaId);
  const i = Number(run.accountNumber.slice(3));
  let result: Row[] | "failed" = "failed";
  if (persona) {
    const prof = accountProfile(s.seed, persona, i);
    try {
      result = buildRows(s.seed, persona, i, parseInsightsQuery(run.params, localToday(prof.zone.name, run.createdAt)), ASYNC_ROW_LIMIT);
    } catch (e) {
      if (!(e instanceof GraphError)) throw e;
    }
  }
  resultCache.set(run, result);
  return result;
}

/** Progress follows the virtual clock: advance it to finish a job. */
function runState(s: SandboxState, run: ReportRun): RunState {
  const elapsed = now(s) - run.createdAt;
  const completedAt = run.createdAt + s.asyncReportMs;
  if (elapsed >= s.asyncReportMs) {
    const failed = runRows(s, run) === "failed";
    return { status: failed ? "Job Failed" : "Job Completed", percent: 100, completedAt, failed };
  }
  const frac = elapsed / s.asyncReportMs;
  if (frac < 0.05) return { status: "Job Not Started", percent: 0, completedAt: 0, failed: false };
  if (frac < 0.15) return { status: "Job Started", percent: Math.floor(frac * 100), completedAt: 0, failed: false };
  return { status: "Job Running", percent: Math.min(99, Math.floor(frac * 100)), completedAt: 0, failed: false };
}

export function reportRunAccount(s: SandboxState, id: string): string | undefined {
  return s.world.reportRuns[id]?.accountNumber;
}

export function reportRunRoute(ctx: Ctx, id: string, edge: string | undefined, rest: string[]): RouteResult {
  const run = ctx.s.world.reportRuns[id]!;
  if (ctx.token.personaId !== run.personaId || ctx.token.type === "APP") throw objectNotFound(id);
  if (rest.length > 0 || (edge && edge !== "insights")) throw unknownPath(`/${[edge, ...rest].join("/")}`);
  const st = runState(ctx.s, run);
  if (!edge) {
    const persona = findPersona(ctx.s, run.personaId)!;
    const prof = accountProfile(ctx.s.seed, persona, Number(run.accountNumber.slice(3)));
    const range = parseInsightsQuery(run.params, localToday(prof.zone.name, run.createdAt)).ranges[0];
    const data = {
      id,
      account_id: run.accountNumber,
      async_status: st.status,
      async_percent_completion: st.percent,
      date_start: range?.since,
      date_stop: range?.until,
      time_ref: Math.floor(run.createdAt / 1000),
      time_completed: st.completedAt ? Math.floor(st.completedAt / 1000) : 0,
      is_running: st.percent < 100,
      is_bookmarked: false,
      error_code: st.failed ? 1487534 : 0,
    };
    return { body: project(NODE_TYPES, "AdReportRun", data, parseFields(ctx.req.params.fields)) };
  }
  ctx.usage.kind = "ads_insights";
  if (st.status !== "Job Completed") {
    throw new GraphError({ code: 100, message: `(#100) The report run is not complete (async_status: ${st.status})` });
  }
  const rows = runRows(ctx.s, run) as Row[];
  return { body: paginate(ctx.req, rows.length, (pos) => rows[pos], { shortPages: false }) };
}
