import { describe, expect, it } from "vitest";
import { APP_TOKEN, errorOf, getJson, inProcess } from "@kit/meta-emulator";

// Checklist 24: the batch endpoint.

type Item = { code: number; headers?: { name: string; value: string }[]; body: string } | null;

function batch(f: ReturnType<typeof inProcess>["fetch"], items: unknown[], token?: string, extra: Record<string, string> = {}) {
  const body = new URLSearchParams({ batch: JSON.stringify(items), ...extra, ...(token ? { access_token: token } : {}) });
  return getJson(f, "/v25.0/", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: body.toString() });
}

describe("checklist 24: batch requests", () => {
  it("runs items in order with string bodies, per-item headers and per-item errors under HTTP 200", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] }).accessToken;
    const res = await batch(f, [
      { method: "GET", relative_url: "me?fields=id,name" },
      { method: "GET", relative_url: "act_1220000000001?fields=id,name,account_status" },
      { method: "GET", relative_url: "act_1210000000000" },
    ], t);
    expect(res.status).toBe(200);
    const items = res.body as unknown as Item[];
    expect(items).toHaveLength(3);
    expect(items[0]!.code).toBe(200);
    expect(JSON.parse(items[0]!.body)).toMatchObject({ name: "Avery Agency" });
    expect(items[1]!.headers!.map((h) => h.name)).toContain("x-business-use-case-usage");
    expect(items[2]!.code).toBe(400);
    expect(JSON.parse(items[2]!.body).error).toMatchObject({ code: 100, error_subcode: 33 });
    const logged = sandbox.control.requestLog().filter((e) => e.path === "/v25.0/");
    expect(logged).toEqual([expect.objectContaining({ method: "POST", batchSize: 3, status: 200 })]);
  });

  it("supports per-item tokens (debug_token sweep) and include_headers=false", async () => {
    const { sandbox, fetch: f } = inProcess();
    const a = sandbox.control.issueToken({ persona: "solo" }).accessToken;
    const b = sandbox.control.issueToken({ persona: "empty" }).accessToken;
    sandbox.control.revokeToken(b, "password_changed");
    const res = await batch(f, [a, b].map((x) => ({ method: "GET", relative_url: `debug_token?input_token=${x}` })), APP_TOKEN, { include_headers: "false" });
    const items = res.body as unknown as Item[];
    expect(items[0]).not.toHaveProperty("headers");
    expect(JSON.parse(items[0]!.body).data.is_valid).toBe(true);
    expect(JSON.parse(items[1]!.body).data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 460 } });
    const own = await batch(f, [{ method: "GET", relative_url: `me?access_token=${a}` }]);
    expect(JSON.parse((own.body as unknown as Item[])[0]!.body).name).toBe("Sam Solo");
  });

  it("resolves name/JSONPath dependencies and omits referenced results", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "pages", scopes: ["pages_show_list", "instagram_basic"] }).accessToken;
    const res = await batch(f, [
      { method: "GET", name: "pages", relative_url: "me/accounts?fields=id&limit=50" },
      { method: "GET", relative_url: "?ids={result=pages:$.data.*.id}&fields=instagram_business_account" },
    ], t);
    const items = res.body as unknown as Item[];
    expect(items[0]).toBeNull();
    expect(JSON.parse(items[1]!.body)).toEqual({
      "1034000000001": { instagram_business_account: { id: "17841440000000001" }, id: "1034000000001" },
      "1034000000002": { id: "1034000000002" },
    });
  });

  it("more than 50 items is refused; timed-out items come back null", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo" }).accessToken;
    const tooMany = await batch(f, Array.from({ length: 51 }, () => ({ method: "GET", relative_url: "me" })), t);
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany.body).message).toContain("Maximum batch size is 50");
    sandbox.control.injectFault({ path: "/me/permissions", timeout: true });
    const res = await batch(f, [{ method: "GET", relative_url: "me" }, { method: "GET", relative_url: "me/permissions" }, { method: "GET", relative_url: "me" }], t);
    const items = res.body as unknown as Item[];
    expect(items[0]!.code).toBe(200);
    expect(items[1]).toBeNull();
    expect(items[2]).toBeNull();
  });
});
