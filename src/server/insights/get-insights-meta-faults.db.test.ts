import { describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { withTestDb } from "@kit/db";
import { addDays, localDate } from "@/lib/insights/date-range";
import { linkedUser, MINUTE, ready, running } from "@kit/insights";

let db: Db;
withTestDb((_database, client) => {
  db = client;
});


describe("getInsights: Meta throttling", () => {
  it.each([
    ["80000 ads_insights (BUC)", { scope: "ads_insights" as const, minutes: 12 }, 12 * MINUTE],
    // Platform limits (X-App-Usage) carry no time estimate: the default minute.
    ["17 user limit", { scope: "user" as const, minutes: 7 }, 1 * MINUTE],
    ["613 ad-account limit", { scope: "ad_account" as const, minutes: 9 }, 9 * MINUTE],
  ])("%s → the cache with a 'retrying at HH:MM' notice, never an error", async (_name, spec, wait) => {
    const t = await linkedUser(db);
    const cached = ready(await t.insights({ preset: "last_7d" }));
    t.sandbox.control.throttle(spec);
    const answer = ready(await t.insights({ preset: "last_7d" }, { force: true }));
    expect(answer.source).toBe("cache");
    expect(answer.totals).toEqual(cached.totals);
    expect(answer.notice?.code).toBe("throttled");
    expect(answer.notice?.message).toMatch(/^Data may be stale, Meta asked us to slow down — retrying at \d{2}:\d{2}$/);
    expect(Date.parse(answer.notice!.retryAt) - t.now().getTime()).toBe(wait);
  });

  it("slows down before a throttle when Meta's usage headers report 90 % or more", async () => {
    let usage: string | null = null;
    const t = await linkedUser(db, "solo", 0, (next) => async (input, init) => {
      const response = await next(input, init);
      if (!usage) return response;
      const headers = new Headers(response.headers);
      headers.set("x-ad-account-usage", usage);
      return new Response(response.body, { status: response.status, headers });
    });
    // Below the line: answers stay fresh.
    usage = JSON.stringify({ acc_id_util_pct: 60, reset_time_duration: 120 });
    expect(ready(await t.insights({ preset: "last_7d" }, { force: true })).source).toBe("meta");
    expect(ready(await t.insights({ preset: "last_7d" }, { force: true })).source).toBe("meta");
    // At 95 %: this answer is still Meta's, the next ones are the cache until the reset.
    usage = JSON.stringify({ acc_id_util_pct: 95, reset_time_duration: 120 });
    expect(ready(await t.insights({ preset: "last_7d" }, { force: true })).source).toBe("meta");
    t.requests();
    const paused = ready(await t.insights({ preset: "last_7d" }, { force: true }));
    expect(paused).toMatchObject({ source: "cache", notice: { code: "throttled" } });
    expect(Date.parse(paused.notice!.retryAt) - t.now().getTime()).toBe(5 * MINUTE);
    expect(t.requests()).toEqual([]);
  });

  it("leaves the ad account alone until the retry time, then fetches again", async () => {
    const t = await linkedUser(db);
    await t.insights({ preset: "last_7d" });
    t.sandbox.control.throttle({ scope: "ads_insights", minutes: 5 });
    await t.insights({ preset: "last_7d" }, { force: true });
    t.requests();
    t.sandbox.control.advanceClock(4 * MINUTE);
    expect(ready(await t.insights({ preset: "last_7d" }, { force: true })).notice?.code).toBe("throttled");
    expect(t.requests()).toEqual([]);
    t.sandbox.control.advanceClock(2 * MINUTE);
    const after = ready(await t.insights({ preset: "last_7d" }, { force: true }));
    expect(after).toMatchObject({ source: "meta" });
    expect(after.notice).toBeUndefined();
  });

  it("an injected 80004-style fault with no usage headers waits the default minute", async () => {
    const t = await linkedUser(db);
    t.sandbox.control.injectFault({ path: "/act_*/insights", code: 80000, subcode: 2446079 });
    const answer = ready(await t.insights({ preset: "last_7d" }));
    // Nothing cached yet: no days rather than days of zeros, and no fetch time.
    expect(answer).toMatchObject({ source: "cache", daily: [], fetchedAt: null, notice: { code: "throttled" } });
    expect(Date.parse(answer.notice!.retryAt) - t.now().getTime()).toBe(60_000);
  });

  it("serves the cache with a notice when Meta is down (code 2), and fails when nothing is cached", async () => {
    const t = await linkedUser(db);
    t.sandbox.control.injectFault({ path: "/act_*/insights", code: 2, status: 500 });
    await expect(t.insights({ preset: "last_7d" })).rejects.toMatchObject({ code: "PROVIDER_ERROR" });
    await t.insights({ preset: "last_7d" });
    t.sandbox.control.injectFault({ path: "/act_*/insights", code: 2, status: 500 });
    expect(ready(await t.insights({ preset: "last_7d" }, { force: true })).notice?.code).toBe("unavailable");
  });
});

describe("getInsights: async report runs", () => {
  it("a 90-day range starts a run, reports progress on Meta's clock, then answers from the run and caches it", async () => {
    const t = await linkedUser(db);
    const today = localDate(t.timeZone, t.now());
    const range = { custom: { since: addDays(today, -90), until: addDays(today, -1) } };

    const started = running(await t.insights(range));
    expect(started).toMatchObject({ status: "running", percent: 0, range: range.custom, adAccountId: t.adAccountId });
    expect(started.runId).toMatch(/^\d+$/);
    // POST inside a one-item batch, then one look at the run.
    expect(t.requests()).toEqual(["POST /", `GET /${started.runId}`]);

    t.sandbox.control.advanceClock(10_000);
    const halfway = running(await t.insights(range, { runId: started.runId }));
    expect(halfway.percent).toBeGreaterThanOrEqual(40);
    expect(halfway.percent).toBeLessThan(100);

    t.sandbox.control.advanceClock(15_000);
    const done = ready(await t.insights(range, { runId: started.runId }));
    expect(t.requests()).toEqual([`GET /${started.runId}`, `GET /${started.runId}`, `GET /${started.runId}/insights`]);
    expect(done.source).toBe("meta");
    expect(done.daily).toHaveLength(90);
    expect(done.totals.impressions).toBeGreaterThan(0);

    expect(ready(await t.insights(range)).source).toBe("cache");
    expect(t.requests()).toEqual([]);
  });

  it("goes async when Meta answers a short range with 'too much data' (100/1487534)", async () => {
    const t = await linkedUser(db);
    t.sandbox.control.injectFault({ path: "/act_*/insights", method: "GET", code: 100, subcode: 1487534 });
    const started = running(await t.insights({ preset: "last_7d" }));
    expect(t.requests()).toEqual([`GET /${t.adAccountId}/insights`, "POST /", `GET /${started.runId}`]);
    t.sandbox.control.advanceClock(30_000);
    const done = ready(await t.insights({ preset: "last_7d" }, { runId: started.runId }));
    expect(done.daily).toHaveLength(7);
  });

  it("refuses a run id that belongs to another ad account", async () => {
    const t = await linkedUser(db, "agency", 1);
    const today = localDate(t.timeZone, t.now());
    const range = { custom: { since: addDays(today, -60), until: addDays(today, -1) } };
    const started = running(await t.insights(range));
    const { getInsights } = await import("./get-insights");
    // The same user also holds account #2 of the agency: the run of #1 must not fill #2's cache.
    const second = await db.metaAdAccount.create({
      data: { connectionId: t.connectionId, userId: t.userId, adAccountId: "act_1220000000002", accountId: "1220000000002", name: "Two", currency: "EUR", timezoneName: "Europe/Berlin", accountStatus: 1 },
    });
    t.sandbox.control.advanceClock(30_000);
    const attempt = getInsights(db, t.userId, second.adAccountId, range, { runId: started.runId, deps: { graph: t.graph, now: t.now } });
    await expect(attempt).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.metaInsightsDay.count({ where: { adAccountRowId: second.id } })).toBe(0);
  });
});
