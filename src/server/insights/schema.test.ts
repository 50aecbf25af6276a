import { describe, expect, it } from "vitest";
import { fromZodError } from "@/server/errors";
import { isFresh, PAST_TTL_MS, staleSpan } from "./insights-cache";
import { presetRange, type DatePreset } from "@/lib/insights/date-range";
import { insightsQuerySchema } from "@/lib/insights/schema";

// 2026-11-21 10:00 UTC: the 21st almost everywhere, and already 00:00 on the 22nd at UTC+14.
const NOW = new Date(Date.UTC(2026, 10, 21, 10, 0));
const schema = insightsQuerySchema(() => NOW);
const act = "act_1210000000000";

describe("insights query validation", () => {
  it.each([
    ["defaults to last 7 days", { adAccountId: act }, { range: { preset: "last_7d" }, force: false }],
    ["a preset", { adAccountId: act, datePreset: "last_month" }, { range: { preset: "last_month" } }],
    ["a custom range", { adAccountId: act, since: "2026-10-01", until: "2026-10-31" }, { range: { custom: { since: "2026-10-01", until: "2026-10-31" } } }],
    ["one day", { adAccountId: act, since: "2026-11-21", until: "2026-11-21" }, { range: { custom: { since: "2026-11-21", until: "2026-11-21" } } }],
    ["exactly 37 months back", { adAccountId: act, since: "2023-10-22", until: "2023-10-31" }, { range: { custom: { since: "2023-10-22", until: "2023-10-31" } } }],
    ["tomorrow in UTC is already today at UTC+14", { adAccountId: act, since: "2026-11-22", until: "2026-11-22" }, {}],
    ["refresh=1 forces", { adAccountId: act, refresh: "1" }, { force: true }],
    ["a run id to continue", { adAccountId: act, runId: "6123456789012" }, { runId: "6123456789012" }],
  ])("accepts %s", (_name, query, expected) => {
    expect(schema.parse(query)).toMatchObject(expected);
  });

  it.each([
    ["no ad account", {}, "adAccountId"],
    ["an ad account without act_", { adAccountId: "1210000000000" }, "adAccountId"],
    ["an unknown preset", { adAccountId: act, datePreset: "last_90d" }, "datePreset"],
    ["a preset and dates together", { adAccountId: act, datePreset: "last_7d", since: "2026-11-01", until: "2026-11-02" }, "datePreset"],
    ["since without until", { adAccountId: act, since: "2026-11-01" }, "until"],
    ["a malformed date", { adAccountId: act, since: "2026-11-1", until: "2026-11-02" }, "since"],
    ["an impossible date", { adAccountId: act, since: "2026-02-30", until: "2026-03-02" }, "since"],
    ["since after until", { adAccountId: act, since: "2026-11-10", until: "2026-11-01" }, "since"],
    ["the future", { adAccountId: act, since: "2026-11-20", until: "2026-11-23" }, "until"],
    ["more than 37 months back", { adAccountId: act, since: "2023-10-20", until: "2023-10-31" }, "since"],
    ["an unknown parameter", { adAccountId: act, level: "ad" }, ""],
    ["a run id that is not Meta's", { adAccountId: act, runId: "../me" }, "runId"],
  ])("refuses %s → VALIDATION_ERROR on %s", (_name, query, field) => {
    const parsed = schema.safeParse(query);
    expect(parsed.success).toBe(false);
    const error = fromZodError(parsed.error!);
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.status).toBe(400);
    if (field) expect(error.field).toBe(field);
  });
});

describe("presets (Meta's meaning, in the account's calendar)", () => {
  it.each<[DatePreset, string, string]>([
    ["today", "2026-03-01", "2026-03-01"],
    ["yesterday", "2026-02-28", "2026-02-28"],
    ["last_7d", "2026-02-22", "2026-02-28"],
    ["last_14d", "2026-02-15", "2026-02-28"],
    ["last_30d", "2026-01-30", "2026-02-28"],
    ["this_month", "2026-03-01", "2026-03-01"],
    ["last_month", "2026-02-01", "2026-02-28"],
  ])("%s on 2026-03-01 → %s … %s", (preset, since, until) => {
    expect(presetRange(preset, "2026-03-01")).toEqual({ since, until });
  });
});

describe("cache freshness", () => {
  const tz = "Europe/Berlin";
  const now = new Date("2026-11-21T12:00:00Z");
  const o = { now, today: "2026-11-21", timeZone: tz };
  const ago = (ms: number) => new Date(now.getTime() - ms);

  it.each([
    ["today, fetched 14 min ago", "2026-11-21", ago(14 * 60_000), true],
    ["today, fetched 15 min ago", "2026-11-21", ago(15 * 60_000), false],
    ["yesterday, fetched this morning", "2026-11-20", ago(3 * 3600_000), true],
    ["last week, fetched 23 h ago", "2026-11-14", ago(23 * 3600_000), true],
    ["last week, fetched 24 h ago", "2026-11-14", ago(24 * 3600_000), false],
    // 23:30 UTC on the 20th is 00:30 on the 21st in Berlin: the 20th was over when it was fetched.
    ["yesterday, fetched just after it ended", "2026-11-20", new Date("2026-11-20T23:30:00Z"), true],
    // 22:00 UTC = 23:00 in Berlin, still the 20th: the row holds only part of that day, whatever its age.
    ["yesterday, fetched while it was still today", "2026-11-20", new Date("2026-11-20T22:00:00Z"), false],
  ])("%s", (_name, date, fetchedAt, fresh) => {
    expect(isFresh({ date, fetchedAt }, o)).toBe(fresh);
  });

  it("the span to fetch covers the first through the last stale day", () => {
    const row = (date: string, fetchedAt: Date) => ({ ...emptyCached(date), fetchedAt });
    const cached = [row("2026-11-15", ago(60_000)), row("2026-11-17", ago(PAST_TTL_MS + 1)), row("2026-11-19", ago(60_000)), row("2026-11-20", ago(60_000))];
    expect(staleSpan(cached, { since: "2026-11-15", until: "2026-11-20" }, o)).toEqual({ since: "2026-11-16", until: "2026-11-18" });
    expect(staleSpan(cached, { since: "2026-11-19", until: "2026-11-20" }, o)).toBeNull();
  });
});

function emptyCached(date: string) {
  return { date, spend: 0, impressions: 0, reach: 0, clicks: 0, ctr: null, cpc: null, cpm: null, conversions: 0, purchaseRoas: null, purchaseValue: 0, rawActions: null, currency: "EUR" };
}
