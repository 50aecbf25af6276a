import { describe, expect, it } from "vitest";
import {
  adAccountSchema,
  batchResponseSchema,
  debugTokenResponseSchema,
  errorEnvelopeSchema,
  pageSchema,
  permissionsResponseSchema,
  tokenResponseSchema,
} from "./schema";
import { parseUsageHeaders, retryAfterSeconds } from "./usage-headers";

// Shapes from shared/reference/meta-graph-api.md (sections noted per test).

describe("Graph schemas", () => {
  it("§2.2 token response, with and without expires_in", () => {
    expect(tokenResponseSchema.parse({ access_token: "EAAG", token_type: "bearer", expires_in: 5183944 }).expires_in).toBe(5183944);
    expect(tokenResponseSchema.parse({ access_token: "EAAG", token_type: "bearer" }).expires_in).toBeUndefined();
    expect(tokenResponseSchema.safeParse({ token_type: "bearer" }).success).toBe(false);
  });

  it("§6.1 error envelope with optional keys", () => {
    const full = errorEnvelopeSchema.parse({
      error: { message: "m", type: "OAuthException", code: 190, error_subcode: 463, is_transient: false, error_user_title: "t", error_user_msg: "u", error_data: { blame_field_specs: [["fields"]] }, fbtrace_id: "AxYz" },
    });
    expect(full.error).toMatchObject({ code: 190, error_subcode: 463 });
    expect(errorEnvelopeSchema.parse({ error: { message: "m", type: "GraphMethodException", code: 100, fbtrace_id: "x" } }).error.error_subcode).toBeUndefined();
  });

  it("§3 debug_token: valid long-lived, never-expiring, invalid and unparseable tokens", () => {
    const valid = debugTokenResponseSchema.parse({
      data: {
        app_id: "257000000000000", type: "USER", application: "My App", data_access_expires_at: 1776526788, expires_at: 1773934788, is_valid: true, issued_at: 1768750788,
        metadata: { auth_type: "rerequest" }, scopes: ["ads_read", "business_management"],
        granular_scopes: [{ scope: "ads_read", target_ids: ["1200000000001"] }, { scope: "business_management" }], user_id: "7801700000000",
      },
    });
    expect(valid.data.granular_scopes).toHaveLength(2);
    const never = debugTokenResponseSchema.parse({ data: { app_id: "1", type: "USER", expires_at: 0, is_valid: true, scopes: [], user_id: "2" } });
    expect(never.data.expires_at).toBe(0);
    expect(never.data.issued_at).toBeUndefined();
    const invalid = debugTokenResponseSchema.parse({
      data: { app_id: "1", type: "USER", data_access_expires_at: 1, expires_at: 2, is_valid: false, issued_at: 3, scopes: ["email"], user_id: "123", error: { code: 190, subcode: 463, message: "expired" } },
    });
    expect(invalid.data.error).toEqual({ code: 190, subcode: 463, message: "expired" });
    const garbage = debugTokenResponseSchema.parse({ data: { error: { code: 190, message: "Invalid OAuth access token - Cannot parse access token" }, is_valid: false, scopes: [] } });
    expect(garbage.data.is_valid).toBe(false);
  });

  it("§4 /me/permissions", () => {
    const parsed = permissionsResponseSchema.parse({
      data: [{ permission: "public_profile", status: "granted" }, { permission: "pages_manage_posts", status: "declined" }, { permission: "instagram_basic", status: "expired" }],
    });
    expect(parsed.data.map((p) => p.status)).toEqual(["granted", "declined", "expired"]);
  });

  it("§9.2 ad account: business optional, disable_reason optional, ids checked", () => {
    const account = {
      id: "act_1200000000001", account_id: "1200000000001", name: "Acme – EU", account_status: 1, disable_reason: 0, currency: "EUR", timezone_name: "Europe/Berlin",
      timezone_offset_hours_utc: 2, amount_spent: "1234567", business: { id: "4100000000001", name: "Acme GmbH" }, user_tasks: ["MANAGE"],
    };
    expect(adAccountSchema.parse(account).business?.name).toBe("Acme GmbH");
    const { business: _b, disable_reason: _d, ...personal } = account;
    expect(adAccountSchema.parse(personal).business).toBeUndefined();
    expect(adAccountSchema.safeParse({ ...account, id: "1200000000001" }).success).toBe(false);
    expect(adAccountSchema.safeParse({ ...account, account_status: "1" }).success).toBe(false);
  });

  it("§8 paging envelope: next optional, cursors may remain on the last page", () => {
    const page = pageSchema(adAccountSchema.pick({ id: true, account_id: true }));
    const middle = page.parse({ data: [{ id: "act_1", account_id: "1" }], paging: { cursors: { before: "QVFI", after: "QVFJ" }, next: "https://graph.facebook.com/v25.0/1/adaccounts?after=QVFJ" } });
    expect(middle.paging?.next).toMatch(/after=/);
    expect(page.parse({ data: [], paging: { cursors: { before: "a", after: "b" } } }).paging?.next).toBeUndefined();
    expect(page.parse({ data: [] }).paging).toBeUndefined();
  });

  it("§16 batch response: string bodies, optional headers, null for items that did not run", () => {
    const items = batchResponseSchema.parse([{ code: 200, headers: [{ name: "x-app-usage", value: "{}" }], body: "{\"id\":\"1\"}" }, { code: 400, body: "{\"error\":{}}" }, null]);
    expect(items[2]).toBeNull();
    expect(batchResponseSchema.safeParse([{ code: 200, body: { id: "1" } }]).success).toBe(false);
  });

  it("§7 usage headers: parsed when present, retry-after from estimated_time_to_regain_access (minutes)", () => {
    const headers = new Headers({
      "x-app-usage": JSON.stringify({ call_count: 28, total_cputime: 25, total_time: 25 }),
      "x-business-use-case-usage": JSON.stringify({ "1200000000001": [{ type: "ads_management", call_count: 100, estimated_time_to_regain_access: 3 }] }),
      "x-ad-account-usage": JSON.stringify({ acc_id_util_pct: 9.67, reset_time_duration: 100 }),
    });
    const usage = parseUsageHeaders(headers);
    expect(usage.app?.call_count).toBe(28);
    expect(retryAfterSeconds(usage)).toBe(180);
    expect(retryAfterSeconds(parseUsageHeaders([{ name: "X-Ad-Account-Usage", value: JSON.stringify({ acc_id_util_pct: 100, reset_time_duration: 45 }) }]))).toBe(45);
    expect(parseUsageHeaders(new Headers({ "x-app-usage": "not json" }))).toEqual({});
  });
});
