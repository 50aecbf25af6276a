import { describe, expect, it } from "vitest";
import { errorOf, getJson, inProcess } from "@kit/meta-emulator";

// Checklist 22: Ads Insights, sync and async.

type Row = Record<string, unknown> & { date_start: string; date_stop: string };

const setup = (seed = 7) => {
  const env = inProcess({ seed, now: () => Date.UTC(2026, 5, 15, 12) });
  const token = env.sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] }).accessToken;
  return { ...env, token };
};

describe("checklist 22: insights", () => {
  it("daily rows with string metrics, zero-delivery days missing, purchases for ROAS", async () => {
    const { fetch: f, token } = setup();
    const fields = "spend,impressions,clicks,ctr,cpc,cpm,reach,actions,action_values,purchase_roas,account_currency";
    const anonymous = await getJson(f, `/v25.0/act_1220000000001/insights?fields=${fields}`);
    expect(errorOf(anonymous.body).code).toBe(104);
    const body = (await getJson(f, `/v25.0/act_1220000000001/insights?fields=${fields}&time_range=${encodeURIComponent('{"since":"2026-05-01","until":"2026-05-31"}')}&time_increment=1&limit=100&access_token=${token}`)).body as { data: Row[] };
    expect(body.data.length).toBeGreaterThan(10);
    expect(body.data.length).toBeLessThan(31);
    for (const r of body.data) {
      expect(r.date_start).toBe(r.date_stop);
      expect(r.spend).toMatch(/^\d+(\.\d{2})?$/);
      for (const k of ["impressions", "clicks", "reach"]) expect(typeof r[k]).toBe("string");
      expect(r.ctr).toMatch(/^\d+\.\d{6}$/);
    }
    const withPurchase = body.data.find((r) => Array.isArray(r.action_values));
    expect(withPurchase).toBeDefined();
    const value = Number((withPurchase!.action_values as { action_type: string; value: string }[]).find((a) => a.action_type === "omni_purchase")!.value);
    const roas = Number((withPurchase!.purchase_roas as { value: string }[])[0]!.value);
    expect(roas).toBeCloseTo(value / Number(withPurchase!.spend), 2);
    expect(withPurchase!.actions).toContainEqual({ action_type: "offsite_conversion.fb_pixel_purchase", value: expect.stringMatching(/^\d+$/) });
  });

  it("is deterministic per seed and varies across seeds", async () => {
    const q = `/v25.0/act_1220000000001/insights?date_preset=last_7d&time_increment=1&fields=spend`;
    const s1 = setup(7);
    const s2 = setup(8);
    const one = (await getJson(s1.fetch, `${q}&access_token=${s1.token}`)).body;
    const two = (await getJson(s2.fetch, `${q}&access_token=${s2.token}`)).body;
    expect(one).toEqual((await getJson(s1.fetch, `${q}&access_token=${s1.token}`)).body);
    expect(one).not.toEqual(two);
  });

  it("date presets, monthly/all_days increments, levels and breakdowns", async () => {
    const { fetch: f, token } = setup();
    const get = async (q: string) => (await getJson(f, `/v25.0/act_1220000000001/insights?${q}&limit=500&access_token=${token}`)).body as { data: Row[] };
    const all = await get("date_preset=last_30d&fields=spend");
    expect(all.data).toHaveLength(1);
    expect(all.data[0]).toMatchObject({ date_start: "2026-05-16", date_stop: "2026-06-14" });
    const monthly = await get("date_preset=last_quarter&time_increment=monthly&fields=spend");
    expect(monthly.data.map((r) => r.date_start)).toEqual(["2026-01-01", "2026-02-01", "2026-03-01"]);
    expect(monthly.data.map((r) => r.date_stop)).toEqual(["2026-01-31", "2026-02-28", "2026-03-31"]);
    const campaigns = await get("date_preset=last_7d&level=campaign&fields=campaign_id,campaign_name,spend");
    expect(new Set(campaigns.data.map((r) => r.campaign_name)).size).toBe(3);
    const byAge = await get("date_preset=last_7d&breakdowns=age,gender&fields=impressions");
    expect(byAge.data.length).toBeGreaterThan(10);
    expect(byAge.data[0]).toHaveProperty("age");
    expect(byAge.data[0]).toHaveProperty("gender");
  });

  it("empty data for a disabled account; 100 for bad fields; 1487534 for oversize", async () => {
    const { sandbox, fetch: f, token } = setup();
    const d = sandbox.control.issueToken({ persona: "disabled", scopes: ["ads_read"] }).accessToken;
    expect((await getJson(f, `/v25.0/act_1230000000000/insights?date_preset=maximum&access_token=${d}`)).body).toEqual({ data: [] });
    const bad = await getJson(f, `/v25.0/act_1220000000001/insights?fields=spend,bogus&access_token=${token}`);
    expect(errorOf(bad.body)).toMatchObject({ code: 100 });
    expect(errorOf(bad.body).message).toContain("bogus is not valid for fields param");
    const big = await getJson(f, `/v25.0/act_1220000000001/insights?date_preset=maximum&time_increment=1&level=ad&breakdowns=age,gender&access_token=${token}`);
    expect(big.status).toBe(400);
    expect(errorOf(big.body)).toMatchObject({ code: 100, error_subcode: 1487534 });
  });

  it("async: POST → report_run_id, status follows the virtual clock, results are paged", async () => {
    const { sandbox, fetch: f, token } = setup();
    const post = await getJson(f, `/v25.0/act_1220000000001/insights?access_token=${token}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "date_preset=last_90d&time_increment=1&fields=spend,impressions",
    });
    const id = post.body.report_run_id as string;
    expect(post.body).toEqual({ report_run_id: expect.stringMatching(/^\d+$/) });
    const status = async () => (await getJson(f, `/v25.0/${id}?access_token=${token}`)).body;
    expect(await status()).toMatchObject({ id, async_status: "Job Not Started", async_percent_completion: 0, is_running: true, account_id: "1220000000001" });
    expect(errorOf((await getJson(f, `/v25.0/${id}/insights?access_token=${token}`)).body).code).toBe(100);
    sandbox.control.advanceClock(10_000);
    const mid = await status();
    expect(mid.async_status).toBe("Job Running");
    expect(mid.async_percent_completion).toBe(50);
    sandbox.control.advanceClock(10_000);
    expect(await status()).toMatchObject({ async_status: "Job Completed", async_percent_completion: 100, is_running: false });
    let url: string | undefined = `/v25.0/${id}/insights?limit=25&access_token=${token}`;
    let rows = 0;
    while (url) {
      const page = (await getJson(f, url)).body as { data: Row[]; paging?: { next?: string } };
      rows += page.data.length;
      url = page.paging?.next;
    }
    expect(rows).toBeGreaterThan(40);
    expect(rows).toBeLessThanOrEqual(90);
  });
});
