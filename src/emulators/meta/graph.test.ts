import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "./server";
import { errorOf, getJson, inProcess } from "@kit/meta-emulator";

// Checklist 16–20 and 26: faults, usage headers, paging, fields, ad accounts, versions.

let server: SandboxServer;
beforeAll(async () => {
  server = await startSandboxServer({ port: 0 });
});
afterAll(() => server.close());

describe("checklist 16: fault injection per route", () => {
  it.each([
    [1, undefined, 500],
    [2, undefined, 500],
    [4, undefined, 400],
    [17, undefined, 400],
    [32, undefined, 400],
    [80000, undefined, 400],
    [80004, 2446079, 400],
    [613, 1487742, 400],
    [368, 1390008, 400],
    [100, 1487534, 400],
    [100, 33, 400],
  ])("code %i/%s answers HTTP %i with Meta's envelope", async (code, subcode, status) => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo", scopes: ["ads_read"] }).accessToken;
    sandbox.control.injectFault({ path: "/me/adaccounts", code, subcode, count: 2 });
    expect((await getJson(f, `/v25.0/me?access_token=${t}`)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await getJson(f, `/v25.0/me/adaccounts?access_token=${t}`);
      expect(res.status).toBe(status);
      expect(errorOf(res.body)).toMatchObject({ code, ...(subcode ? { error_subcode: subcode } : {}) });
    }
    expect((await getJson(f, `/v25.0/me/adaccounts?access_token=${t}`)).status).toBe(200);
  });

  it("matches wildcards and methods, and can add latency only", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo", scopes: ["ads_read"] }).accessToken;
    sandbox.control.injectFault({ path: "/act_*/insights", method: "POST", code: 2 });
    expect((await f(`/v25.0/act_1210000000000/insights?access_token=${t}`)).status).toBe(200);
    expect((await f(`/v25.0/act_1210000000000/insights?access_token=${t}`, { method: "POST" })).status).toBe(500);
    sandbox.control.injectFault({ path: "/me", latencyMs: 30 });
    const started = performance.now();
    expect((await f(`/v25.0/me?access_token=${t}`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it("over HTTP: POST /_control/faults then the next call fails", async () => {
    const t = server.sandbox.control.issueToken({ persona: "solo" }).accessToken;
    const ctl = await fetch(`${server.url}/_control/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ path: "/me", code: 190, subcode: 460 }) });
    expect(ctl.status).toBe(200);
    const res = await getJson(fetch, `${server.url}/v25.0/me?access_token=${t}`);
    expect(errorOf(res.body)).toMatchObject({ code: 190, error_subcode: 460 });
  });
});

describe("checklist 17: usage headers and throttling", () => {
  it("rise per call, are keyed by ad account, and a throttle returns 80004 with estimated_time_to_regain_access", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] }).accessToken;
    const read = () => f(`/v25.0/act_1220000000005?access_token=${t}`);
    const first = await read();
    for (let i = 0; i < 9; i++) await read();
    const tenth = await read();
    const u1 = JSON.parse(first.headers.get("x-ad-account-usage")!) as { acc_id_util_pct: number };
    const u10 = JSON.parse(tenth.headers.get("x-ad-account-usage")!) as { acc_id_util_pct: number; ads_api_access_tier: string };
    expect(u10.acc_id_util_pct).toBeGreaterThan(u1.acc_id_util_pct);
    const buc = JSON.parse(tenth.headers.get("x-business-use-case-usage")!) as Record<string, { type: string; call_count: number }[]>;
    expect(Object.keys(buc)).toEqual(["1220000000005"]);
    expect(buc["1220000000005"]![0]).toMatchObject({ type: "ads_management", estimated_time_to_regain_access: 0 });
    expect(JSON.parse(tenth.headers.get("x-app-usage")!)).toEqual({ call_count: expect.any(Number), total_cputime: expect.any(Number), total_time: expect.any(Number) });

    sandbox.control.throttle({ scope: "ads_management", objectId: "1220000000005", minutes: 7 });
    const throttled = await f(`/v25.0/act_1220000000005?access_token=${t}`);
    expect(throttled.status).toBe(400);
    expect(errorOf((await throttled.json()) as Record<string, unknown>)).toMatchObject({ code: 80004, error_subcode: 2446079, is_transient: true });
    const tb = JSON.parse(throttled.headers.get("x-business-use-case-usage")!) as Record<string, { call_count: number; estimated_time_to_regain_access: number }[]>;
    expect(tb["1220000000005"]![0]).toMatchObject({ estimated_time_to_regain_access: 7 });
    expect(tb["1220000000005"]![0]!.call_count).toBeGreaterThanOrEqual(100);
    expect((await f(`/v25.0/act_1220000000006?access_token=${t}`)).status).toBe(200);
    sandbox.control.advanceClock(7 * 60_000);
    expect((await f(`/v25.0/act_1220000000005?access_token=${t}`)).status).toBe(200);
  });

  it("insights carry x-fb-ads-insights-throttle; app and user throttles give 4 and 17", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo", scopes: ["ads_read"] }).accessToken;
    const ins = await f(`/v25.0/act_1210000000000/insights?access_token=${t}`);
    expect(JSON.parse(ins.headers.get("x-fb-ads-insights-throttle")!)).toMatchObject({ acc_id_util_pct: expect.any(Number), app_id_util_pct: expect.any(Number) });
    sandbox.control.throttle({ scope: "app", minutes: 1 });
    expect(errorOf((await getJson(f, `/v25.0/me?access_token=${t}`)).body).code).toBe(4);
    sandbox.control.clearThrottles();
    sandbox.control.throttle({ scope: "user" });
    expect(errorOf((await getJson(f, `/v25.0/me?access_token=${t}`)).body).code).toBe(17);
  });
});

type Paged = { data: { id: string; account_id?: string }[]; paging?: { next?: string; cursors?: { after: string; before: string } } };

describe("checklist 18: cursor paging", () => {
  it("pages 5,000 accounts over HTTP with default limit 25, absolute next URLs embedding the token, no next at the end", async () => {
    const t = server.sandbox.control.issueToken({ persona: "scale", scopes: ["ads_read"] }).accessToken;
    let url: string | undefined = `${server.url}/v25.0/me/adaccounts?fields=id,account_status&limit=200&access_token=${t}`;
    const seen = new Set<string>();
    let pages = 0;
    let short = 0;
    while (url) {
      const res = (await (await fetch(url)).json()) as Paged;
      pages++;
      if (res.data.length < 200 && res.paging?.next) short++;
      for (const a of res.data) seen.add(a.id);
      url = res.paging?.next;
      if (url) {
        expect(url.startsWith(`${server.url}/v25.0/me/adaccounts?`)).toBe(true);
        expect(new URL(url).searchParams.get("access_token")).toBe(t);
      }
    }
    expect(seen.size).toBe(5000);
    expect(short).toBeGreaterThan(0);
    expect(pages).toBeGreaterThan(25);
    const first = (await (await fetch(`${server.url}/v25.0/me/adaccounts?access_token=${t}`)).json()) as Paged;
    expect(first.data).toHaveLength(25);
    expect(first.data[0]).toEqual({ account_id: "1260000000000", id: "act_1260000000000" });
    expect(first.paging?.cursors?.after).not.toMatch(/^\d+$/);
  });

  it("summary=total_count and previous links", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "agency", scopes: ["business_management"] }).accessToken;
    const p1 = (await getJson(f, `/v25.0/4120000000001/owned_ad_accounts?summary=total_count&limit=10&access_token=${t}`)).body as Paged & { summary: unknown };
    expect(p1.summary).toEqual({ total_count: 400 });
    const p2 = (await getJson(f, p1.paging!.next!)).body as Paged & { paging: { previous: string } };
    expect(p2.paging.previous).toContain("before=");
  });
});

describe("checklist 19: fields projection", () => {
  it("supports nested braces and rejects unknown fields and paths", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] }).accessToken;
    const acc = await getJson(f, `/v25.0/act_1220000000001?fields=name,business{name},currency&access_token=${t}`);
    expect(Object.keys(acc.body).sort()).toEqual(["business", "currency", "id", "name"]);
    expect(acc.body.business).toEqual({ name: "Northwind Media", id: "4120000000001" });
    const bad = await getJson(f, `/v25.0/act_1220000000001?fields=name,foo&access_token=${t}`);
    expect(bad.status).toBe(400);
    expect(errorOf(bad.body)).toMatchObject({ code: 100, message: "(#100) Tried accessing nonexisting field (foo) on node type (AdAccount)" });
    const nested = await getJson(f, `/v25.0/act_1220000000001?fields=business{nope}&access_token=${t}`);
    expect(errorOf(nested.body).message).toContain("on node type (Business)");
    const path = await getJson(f, `/v25.0/me/adcampaigns?access_token=${t}`);
    expect(errorOf(path.body)).toMatchObject({ code: 2500, message: "Unknown path components: /adcampaigns" });
    const app = await getJson(f, `/v25.0/me?access_token=1000000000000001|sandbox-app-secret-0000000000000001`);
    expect(errorOf(app.body)).toMatchObject({ code: 2500, message: "An active access token must be used to query information about the current user." });
  });
});

describe("checklist 20: ad accounts and businesses", () => {
  it("agency: 3 businesses, owned + client edges overlapping /me/adaccounts, 1,200 distinct act_ ids", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read", "business_management"] }).accessToken;
    const all = async (first: string) => {
      const ids: string[] = [];
      let url: string | undefined = first;
      while (url) {
        const page = (await getJson(f, url)).body as Paged;
        ids.push(...page.data.map((x) => x.id));
        url = page.paging?.next;
      }
      return ids;
    };
    const biz = (await getJson(f, `/v25.0/me/businesses?fields=id,name,verification_status&access_token=${t}`)).body as { data: { id: string; name: string }[] };
    expect(biz.data.map((b) => b.name)).toEqual(["Northwind Media", "Bluebird Partners", "Crescent Retail Group"]);
    const me = await all(`/v25.0/me/adaccounts?limit=100&access_token=${t}`);
    const listed = [...me];
    for (const b of biz.data) {
      listed.push(...(await all(`/v25.0/${b.id}/owned_ad_accounts?limit=100&access_token=${t}`)));
      listed.push(...(await all(`/v25.0/${b.id}/client_ad_accounts?limit=100&access_token=${t}`)));
    }
    expect(listed.length).toBeGreaterThan(1200);
    expect(new Set(listed).size).toBe(1200);
  });

  it("realistic field types, disabled/unsettled statuses, and 100/33 without access", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] }).accessToken;
    const fields = "id,account_id,name,account_status,disable_reason,currency,timezone_name,timezone_offset_hours_utc,amount_spent,balance,spend_cap,business,user_tasks,created_time";
    const page = (await getJson(f, `/v25.0/me/adaccounts?fields=${fields}&limit=200&access_token=${t}`)).body as { data: Record<string, unknown>[] };
    const statuses = new Set(page.data.map((a) => a.account_status));
    expect(statuses).toContain(1);
    expect(statuses).toContain(2);
    expect(statuses).toContain(3);
    const a = page.data[1]!;
    expect(a.id).toBe(`act_${a.account_id as string}`);
    expect(typeof a.amount_spent).toBe("string");
    expect(a.amount_spent).toMatch(/^\d+$/);
    expect(typeof a.account_status).toBe("number");
    expect(typeof a.disable_reason).toBe("number");
    expect(a.business).toEqual({ id: expect.stringMatching(/^\d+$/), name: expect.any(String) });
    expect(a.created_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{4}$/);
    expect(page.data[0]).not.toHaveProperty("business");
    const other = await getJson(f, `/v25.0/act_1210000000000?access_token=${t}`);
    expect(errorOf(other.body)).toMatchObject({ code: 100, error_subcode: 33, type: "GraphMethodException" });
    const d = sandbox.control.issueToken({ persona: "disabled", scopes: ["ads_read"] }).accessToken;
    const only = (await getJson(f, `/me/adaccounts?fields=account_status,disable_reason&access_token=${d}`)).body as { data: unknown[] };
    expect(only.data).toEqual([{ account_status: 2, disable_reason: 3, id: "act_1230000000000" }]);
    const e = sandbox.control.issueToken({ persona: "empty", scopes: ["ads_read"] }).accessToken;
    expect((await getJson(f, `/me/adaccounts?access_token=${e}`)).body).toEqual({ data: [] });
  });
});

describe("checklist 26: versions", () => {
  it("accepts any vNN.N and unversioned paths; deprecated ads versions → 2635", async () => {
    const { sandbox, fetch: f } = inProcess({ deprecatedAdsVersions: ["v22.0"] });
    const t = sandbox.control.issueToken({ persona: "solo", scopes: ["ads_read"] }).accessToken;
    for (const v of ["/v19.0", "/v25.0", "/v26.0", ""]) {
      const res = await f(`${v}/me?access_token=${t}`);
      expect(res.status).toBe(200);
    }
    expect((await f(`/v22.0/me?access_token=${t}`)).status).toBe(200);
    const ads = await getJson(f, `/v22.0/act_1210000000000?access_token=${t}`);
    expect(errorOf(ads.body)).toMatchObject({ code: 2635 });
  });
});
