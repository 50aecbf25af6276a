import { describe, expect, it } from "vitest";
import { insightsRowSchema } from "./graph-schema";
import { emptyDay, parseInsightsRow, totalsOf } from "./parse-insights-row";

const day = { date_start: "2026-06-01", date_stop: "2026-06-01" };
const parse = (row: Record<string, unknown>) => parseInsightsRow(insightsRowSchema.parse({ ...day, ...row }));
const a = (action_type: string, value: string) => ({ action_type, value });

describe("parseInsightsRow", () => {
  it.each([
    [
      "every number a string → numbers (EUR, Meta's own ratios kept)",
      { account_currency: "EUR", spend: "153.27", impressions: "48211", reach: "30110", clicks: "912", ctr: "1.891687", cpc: "0.168059", cpm: "3.179151" },
      { spend: 153.27, impressions: 48211, reach: 30110, clicks: 912, ctr: 1.891687, cpc: 0.168059, cpm: 3.179151, conversions: 0 },
    ],
    [
      "missing ratios are derived from the counts",
      { spend: "50", impressions: "10000", clicks: "200" },
      { ctr: 2, cpc: 0.25, cpm: 5, reach: 0 },
    ],
    [
      "no clicks → no CPC (null, not 0 or Infinity); missing metrics → 0",
      { spend: "12.5", impressions: "1000" },
      { clicks: 0, cpc: null, ctr: 0, cpm: 12.5, conversions: 0, purchaseRoas: 0 },
    ],
    [
      "an empty row (Meta sent only dates) is a day of zeros",
      {},
      { spend: 0, impressions: 0, ctr: null, cpc: null, cpm: null, purchaseRoas: null },
    ],
    [
      "JPY: whole-yen amounts stay whole (no minor unit)",
      { account_currency: "JPY", spend: "45210", impressions: "91000", clicks: "1400", cpc: "32.292857", action_values: [a("omni_purchase", "180000")] },
      { spend: 45210, cpc: 32.292857, purchaseRoas: 180000 / 45210 },
    ],
  ])("%s", (_name, row, expected) => {
    expect(parse(row)).toMatchObject(expected);
  });

  it.each([
    [
      "one purchase reported under three overlapping names counts once (omni_purchase wins)",
      { actions: [a("offsite_conversion.fb_pixel_purchase", "12"), a("purchase", "12"), a("omni_purchase", "13"), a("link_click", "640")] },
      13,
    ],
    ["only the pixel purchase present", { actions: [a("offsite_conversion.fb_pixel_purchase", "4"), a("link_click", "90")] }, 4],
    ["purchases + leads + registrations are added up", { actions: [a("purchase", "3"), a("lead", "5"), a("onsite_conversion.lead_grouped", "5"), a("complete_registration", "2")] }, 10],
    ["clicks, views and add-to-cart are not conversions", { actions: [a("link_click", "640"), a("landing_page_view", "400"), a("offsite_conversion.fb_pixel_add_to_cart", "30")] }, 0],
    ["Meta's `conversions` field is used when actions carry none of ours", { actions: [a("link_click", "5")], conversions: [a("offsite_conversion.fb_pixel_purchase", "2")] }, 2],
    ["fractional (modelled) conversions stay fractional", { actions: [a("omni_purchase", "2.5")] }, 2.5],
  ])("conversions: %s", (_name, row, expected) => {
    expect(parse(row).conversions).toBe(expected);
  });

  it.each([
    ["Meta's purchase_roas wins", { spend: "100", purchase_roas: [a("omni_purchase", "9.659")], action_values: [a("omni_purchase", "900")] }, 9.659, 900],
    ["derived from action_values when purchase_roas is absent", { spend: "200", action_values: [a("purchase", "500"), a("offsite_conversion.fb_pixel_purchase", "500")] }, 2.5, 500],
    ["purchase value derived from ROAS when action_values is absent", { spend: "100", purchase_roas: [a("omni_purchase", "3")] }, 3, 300],
    ["spend but no purchases → ROAS 0", { spend: "40" }, 0, 0],
    ["no spend → no ROAS", { action_values: [a("purchase", "10")] }, null, 10],
  ])("ROAS: %s", (_name, row, roas, value) => {
    const parsed = parse(row);
    expect(parsed.purchaseRoas).toBe(roas);
    expect(parsed.purchaseValue).toBe(value);
  });

  it("keeps the raw action arrays (strings, attribution-window keys included) for the cache", () => {
    const actions = [{ action_type: "omni_purchase", value: "3", "7d_click": "2" }];
    expect(parse({ actions }).rawActions).toEqual({ actions });
    expect(parse({ spend: "1" }).rawActions).toBeNull();
  });

  it.each([
    ["a number instead of a string", { spend: 12.5 }],
    ["a non-numeric string", { impressions: "lots" }],
    ["an action without a value", { actions: [{ action_type: "purchase" }] }],
    ["no date", { date_start: undefined }],
  ])("refuses a row with %s (zod)", (_name, row) => {
    expect(insightsRowSchema.safeParse({ ...day, ...row }).success).toBe(false);
  });
});

describe("totalsOf", () => {
  it("sums counts and money, recomputes ratios from the sums, and ROAS as Σvalue / Σspend", () => {
    const days = [parse({ spend: "0.1", impressions: "1000", clicks: "10", action_values: [a("purchase", "1")] }), parse({ spend: "0.2", impressions: "3000", clicks: "30" }), emptyDay("2026-06-03")];
    expect(totalsOf(days)).toEqual({ spend: 0.3, impressions: 4000, reach: 0, clicks: 40, ctr: 1, cpc: 0.0075, cpm: 0.075, conversions: 0, purchaseRoas: 3.333333 });
  });

  it("a range with no delivery has zero counts and null ratios", () => {
    expect(totalsOf([emptyDay("2026-06-01"), emptyDay("2026-06-02")])).toEqual({ spend: 0, impressions: 0, reach: 0, clicks: 0, ctr: null, cpc: null, cpm: null, conversions: 0, purchaseRoas: null });
  });
});
