import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { APP_ID, APP_SECRET, APP_TOKEN, errorOf, getJson, inProcess, login } from "@kit/meta-emulator";

// Checklist 9–15: token lifetimes, invalidation, debug_token, permissions, appsecret_proof, placement, errors.

describe("checklist 9: virtual clock expires tokens and data access", () => {
  it("short-lived (~2 h) and long-lived (60 d) tokens expire with 190/463; data access after 90 d → 190/493", async () => {
    const { sandbox, fetch: f, base } = inProcess();
    const short = await login(sandbox, f, base, "solo");
    const long = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"], lifetime: "long" });
    expect((await getJson(f, `/v25.0/me?access_token=${short}`)).status).toBe(200);
    sandbox.control.advanceClock(2 * 3600_000);
    const expired = await getJson(f, `/v25.0/me?access_token=${short}`);
    expect(expired.status).toBe(400);
    expect(errorOf(expired.body)).toMatchObject({ code: 190, error_subcode: 463, type: "OAuthException" });
    expect(errorOf(expired.body).message).toMatch(/^Error validating access token: Session has expired on \w+day, \d{2}-\w{3}-\d{2} \d{2}:\d{2}:\d{2} P[DS]T\. The current time is/);
    sandbox.control.advanceClock(59 * 86400_000);
    expect((await getJson(f, `/v25.0/me?access_token=${long.accessToken}`)).status).toBe(200);
    sandbox.control.advanceClock(86400_000);
    expect(errorOf((await getJson(f, `/v25.0/me?access_token=${long.accessToken}`)).body).error_subcode).toBe(463);
    const forever = sandbox.control.issueToken({ persona: "empty", lifetime: "never" });
    sandbox.control.advanceClock(91 * 86400_000);
    expect(errorOf((await getJson(f, `/v25.0/me?access_token=${forever.accessToken}`)).body)).toMatchObject({ code: 190, error_subcode: 493 });
    expect(sandbox.control.now()).toBeGreaterThan(Date.now() + 150 * 86400_000);
  });
});

describe("checklist 10: admin invalidation of tokens", () => {
  it.each([
    ["password_changed", 460],
    ["app_removed", 458],
    ["logged_out", 467],
    ["api_call", 466],
    ["checkpoint", 459],
  ] as const)("%s → 190/%i", async (reason, subcode) => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo" });
    expect(sandbox.control.invalidateTokens("solo", reason)).toBe(1);
    const res = await getJson(f, `/v25.0/me?access_token=${t.accessToken}`);
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toMatchObject({ code: 190, error_subcode: subcode });
  });

  it("removing the Page role kills the Page token with 492 and hides the Page", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "pages", scopes: ["pages_show_list"] });
    const pages = await getJson(f, `/v25.0/me/accounts?fields=id,access_token&access_token=${t.accessToken}`);
    const [first] = pages.body.data as { id: string; access_token: string }[];
    sandbox.control.removePageRole("pages", first!.id);
    const res = await getJson(f, `/v25.0/${first!.id}?access_token=${first!.access_token}`);
    expect(errorOf(res.body)).toMatchObject({ code: 190, error_subcode: 492 });
    const after = await getJson(f, `/v25.0/me/accounts?access_token=${t.accessToken}`);
    expect((after.body.data as unknown[]).length).toBe(1);
  });
});

