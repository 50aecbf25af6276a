import { describe, expect, it } from "vitest";
import { z } from "zod";
import { appSecretProof, createGraphClient, unwrap } from "./client";
import { MetaRequestError, MetaThrottleError, MetaTokenError, MetaTransientError } from "./errors";
import { adAccountSchema, pageSchema } from "./schema";
import { SANDBOX_GRAPH_URL, metaSandbox } from "@kit/meta-sandbox";

const APP = { appId: "1000000000000001", appSecret: "sandbox-app-secret-0000000000000001" };
const strictApp = { apps: [{ ...APP, redirectUris: ["http://localhost:3000/api/auth/callback/facebook"], requireAppSecretProof: true }] };

/** Every token a request carries (header, query or form body) with the proof sent beside it. */
async function proofsOf(request: Request): Promise<{ token: string | null; proof: string | null }> {
  const url = new URL(request.url);
  const form = request.method === "POST" ? new URLSearchParams(await request.clone().text()) : new URLSearchParams();
  const header = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? null;
  return { token: header ?? url.searchParams.get("access_token") ?? form.get("access_token"), proof: url.searchParams.get("appsecret_proof") ?? form.get("appsecret_proof") };
}

describe("Graph client against the sandbox", () => {
  it("sends a valid appsecret_proof on every user-token call (the app requires it)", async () => {
    const { sandbox, graph, calls } = metaSandbox({ sandbox: strictApp });
    const { accessToken } = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read", "business_management"] });
    await graph.get("me", z.object({ id: z.string() }), accessToken, { fields: "id" });
    const [perms, first] = await graph.batch(
      [{ path: "me/permissions", schema: z.object({ data: z.array(z.unknown()) }) }, { path: "me/adaccounts", params: { fields: "id,account_id,name,currency,timezone_name,account_status", limit: "100" }, schema: pageSchema(adAccountSchema) }] as const,
      accessToken,
    );
    expect(unwrap(perms).data.length).toBeGreaterThan(0);
    const rest = await graph.followPages(unwrap(first), adAccountSchema, accessToken);
    expect(rest).toHaveLength(251);
    expect((await graph.debugToken(accessToken)).is_valid).toBe(true);
    expect(await graph.revokePermissions(accessToken)).toBe(true);

    expect(calls.length).toBe(6);
    for (const call of calls) {
      const { token, proof } = await proofsOf(call);
      expect(token).toBeTruthy();
      expect(proof).toBe(appSecretProof(token!, APP.appSecret));
      // Tokens we send never sit in a URL (paging links from Meta are rewritten).
      expect(new URL(call.url).searchParams.get("access_token")).toBeNull();
    }
    const batchItems = JSON.parse(new URLSearchParams(await calls[1]!.clone().text()).get("batch")!) as { relative_url: string }[];
    for (const item of batchItems) expect(item.relative_url).toContain(`appsecret_proof=${appSecretProof(accessToken, APP.appSecret)}`);
  });

  it("follows paging.next until it is absent, across short pages", async () => {
    const pages: { size: number; next: boolean }[] = [];
    const { sandbox, graph } = metaSandbox({
      wrapFetch: (next) => async (input, init) => {
        const res = await next(input, init);
        const body = (await res.clone().json()) as { data: unknown[]; paging?: { next?: string } };
        pages.push({ size: body.data.length, next: Boolean(body.paging?.next) });
        return res;
      },
    });
    const { accessToken } = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] });
    const all = await graph.getAllPages("me/adaccounts", adAccountSchema, accessToken, { fields: "id,account_id,name,currency,timezone_name,account_status", limit: "20" });
    expect(all).toHaveLength(251);
    expect(new Set(all.map((a) => a.id)).size).toBe(251);
    // A short page in the middle did not stop the walk; only the missing `next` did.
    expect(pages.slice(0, -1).some((p) => p.size < 20 && p.next)).toBe(true);
    expect(pages.slice(0, -1).every((p) => p.next)).toBe(true);
    expect(pages.at(-1)!.next).toBe(false);
  });

  it("stops after one page when there is no next link, even with cursors", async () => {
    let n = 0;
    const graph = createGraphClient({
      ...APP,
      graphUrl: SANDBOX_GRAPH_URL,
      graphVersion: "v25.0",
      fetch: async () => {
        n++;
        return Response.json({ data: [{ id: "1", name: "B" }], paging: { cursors: { before: "a", after: "b" } } });
      },
    });
    expect(await graph.getAllPages("me/businesses", z.object({ id: z.string(), name: z.string() }), "t")).toHaveLength(1);
    expect(n).toBe(1);
  });

  it("refuses to follow a paging link to another host (the token would go with it)", async () => {
    const graph = createGraphClient({ ...APP, graphUrl: SANDBOX_GRAPH_URL, graphVersion: "v25.0", fetch: async () => Response.json({}) });
    await expect(graph.getNext("https://evil.example/v25.0/me/adaccounts?after=x", adAccountSchema, "t")).rejects.toBeInstanceOf(MetaRequestError);
  });

  it("exchanges a short-lived token for a new long-lived one", async () => {
    const { sandbox, graph } = metaSandbox();
    const short = sandbox.control.issueToken({ persona: "solo", lifetime: "short" });
    const long = await graph.exchangeForLongLivedToken(short.accessToken);
    expect(long.access_token).not.toBe(short.accessToken);
    expect(long.expires_in).toBeGreaterThan(50 * 86400);
  });

  it("turns Graph errors into typed errors, with retry-after from the usage headers", async () => {
    const { sandbox, graph } = metaSandbox();
    const { accessToken } = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] });
    sandbox.control.throttle({ scope: "ads_management", minutes: 7 });
    const throttled = graph.get("act_1220000000001", adAccountSchema, accessToken, { fields: "id,account_id,name,currency,timezone_name,account_status" });
    await expect(throttled).rejects.toBeInstanceOf(MetaThrottleError);
    await expect(throttled).rejects.toMatchObject({ retryAfterSeconds: 420, metaCode: 80004 });

    sandbox.control.expireToken(accessToken);
    await expect(graph.get("me", z.object({ id: z.string() }), accessToken)).rejects.toMatchObject({ name: "MetaTokenError", reason: "expired" });
    const [item] = await graph.batch([{ path: "me", schema: z.object({ id: z.string() }) }] as const, accessToken);
    expect(item.ok).toBe(false);
    expect(!item.ok && item.error).toBeInstanceOf(MetaTokenError);
  });

  it("reports a batch item that did not run as transient", async () => {
    const { sandbox, graph } = metaSandbox();
    const { accessToken } = sandbox.control.issueToken({ persona: "solo", scopes: ["ads_read"] });
    sandbox.control.injectFault({ path: "/me/adaccounts", timeout: true });
    const [me, ads] = await graph.batch([{ path: "me", schema: z.object({ id: z.string() }) }, { path: "me/adaccounts", schema: z.unknown() }] as const, accessToken);
    expect(me.ok).toBe(true);
    expect(!ads.ok && ads.error).toBeInstanceOf(MetaTransientError);
  });

  it("splits more than 50 batch items into parallel batches and keeps the order", async () => {
    const { sandbox, graph, calls } = metaSandbox();
    const { accessToken } = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] });
    const ids = Array.from({ length: 120 }, (_, i) => `act_122${String(i).padStart(10, "0")}`);
    const results = await graph.batch(ids.map((id) => ({ path: id, params: { fields: "id" }, schema: z.object({ id: z.string() }) })), accessToken);
    expect(results.map((r) => unwrap(r).id)).toEqual(ids);
    expect(calls.map((c) => c.method)).toEqual(["POST", "POST", "POST"]);
  });

  it("answers a network failure or a timeout with MetaTransientError", async () => {
    const failing = createGraphClient({ ...APP, graphUrl: SANDBOX_GRAPH_URL, graphVersion: "v25.0", fetch: async () => Promise.reject(new TypeError("fetch failed")) });
    await expect(failing.get("me", z.unknown(), "t")).rejects.toBeInstanceOf(MetaTransientError);
    const hanging = createGraphClient({
      ...APP,
      graphUrl: SANDBOX_GRAPH_URL,
      graphVersion: "v25.0",
      timeoutMs: 10,
      fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))),
    });
    await expect(hanging.get("me", z.unknown(), "t")).rejects.toMatchObject({ name: "MetaTransientError", message: "Facebook did not answer in time." });
  });

  it("rejects an answer that does not match the schema", async () => {
    const graph = createGraphClient({ ...APP, graphUrl: SANDBOX_GRAPH_URL, graphVersion: "v25.0", fetch: async () => Response.json({ data: [{ id: "42" }] }) });
    await expect(graph.getAllPages("me/adaccounts", adAccountSchema, "t")).rejects.toBeInstanceOf(MetaRequestError);
  });
});
