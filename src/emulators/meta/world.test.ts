import { describe, expect, it } from "vitest";
import { APP_ID, APP_SECRET, REDIRECT, codeFrom, errorOf, exchange, getJson, HARBOR, inProcess, pageToken, PUBLISHING_SCOPES, type Fetcher } from "@kit/meta-emulator";
import type { SandboxOptions } from "./types";

/**
 * What the sandbox remembers survives export → JSON → import into a new sandbox (what a restart
 * does through the snapshot store): tokens, codes, grants and declines, ticked Pages, the clock,
 * posts, report runs, app mode, faults.
 */
const PAGE = "1034000000001";
const SCOPES = "ads_read,email,pages_show_list,pages_manage_posts,pages_read_engagement";
const T0 = Date.UTC(2026, 4, 1, 12);
const form = (body: Record<string, string | string[]>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) q.append(k, x);
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: q.toString(), redirect: "manual" as const };
};

/** Pat Pages logs in through the dialog: email unticked, only the bakery Page ticked; long-lived token. */
async function linkPat(f: Fetcher, base: string) {
  const granted = SCOPES.split(",").filter((x) => x !== "email");
  const dialog = await f(
    `${base}/v25.0/dialog/oauth`,
    form({ client_id: APP_ID, redirect_uri: REDIRECT, state: "s", scope: SCOPES, persona: "pages", granted, page: PAGE, action: "continue" }),
  );
  const code = codeFrom(dialog.headers.get("location"));
  const short = ((await (await exchange(f, base, code)).json()) as { access_token: string }).access_token;
  const long = await getJson(f, `/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id=${APP_ID}&client_secret=${APP_SECRET}&fb_exchange_token=${short}`);
  return { code, token: long.body.access_token as string, cookie: (dialog.headers.get("set-cookie") ?? "").split(";")[0]! };
}