describe("checklist 11: /debug_token", () => {
  it("describes a valid long-lived user token with granular scopes and data access expiry", async () => {
    const { sandbox, fetch: f, base } = inProcess();
    const short = await login(sandbox, f, base, "pages", "ads_read,pages_show_list,instagram_basic");
    const dbgShort = await getJson(f, `/debug_token?input_token=${short}&access_token=${APP_TOKEN}`);
    expect(dbgShort.body.data).not.toHaveProperty("issued_at");
    const long = await getJson(f, `/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id=${APP_ID}&client_secret=${APP_SECRET}&fb_exchange_token=${short}`);
    const res = await getJson(f, `/v25.0/debug_token?input_token=${long.body.access_token as string}&access_token=${APP_TOKEN}`);
    expect(res.status).toBe(200);
    const d = res.body.data as Record<string, unknown>;
    expect(d).toMatchObject({ app_id: APP_ID, type: "USER", is_valid: true, user_id: sandbox.control.userId("pages") });
    expect(d.scopes).toEqual(["public_profile", "ads_read", "pages_show_list", "instagram_basic"]);
    expect(d.granular_scopes).toContainEqual({ scope: "pages_show_list", target_ids: ["1034000000001", "1034000000002"] });
    expect(d.granular_scopes).toContainEqual({ scope: "instagram_basic", target_ids: ["17841440000000001"] });
    expect(d.granular_scopes).toContainEqual({ scope: "ads_read", target_ids: ["1240000000000"] });
    expect(typeof d.issued_at).toBe("number");
    expect(d.data_access_expires_at as number).toBeGreaterThan((d.expires_at as number) + 29 * 86400);
  });

  it("answers 200 with a nested error for invalid input tokens", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo", lifetime: "short" });
    sandbox.control.advanceClock(3 * 3600_000);
    const expired = await getJson(f, `/debug_token?input_token=${t.accessToken}&access_token=${APP_TOKEN}`);
    expect(expired.status).toBe(200);
    expect(expired.body.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 463 } });
    const garbage = await getJson(f, `/debug_token?input_token=garbage&access_token=${APP_TOKEN}`);
    expect(garbage.body).toEqual({ data: { error: { code: 190, message: "Invalid OAuth access token - Cannot parse access token" }, is_valid: false, scopes: [] } });
  });

  it("Page tokens from a long-lived user token have expires_at 0 and profile_id", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "pages", scopes: ["pages_show_list"], lifetime: "long" });
    const pages = await getJson(f, `/me/accounts?access_token=${t.accessToken}`);
    const pt = (pages.body.data as { access_token: string; id: string }[])[0]!;
    const d = (await getJson(f, `/debug_token?input_token=${pt.access_token}&access_token=${APP_TOKEN}`)).body.data;
    expect(d).toMatchObject({ type: "PAGE", expires_at: 0, profile_id: pt.id, is_valid: true });
  });

  it("400/100 without an app token or an app developer's token", async () => {
    const { sandbox, fetch: f } = inProcess();
    const tester = sandbox.control.issueToken({ persona: "empty" });
    for (const caller of ["", `&access_token=${tester.accessToken}`, `&access_token=${APP_ID}|wrong`]) {
      const res = await getJson(f, `/debug_token?input_token=${tester.accessToken}${caller}`);
      expect(res.status).toBe(400);
      expect(errorOf(res.body).code).toBe(100);
    }
    const admin = sandbox.control.issueToken({ persona: "solo" });
    expect((await getJson(f, `/debug_token?input_token=${tester.accessToken}&access_token=${admin.accessToken}`)).status).toBe(200);
  });
});

describe("checklist 12: /me/permissions", () => {
  it("lists granted/declined/expired; DELETE one declines it; DELETE all kills tokens with 466", async () => {
    const { sandbox, fetch: f, base } = inProcess();
    const t = await login(sandbox, f, base, "agency", "ads_read,business_management,pages_show_list", "decline:pages_show_list");
    sandbox.control.expirePermission("agency", "business_management");
    const perms = await getJson(f, `/v25.0/me/permissions?access_token=${t}`);
    expect(perms.body).toEqual({
      data: [
        { permission: "public_profile", status: "granted" },
        { permission: "ads_read", status: "granted" },
        { permission: "business_management", status: "expired" },
        { permission: "pages_show_list", status: "declined" },
      ],
    });
    const one = await getJson(f, `/v25.0/me/permissions/ads_read?access_token=${t}`, { method: "DELETE" });
    expect(one.body).toEqual({ success: true });
    expect((await getJson(f, `/v25.0/me/permissions/ads_read?access_token=${t}`)).body).toEqual({ data: [{ permission: "ads_read", status: "declined" }] });
    const denied = await getJson(f, `/v25.0/me/adaccounts?access_token=${t}`);
    expect(denied.status).toBe(403);
    expect(errorOf(denied.body).code).toBe(200);
    const all = await getJson(f, `/v25.0/me/permissions?access_token=${t}`, { method: "DELETE" });
    expect(all.body).toEqual({ success: true });
    expect(errorOf((await getJson(f, `/v25.0/me?access_token=${t}`)).body)).toMatchObject({ code: 190, error_subcode: 466 });
  });

  it("the app token can revoke on a user's behalf via /{user-id}/permissions", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo", scopes: ["ads_read"] });
    const res = await getJson(f, `/v25.0/${t.userId}/permissions?access_token=${APP_TOKEN}`, { method: "DELETE" });
    expect(res.body).toEqual({ success: true });
    expect(errorOf((await getJson(f, `/me?access_token=${t.accessToken}`)).body).error_subcode).toBe(466);
  });
});

