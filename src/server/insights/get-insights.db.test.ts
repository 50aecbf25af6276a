import { describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { withTestDb } from "@kit/db";
import { addDays, localDate } from "@/lib/insights/date-range";
import { HOUR, linkedUser, MINUTE, ready } from "@kit/insights";
import { InsightsNeedsRelinkError } from "./insights-response";

let db: Db;
withTestDb((_database, client) => {
  db = client;
});


const timeRangeOf = (r: Request) => JSON.parse(new URL(r.url).searchParams.get("time_range") ?? "null") as { since: string; until: string } | null;

describe("getInsights: reading and caching", () => {
  it("fetches last 7 days from Meta as numbers, one row per day, then serves the cache without a Graph call", async () => {
    const t = await linkedUser(db);
    const first = ready(await t.insights({ preset: "last_7d" }));
    expect(t.requests()).toEqual([`GET /${t.adAccountId}/insights`]);
    const today = localDate(t.timeZone, t.now());
    expect(first).toMatchObject({ adAccountId: t.adAccountId, currency: t.currency, timezone: t.timeZone, source: "meta", range: { since: addDays(today, -7), until: addDays(today, -1) } });
    expect(first.daily.map((d) => d.date)).toEqual(Array.from({ length: 7 }, (_, i) => addDays(today, i - 7)));
    for (const day of first.daily) for (const v of [day.spend, day.impressions, day.clicks, day.reach, day.conversions]) expect(typeof v).toBe("number");
    expect(first.totals.spend).toBeCloseTo(first.daily.reduce((n, d) => n + d.spend, 0), 2);
    expect(first.totals.impressions).toBe(first.daily.reduce((n, d) => n + d.impressions, 0));
    expect(first.totals.impressions).toBeGreaterThan(0);
    expect(first.fetchedAt).toBe(t.now().toISOString());

    const again = ready(await t.insights({ preset: "last_7d" }));
    expect(t.requests()).toEqual([]);
    expect(again).toEqual({ ...first, source: "cache" });
  });

  it("asks Meta only for the days it does not hold (last 7 → last 14 fetches the 7 older days)", async () => {
    const t = await linkedUser(db);
    await t.insights({ preset: "last_7d" });
    t.calls.length = 0;
    const wider = ready(await t.insights({ preset: "last_14d" }));
    expect(wider.daily).toHaveLength(14);
    expect(wider.source).toBe("meta");
    expect(t.calls.map(timeRangeOf)).toEqual([{ since: wider.range.since, until: addDays(wider.range.since, 6) }]);
  });

  it("refreshes a range including today after 15 minutes, not before", async () => {
    const t = await linkedUser(db);
    expect(ready(await t.insights({ preset: "today" })).source).toBe("meta");
    t.sandbox.control.advanceClock(14 * MINUTE);
    expect(ready(await t.insights({ preset: "today" })).source).toBe("cache");
    t.sandbox.control.advanceClock(2 * MINUTE);
    expect(ready(await t.insights({ preset: "today" })).source).toBe("meta");
    expect(t.requests()).toHaveLength(2);
  });

  it("refreshes older days after 24 hours, not before", async () => {
    const t = await linkedUser(db);
    const today = localDate(t.timeZone, t.now());
    const range = { custom: { since: addDays(today, -20), until: addDays(today, -10) } };
    expect(ready(await t.insights(range)).source).toBe("meta");
    t.sandbox.control.advanceClock(23 * HOUR);
    expect(ready(await t.insights(range)).source).toBe("cache");
    t.sandbox.control.advanceClock(2 * HOUR);
    t.calls.length = 0;
    expect(ready(await t.insights(range)).source).toBe("meta");
    expect(t.calls.map(timeRangeOf)).toEqual([range.custom]);
  });

  it("refetches fresh days when forced (Refresh)", async () => {
    const t = await linkedUser(db);
    await t.insights({ preset: "last_7d" });
    t.requests();
    const forced = ready(await t.insights({ preset: "last_7d" }, { force: true }));
    expect(forced.source).toBe("meta");
    expect(t.requests()).toEqual([`GET /${t.adAccountId}/insights`]);
  });

  it("stores zero-delivery days and answers with empty totals for an account that never delivers", async () => {
    const t = await linkedUser(db, "disabled");
    const result = ready(await t.insights({ preset: "last_30d" }));
    expect(result.daily).toHaveLength(30);
    expect(result.daily.every((d) => d.impressions === 0 && d.spend === 0 && d.cpc === null)).toBe(true);
    expect(result.totals).toEqual({ spend: 0, impressions: 0, reach: 0, clicks: 0, ctr: null, cpc: null, cpm: null, conversions: 0, purchaseRoas: null });
    expect(ready(await t.insights({ preset: "last_30d" })).source).toBe("cache");
  });

  it("derives conversions and ROAS from the action arrays (purchases counted once, not per overlapping type)", async () => {
    const t = await linkedUser(db);
    const result = ready(await t.insights({ preset: "last_30d" }));
    const rows = await db.metaInsightsDay.findMany({ where: { adAccountRowId: t.adAccountRowId } });
    const withPurchases = rows.find((r) => r.conversions > 0)!;
    type Raw = { actions: { action_type: string; value: string }[] };
    const purchase = (withPurchases.rawActions as Raw).actions.find((a) => a.action_type === "omni_purchase")!;
    expect(withPurchases.conversions).toBe(Number(purchase.value));
    expect(result.totals.purchaseRoas).toBeGreaterThan(0);
    const value = rows.reduce((n, r) => n + r.purchaseValue, 0);
    expect(result.totals.purchaseRoas).toBeCloseTo(value / result.totals.spend, 4);
  });
});

describe("getInsights: ownership and a dead token", () => {
  it("answers NOT_FOUND for another user's ad account, without asking Meta", async () => {
    const owner = await linkedUser(db);
    const other = await linkedUser(db, "pages");
    const error = await other.insights({ preset: "last_7d" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeNull();
    other.requests();
    const { getInsights } = await import("./get-insights");
    const attempt = getInsights(db, other.userId, owner.adAccountId, { preset: "last_7d" }, { deps: { graph: other.graph, now: other.now } });
    await expect(attempt).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    expect(other.requests()).toEqual([]);
    expect(owner.requests()).toEqual([]);
  });

  it("marks the connection needs_relink on 190 and says 'Reconnect Facebook to see insights'; later calls do not ask Meta", async () => {
    const t = await linkedUser(db);
    await t.insights({ preset: "last_7d" });
    t.sandbox.control.expireToken(t.token);
    const attempt = t.insights({ preset: "last_7d" }, { force: true });
    await expect(attempt).rejects.toBeInstanceOf(InsightsNeedsRelinkError);
    await expect(attempt).rejects.toMatchObject({ code: "MISSING_PREREQUISITE", message: "Reconnect Facebook to see insights." });
    const connection = await db.connection.findUniqueOrThrow({ where: { id: t.connectionId } });
    expect(connection).toMatchObject({ state: "needs_relink", lastErrorCode: "190/463" });
    expect(await db.auditEvent.findMany({ where: { userId: t.userId }, select: { action: true } })).toEqual([{ action: "token_expired" }]);

    t.requests();
    await expect(t.insights({ preset: "last_14d" })).rejects.toBeInstanceOf(InsightsNeedsRelinkError);
    expect(t.requests()).toEqual([]);
    // What was cached stays readable.
    expect(ready(await t.insights({ preset: "last_7d" })).source).toBe("cache");
  });

  it("never puts the token in an answer or the cache", async () => {
    const t = await linkedUser(db);
    const result = await t.insights({ preset: "last_7d" });
    const rows = await db.metaInsightsDay.findMany({ where: { adAccountRowId: t.adAccountRowId } });
    expect(JSON.stringify([result, rows])).not.toContain(t.token);
  });

  it("drops the cache with the ad-account row (disconnect, data deletion)", async () => {
    const t = await linkedUser(db);
    await t.insights({ preset: "last_7d" });
    expect(await db.metaInsightsDay.count({ where: { adAccountRowId: t.adAccountRowId } })).toBe(7);
    await db.connection.delete({ where: { id: t.connectionId } });
    expect(await db.metaInsightsDay.count({ where: { adAccountRowId: t.adAccountRowId } })).toBe(0);
  });
});