describe("Meta sandbox state across a restart", () => {
  it("a new sandbox that imports the exported state behaves like the old one", async () => {
    const before = inProcess({ now: () => T0 });
    const { code, token, cookie } = await linkPat(before.fetch, before.base);
    before.sandbox.control.advanceClock(86_400_000);
    const accounts = (await getJson(before.fetch, `/v25.0/me/accounts?fields=id,access_token&access_token=${token}`)).body.data as { id: string; access_token: string }[];
    const pageToken = accounts[0]!.access_token;
    expect((await getJson(before.fetch, `/v25.0/${PAGE}/feed?access_token=${pageToken}`, form({ message: "Fresh bread" }))).status).toBe(200);
    const act = ((await getJson(before.fetch, `/v25.0/me/adaccounts?access_token=${token}`)).body.data as { id: string }[])[0]!.id;
    const run = (await getJson(before.fetch, `/v25.0/${act}/insights?access_token=${token}`, form({ date_preset: "last_30d" }))).body.report_run_id as string;
    before.sandbox.control.advanceClock(10_000);
    before.sandbox.control.setAppMode("live");
    before.sandbox.control.injectFault({ path: "/me/adaccounts", code: 2, count: 1 });
    const idsBefore = Object.values(before.sandbox.exportState().world.tokens).map((t) => t.id);

    // The restart: only JSON crosses it.
    const after = inProcess({ now: () => T0 });
    after.sandbox.importState(JSON.parse(JSON.stringify(before.sandbox.exportState())));
    const f = after.fetch;

    expect(after.sandbox.control.now()).toBe(before.sandbox.control.now());
    expect((await getJson(f, `/v25.0/me?fields=id,name,email&access_token=${token}`)).body).toEqual({ id: after.sandbox.control.userId("pages"), name: "Pat Pages" });
    const perms = (await getJson(f, `/v25.0/me/permissions?access_token=${token}`)).body.data as { permission: string; status: string }[];
    expect(perms.find((p) => p.permission === "email")?.status).toBe("declined");
    expect(perms.filter((p) => p.status === "granted").map((p) => p.permission)).toEqual(["public_profile", "ads_read", "pages_show_list", "pages_manage_posts", "pages_read_engagement"]);
    expect((await getJson(f, `/v25.0/me/accounts?fields=id,access_token&access_token=${token}`)).body.data).toEqual([{ id: PAGE, access_token: pageToken }]);
    expect(errorOf((await getJson(f, `/v25.0/${PAGE}/feed?access_token=${pageToken}`, form({ message: "Fresh bread" }))).body).code).toBe(506);
    expect(errorOf((await exchange(f, after.base, code).then(async (r) => ({ body: (await r.json()) as Record<string, unknown> }))).body).error_subcode).toBe(36009);
    expect((await getJson(f, `/v25.0/${run}?access_token=${token}`)).body).toMatchObject({ async_status: "Job Running" });
    after.sandbox.control.advanceClock(10_000);
    expect((await getJson(f, `/v25.0/${run}?access_token=${token}`)).body).toMatchObject({ async_status: "Job Completed" });
    expect(errorOf((await getJson(f, `/v25.0/me/adaccounts?access_token=${token}`)).body).code).toBe(2);
    expect((await getJson(f, `/v25.0/me/adaccounts?access_token=${token}`)).status).toBe(200);
    // The remembered user passes the dialog straight through; new ids never repeat old ones.
    const again = await f(`${after.base}/v25.0/dialog/oauth?client_id=${APP_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=ads_read`, { headers: { cookie }, redirect: "manual" });
    expect(again.status).toBe(302);
    expect(idsBefore).not.toContain(after.sandbox.control.issueToken({ persona: "solo" }).tokenId);
    // Expiry still follows the virtual clock: 60 days after the exchange the token is gone.
    after.sandbox.control.advanceClock(60 * 86_400_000);
    expect(errorOf((await getJson(f, `/v25.0/me?access_token=${token}`)).body)).toMatchObject({ code: 190, error_subcode: 463 });
  });

  it("keeps what was ticked, published, queued and subscribed: Pages, posts, Instagram containers and media, the quota, webhook deliveries", async () => {
    let failNext = false;
    const hits: string[] = [];
    const options = (): SandboxOptions => ({
      now: () => T0,
      igPublishingQuota: 3,
      apps: [{ appId: APP_ID, appSecret: APP_SECRET, redirectUris: ["http://app.test/cb"] }],
      webhooks: {
        subscribed: true,
        transport: async (r) => {
          hits.push(await r.text());
          const status = failNext ? 500 : 200;
          failNext = false;
          return new Response(null, { status });
        },
      },
    });
    const before = inProcess(options());
    before.sandbox.control.setDialogBehaviour("publisher", "approve", { pages: [HARBOR.coffee, HARBOR.market] });
    before.sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES, assets: { pages: [HARBOR.coffee, HARBOR.market] } });
    const user = before.sandbox.control.issueToken({ persona: "publisher" }).accessToken;
    const coffee = await pageToken(before.fetch, user, HARBOR.coffee);
    const g = (f: Fetcher, path: string, body?: Record<string, string>) => getJson(f, `/v25.0/${path}${path.includes("?") ? "&" : "?"}access_token=${path.startsWith(HARBOR.coffee) ? coffee : user}`, body ? form(body) : undefined);
    expect((await g(before.fetch, `${HARBOR.coffee}/feed`, { message: "Kept" })).status).toBe(200);
    const at = String(Math.floor(T0 / 1000) + 3600);
    expect((await g(before.fetch, `${HARBOR.coffee}/feed`, { message: "Later", published: "false", scheduled_publish_time: at })).status).toBe(200);
    const done = (await g(before.fetch, `${HARBOR.igCoffee}/media`, { image_url: "https://cdn.example/a.jpg", caption: "Published" })).body.id as string;
    before.sandbox.control.advanceClock(5_000);
    const media = (await g(before.fetch, `${HARBOR.igCoffee}/media_publish`, { creation_id: done })).body.id as string;
    const waiting = (await g(before.fetch, `${HARBOR.igCoffee}/media`, { image_url: "https://cdn.example/b.jpg" })).body.id as string;
    before.sandbox.control.injectFault({ path: "/*/feed", code: 2, applied: true });
    await before.sandbox.control.deliverWebhooks();
    failNext = true;
    before.sandbox.control.setAssetTicked("publisher", HARBOR.market, false);
    await before.sandbox.control.deliverWebhooks();
    const pending = before.sandbox.control.webhookDeliveries().at(-1)!;
    hits.length = 0;
    expect(pending).toMatchObject({ state: "pending", attempts: [{ status: 500 }] });

    const after = inProcess(options());
    after.sandbox.importState(JSON.parse(JSON.stringify(before.sandbox.exportState())));
    expect(JSON.parse(JSON.stringify(after.sandbox.exportState()))).toEqual(JSON.parse(JSON.stringify(before.sandbox.exportState())));
    const f = after.fetch;
    expect((await getJson(f, `/debug_token?input_token=${user}&access_token=${APP_ID}|${APP_SECRET}`)).body.data).toMatchObject({ granular_scopes: expect.arrayContaining([{ scope: "pages_show_list", target_ids: [HARBOR.coffee] }]) });
    expect(errorOf((await g(f, `${HARBOR.coffee}/feed`, { message: "Lost answer" })).body).code).toBe(2);
    after.sandbox.control.advanceClock(3600_000);
    expect(((await g(f, `${HARBOR.coffee}/feed?fields=message`)).body.data as { message: string }[]).map((p) => p.message)).toEqual(["Later", "Lost answer", "Kept"]);
    expect(((await g(f, `${HARBOR.igCoffee}/media`)).body.data as { id: string }[]).map((m) => m.id)).toEqual([media]);
    expect((await g(f, `${waiting}?fields=status_code`)).body).toMatchObject({ status_code: "FINISHED" });
    expect((await g(f, `${HARBOR.igCoffee}/content_publishing_limit`)).body).toEqual({ data: [{ quota_usage: 1 }] });
    // The retry falls due on the restored clock and sends the same bytes.
    const retried = (await after.sandbox.control.deliverWebhooks()).at(-1);
    expect(hits).toHaveLength(1);
    expect(retried).toMatchObject({ id: pending.id, state: "delivered", attempts: [{ status: 500 }, { status: 200 }] });
    expect(hits[0]).toBe(pending.body);
    expect(after.sandbox.control.webhookSubscribed()).toBe(true);
  });

  it("loads a snapshot written before posts, Instagram media and webhooks were kept", () => {
    const old = inProcess();
    old.sandbox.control.issueToken({ persona: "solo" });
    const { world, ...rest } = JSON.parse(JSON.stringify(old.sandbox.exportState())) as { world: Record<string, unknown> };
    delete world.pagePosts;
    delete world.igMedia;
    delete world.webhooks;
    world.posts = { "1034000000001": { lastMessage: "hi", count: 1 } };
    const now = inProcess();
    now.sandbox.importState({ ...rest, world });
    expect(now.sandbox.exportState().world).toMatchObject({ pagePosts: {}, igMedia: {}, webhooks: { subscriptions: {}, deliveries: [] } });
  });

  it("keeps the live app mode: a persona without an app role gets in after the restart", async () => {
    const before = inProcess();
    before.sandbox.control.setAppMode("live");
    const after = inProcess();
    after.sandbox.importState(JSON.parse(JSON.stringify(before.sandbox.exportState())));
    after.sandbox.control.setDialogBehaviour("outsider", "approve");
    const res = await after.fetch(`${after.base}/v25.0/dialog/oauth?client_id=${APP_ID}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=email`, { redirect: "manual" });
    expect(res.headers.get("location")).toContain("code=");
  });

  it("refuses a state made with another seed or that is not a sandbox state, and keeps its own", () => {
    const one = inProcess({ seed: 1 });
    const token = one.sandbox.control.issueToken({ persona: "solo" }).accessToken;
    const two = inProcess({ seed: 2 });
    expect(() => two.sandbox.importState(one.sandbox.exportState())).toThrow("it was made with seed 1, this sandbox runs seed 2");
    expect(() => two.sandbox.importState({ seed: 2, world: { tokens: [] } })).toThrow(/^not a Meta sandbox state/);
    expect(() => one.sandbox.importState("{}")).toThrow(/^not a Meta sandbox state/);
    expect(one.sandbox.control.tokenId(token)).not.toBeNull();
  });

  it("treats record keys from requests as plain keys: __proto__ is an unknown token, not an object", async () => {
    const { fetch: f, sandbox } = inProcess();
    for (const t of ["__proto__", "constructor", "toString"]) {
      expect(errorOf((await getJson(f, `/v25.0/me?access_token=${t}`)).body)).toMatchObject({ code: 190, message: "Invalid OAuth access token - Cannot parse access token" });
    }
    // A snapshot file naming a token "__proto__" loads without touching any prototype.
    const record = { id: "tok_9", value: "__proto__", type: "USER", appId: APP_ID, personaId: "solo", userId: "1", issuedAt: T0, expiresAt: 0, longLived: true, polluted: true };
    const exported = JSON.stringify(sandbox.exportState()).replace('"tokens":{}', `"tokens":{"__proto__":${JSON.stringify(record)}}`);
    const restored = inProcess();
    restored.sandbox.importState(JSON.parse(exported) as unknown);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(restored.sandbox.exportState().world.tokens)).toBeNull();
  });
});