describe("checklist 13: Require App Secret", () => {
  it("missing proof → GraphMethodException 100; bad proof → invalid; good proof (query or body) → ok", async () => {
    const { sandbox, fetch: f } = inProcess({ apps: [{ appId: APP_ID, appSecret: APP_SECRET, redirectUris: ["http://x/cb"], requireAppSecretProof: true }] });
    const t = sandbox.control.issueToken({ persona: "solo" }).accessToken;
    const missing = await getJson(f, `/v25.0/me?access_token=${t}`);
    expect(missing.status).toBe(400);
    expect(errorOf(missing.body)).toMatchObject({ code: 100, type: "GraphMethodException", message: "API calls from the server require an appsecret_proof argument" });
    const bad = await getJson(f, `/v25.0/me?access_token=${t}&appsecret_proof=${"0".repeat(64)}`);
    expect(errorOf(bad.body)).toMatchObject({ code: 100, type: "GraphMethodException", message: "Invalid appsecret_proof provided in the API argument" });
    const proof = createHmac("sha256", APP_SECRET).update(t).digest("hex");
    expect((await getJson(f, `/v25.0/me?access_token=${t}&appsecret_proof=${proof}`)).status).toBe(200);
    const body = await getJson(f, `/v25.0/me`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: t, appsecret_proof: proof, method: "GET" }).toString(),
    });
    expect(body.status).toBe(200);
  });
});

describe("checklist 14: token via query, form body or Bearer header", () => {
  it("accepts all three placements", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo" }).accessToken;
    expect((await getJson(f, `/v25.0/me?access_token=${t}`)).body.name).toBe("Sam Solo");
    expect((await getJson(f, `/v25.0/me`, { headers: { authorization: `Bearer ${t}` } })).body.name).toBe("Sam Solo");
    const viaBody = await getJson(f, `/v25.0/me/permissions/ads_read`, {
      method: "DELETE",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `access_token=${t}`,
    });
    expect(viaBody.body).toEqual({ success: true });
    const none = await getJson(f, `/v25.0/me`);
    expect(errorOf(none.body)).toMatchObject({ code: 2500, message: "An active access token must be used to query information about the current user." });
  });
});

describe("checklist 15: error envelope and statuses", () => {
  it("has message/type/code/error_subcode/fbtrace_id, 400 by default, 403 for #200, 500 for codes 1/2", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo" }).accessToken;
    sandbox.control.advanceClock(61 * 86400_000);
    const res = await f(`/v25.0/me?access_token=${t}`);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(["code", "error_subcode", "fbtrace_id", "message", "type"]);
    expect(body.error.fbtrace_id).toMatch(/^[A-Za-z0-9]{11}$/);
    const t2 = sandbox.control.issueToken({ persona: "empty" }).accessToken;
    expect((await f(`/v25.0/me/adaccounts?access_token=${t2}`)).status).toBe(403);
    sandbox.control.injectFault({ code: 2 });
    const unknown = await getJson(f, `/v25.0/me?access_token=${t2}`);
    expect(unknown.status).toBe(500);
    expect(errorOf(unknown.body)).toMatchObject({ code: 2, is_transient: true });
  });
});
