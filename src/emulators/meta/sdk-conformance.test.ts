import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "./server";

/**
 * Conformance: Meta's own facebook-nodejs-business-sdk reads ad accounts and insights from the
 * sandbox. The SDK has no base-URL setting, but FacebookAdsApi.call() takes a `urlOverride`
 * domain; a subclass passes the sandbox there. Paging follows our absolute `paging.next` URLs.
 */

type SdkObject = { _data: Record<string, unknown>; id?: string };
type Cursor = SdkObject[] & { hasNext(): boolean; next(): Promise<Cursor> };
type Api = { call(...args: unknown[]): Promise<unknown> };
type ApiClass = (new (token: string, locale?: string, crashLog?: boolean) => Api) & { setDefaultApi(api: Api): void };
type Node = {
  getAdAccounts(fields: string[], params?: Record<string, unknown>): Promise<Cursor>;
  getInsights(fields: string[], params?: Record<string, unknown>): Promise<Cursor>;
  getInsightsAsync(fields: string[], params?: Record<string, unknown>): Promise<Node & SdkObject>;
  getOwnedAdAccounts(fields: string[], params?: Record<string, unknown>): Promise<Cursor>;
  get(fields: string[]): Promise<SdkObject>;
  read(fields: string[]): Promise<SdkObject>;
};
type NodeClass = new (id: string | null, data?: Record<string, unknown>, parentId?: string, api?: Api) => Node;

const sdk = createRequire(import.meta.url)("facebook-nodejs-business-sdk") as {
  FacebookAdsApi: ApiClass;
  User: NodeClass;
  AdAccount: NodeClass;
  Business: NodeClass;
};

let server: SandboxServer;
let api: Api;

beforeAll(async () => {
  server = await startSandboxServer({ port: 0, now: () => Date.UTC(2026, 5, 15, 12) });
  const base = server.url;
  class SandboxApi extends sdk.FacebookAdsApi {
    override call(method: unknown, path: unknown, params: unknown = {}, files: unknown = {}, multipart: unknown = false, urlOverride: unknown = "") {
      return super.call(method, path, params, files, multipart, urlOverride || base);
    }
  }
  const token = server.sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read", "business_management"] }).accessToken;
  api = new SandboxApi(token, "en_US", false);
  sdk.FacebookAdsApi.setDefaultApi(api);
});
afterAll(() => server.close());

async function drain(first: Cursor): Promise<SdkObject[]> {
  const out = [...first];
  let cursor = first;
  while (cursor.hasNext()) {
    cursor = await cursor.next();
    out.push(...cursor);
  }
  return out;
}

describe("conformance: facebook-nodejs-business-sdk against the sandbox", () => {
  it("reads every ad account of the agency persona through the SDK's cursor", async () => {
    const me = new sdk.User("me", {}, undefined, api);
    const accounts = await drain(await me.getAdAccounts(["id", "account_id", "name", "account_status", "currency", "amount_spent", "business"], { limit: 100 }));
    expect(accounts).toHaveLength(251);
    const acc = accounts[1]!._data;
    expect(acc).toMatchObject({ id: "act_1220000000001", account_id: "1220000000001", account_status: 1, business: { id: "4120000000001", name: "Northwind Media" } });
    expect(typeof acc.amount_spent).toBe("string");
    const owned = await drain(await new sdk.Business("4120000000001", {}, undefined, api).getOwnedAdAccounts(["id"], { limit: 150 }));
    expect(new Set(owned.map((a) => a._data.id)).size).toBe(400);
  });

  it("reads an account node and daily insights", async () => {
    const account = new sdk.AdAccount("act_1220000000001", {}, undefined, api);
    const node = await account.read(["name", "currency", "timezone_name"]);
    expect(node._data).toMatchObject({ id: "act_1220000000001", currency: expect.any(String) });
    const rows = await drain(
      await account.getInsights(["spend", "impressions", "actions", "action_values", "purchase_roas"], {
        time_range: { since: "2026-05-01", until: "2026-05-31" },
        time_increment: 1,
        limit: 10,
      }),
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => typeof r._data.spend === "string" && r._data.date_start === r._data.date_stop)).toBe(true);
  });

  it("runs an async insights job through getInsightsAsync, polling with the virtual clock", async () => {
    const account = new sdk.AdAccount("act_1220000000001", {}, undefined, api);
    const run = await account.getInsightsAsync(["spend", "impressions"], { date_preset: "last_30d", time_increment: 1 });
    expect(run.id).toMatch(/^\d+$/);
    expect((await run.get(["async_status", "async_percent_completion"]))._data).toMatchObject({ async_status: "Job Not Started" });
    server.sandbox.control.advanceClock(60_000);
    expect((await run.get(["async_status", "async_percent_completion"]))._data).toMatchObject({ async_status: "Job Completed", async_percent_completion: 100 });
    const rows = await drain(await run.getInsights([], { limit: 7 }));
    expect(rows.length).toBeGreaterThan(15);
    expect(rows[0]!._data).toHaveProperty("spend");
  });

  it("surfaces sandbox errors as the SDK's FacebookRequestError", async () => {
    const err = (await new sdk.AdAccount("act_1210000000000", {}, undefined, api).read(["name"]).catch((e: unknown) => e)) as {
      name: string;
      status: number;
      response: { code: number; error_subcode: number };
    };
    expect(err.name).toBe("FacebookRequestError");
    expect(err.status).toBe(400);
    expect(err.response).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
