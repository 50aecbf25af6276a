import { describe, expect, it } from "vitest";
import { APP_ID, APP_TOKEN, REDIRECT, codeFrom, dialogUrl, errorOf, exchange, form, getJson, HARBOR, inProcess, pageToken, PUBLISHING_SCOPES, type Fetcher } from "@kit/meta-emulator";

/**
 * Checklist 3 (asset picking), 10 (Page role removed), 11 (granular_scopes) and 21 (Pages) for the
 * Page personas: several Pages with and without Instagram and publishing tasks, one Page the dialog
 * leaves unticked, one reached only through a business.
 */

type PageRow = { id: string; name: string; tasks?: string[]; access_token?: string; instagram_business_account?: Record<string, unknown> };
type Granular = { scope: string; target_ids?: string[] }[];

async function granular(f: Fetcher, token: string): Promise<Record<string, string[] | undefined>> {
  const d = (await getJson(f, `/debug_token?input_token=${token}&access_token=${APP_TOKEN}`)).body.data as { granular_scopes: Granular };
  return Object.fromEntries(d.granular_scopes.map((g) => [g.scope, g.target_ids]));
}

async function accounts(f: Fetcher, token: string, fields = "id,name"): Promise<PageRow[]> {
  return (await getJson(f, `/v25.0/me/accounts?fields=${fields}&access_token=${token}`)).body.data as PageRow[];
}

/** Through the real dialog form: Continue as `persona` with these boxes ticked. */
async function dialogLogin(f: Fetcher, base: string, persona: string, ticks: { page?: string[]; instagram?: string[]; ad_account?: string[] }, extra: Record<string, string> = {}) {
  const res = await f(
    `${base}/v25.0/dialog/oauth`,
    form({
      client_id: APP_ID,
      redirect_uri: REDIRECT,
      state: "s",
      scope: PUBLISHING_SCOPES.join(","),
      persona,
      granted: PUBLISHING_SCOPES,
      assets_offered: "page,instagram,ad_account",
      ...ticks,
      action: "continue",
      ...extra,
    }),
  );
  const body = (await (await exchange(f, base, codeFrom(res.headers.get("location")))).json()) as { access_token: string };
  return body.access_token;
}

describe("checklist 21: the publisher persona's Pages", () => {
  it("/me/accounts: granted Pages with tasks, Page tokens and the Instagram account's fields; not the unticked one, not the business-only one", async () => {
    const { sandbox, fetch: f } = inProcess();
    const user = sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES }).accessToken;
    const rows = await accounts(f, user, "id,name,tasks,access_token,instagram_business_account{id,username,name,followers_count,media_count}");
    expect(rows.map((r) => r.name)).toEqual(["Harbor Coffee", "Harbor Bookshop", "Harbor Gallery"]);
    expect(rows[0]!.instagram_business_account).toEqual({ id: HARBOR.igCoffee, username: "harborcoffee", name: "Harbor Coffee", followers_count: 5400, media_count: 212 });
    expect(rows[1]).not.toHaveProperty("instagram_business_account");
    expect(rows[0]!.tasks).toEqual(expect.arrayContaining(["MANAGE", "CREATE_CONTENT"]));
    expect(rows[1]!.tasks).toContain("CREATE_CONTENT");
    expect(rows[1]!.tasks).not.toContain("MANAGE");
    expect(rows[2]!.tasks).toEqual(["ANALYZE", "MODERATE"]);
    for (const row of rows) {
      const d = (await getJson(f, `/debug_token?input_token=${row.access_token!}&access_token=${APP_TOKEN}`)).body.data;
      expect(d).toMatchObject({ type: "PAGE", profile_id: row.id, is_valid: true, expires_at: 0 });
    }
  });

  it("the Business Portfolio: owned_pages lists every Page of the business (no token on the unticked one), client_pages the business-only Page", async () => {
    const { sandbox, fetch: f } = inProcess();
    const user = sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES }).accessToken;
    const businesses = (await getJson(f, `/v25.0/me/businesses?access_token=${user}`)).body.data;
    expect(businesses).toEqual([{ id: HARBOR.business, name: "Harbor Goods Co." }]);
    const owned = (await getJson(f, `/v25.0/${HARBOR.business}/owned_pages?fields=id,name,access_token,instagram_business_account{id}&access_token=${user}`)).body.data as PageRow[];
    expect(owned.map((p) => p.name)).toEqual(["Harbor Coffee", "Harbor Bookshop", "Harbor Gallery", "Harbor Market"]);
    expect(owned.find((p) => p.id === HARBOR.market)).toEqual({ id: HARBOR.market, name: "Harbor Market", instagram_business_account: { id: HARBOR.igMarket } });
    expect(owned.find((p) => p.id === HARBOR.coffee)!.access_token).toMatch(/^EAA/);
    const client = (await getJson(f, `/v25.0/${HARBOR.business}/client_pages?fields=id,name,tasks,access_token&access_token=${user}`)).body.data as PageRow[];
    expect(client).toEqual([{ id: HARBOR.studio, name: "Harbor Studio", tasks: expect.arrayContaining(["MANAGE"]), access_token: expect.stringMatching(/^EAA/) }]);
    // The unticked Page cannot be used: no node, no token.
    expect(errorOf((await getJson(f, `/v25.0/${HARBOR.market}?fields=access_token&access_token=${user}`)).body)).toMatchObject({ code: 100, error_subcode: 33 });
    // Without business_management the business-only Page is out of reach as well.
    const noBiz = inProcess();
    const t = noBiz.sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES.filter((x) => x !== "business_management") }).accessToken;
    expect(errorOf((await getJson(noBiz.fetch, `/v25.0/${HARBOR.business}/owned_pages?access_token=${t}`)).body).code).toBe(200);
    expect(errorOf((await getJson(noBiz.fetch, `/v25.0/${HARBOR.studio}?fields=access_token&access_token=${t}`)).body)).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe("checklist 3 + 11: ticking assets in the dialog, granular_scopes", () => {
  it("the dialog offers Pages (one unticked by default), Instagram accounts and ad accounts, labelled by name", async () => {
    const { fetch: f, base } = inProcess();
    const html = await (await f(dialogUrl(base, { scope: PUBLISHING_SCOPES.join(",") }))).text();
    const box = (name: string, id: string) => new RegExp(`<input type="checkbox" name="${name}" value="${id}"( checked)?> ([^<]+)</label>`).exec(html);
    expect(box("page", HARBOR.coffee)?.slice(1)).toEqual([" checked", "Harbor Coffee"]);
    expect(box("page", HARBOR.market)?.slice(1)).toEqual([undefined, "Harbor Market"]);
    expect(box("page", HARBOR.studio)?.slice(1)).toEqual([" checked", "Harbor Studio"]);
    expect(box("instagram", HARBOR.igMarket)?.slice(1)).toEqual([undefined, "@harbormarket"]);
    expect(box("ad_account", HARBOR.adAccount)?.slice(1)).toEqual([" checked", `act_${HARBOR.adAccount}`]);
    expect(html).toContain("Pages to share (Parker Publisher)");
  });

  it("defaults: target_ids are exactly the default ticks (Instagram follows its Page)", async () => {
    const { sandbox, fetch: f } = inProcess();
    sandbox.control.setDialogBehaviour("publisher", "approve");
    const res = await f(dialogUrl("http://sandbox.test", { scope: PUBLISHING_SCOPES.join(",") }), { redirect: "manual" });
    const token = ((await (await exchange(f, "http://sandbox.test", codeFrom(res.headers.get("location")))).json()) as { access_token: string }).access_token;
    const g = await granular(f, token);
    expect(g.pages_show_list).toEqual([HARBOR.coffee, HARBOR.bookshop, HARBOR.gallery, HARBOR.studio]);
    expect(g.pages_manage_posts).toEqual(g.pages_show_list);
    expect(g.instagram_basic).toEqual([HARBOR.igCoffee, HARBOR.igGallery, HARBOR.igStudio]);
    expect(g.ads_read).toEqual([HARBOR.adAccount]);
    expect(g.business_management).toEqual([HARBOR.business]);
  });

  it("what the user ticks is what the app gets: Pages, Instagram accounts and ad accounts", async () => {
    const { fetch: f, base } = inProcess();
    const token = await dialogLogin(f, base, "publisher", { page: [HARBOR.coffee, HARBOR.market], instagram: [HARBOR.igMarket] });
    const g = await granular(f, token);
    expect(g.pages_show_list).toEqual([HARBOR.coffee, HARBOR.market]);
    expect(g.instagram_basic).toEqual([HARBOR.igMarket]);
    expect(g.ads_read).toEqual([]);
    expect((await accounts(f, token)).map((p) => p.name)).toEqual(["Harbor Coffee", "Harbor Market"]);
    expect((await getJson(f, `/v25.0/me/adaccounts?access_token=${token}`)).body.data).toEqual([]);
    expect(errorOf((await getJson(f, `/v25.0/act_${HARBOR.adAccount}?access_token=${token}`)).body)).toMatchObject({ code: 100, error_subcode: 33 });
    // Instagram: only the ticked account answers.
    expect((await getJson(f, `/v25.0/${HARBOR.igMarket}?fields=username&access_token=${token}`)).body).toEqual({ username: "harbormarket", id: HARBOR.igMarket });
    expect(errorOf((await getJson(f, `/v25.0/${HARBOR.igCoffee}?access_token=${token}`)).body)).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it("re-linking shows the previous ticks, and ticking one more Page adds it", async () => {
    const { fetch: f, base } = inProcess();
    const first = await dialogLogin(f, base, "creator", { page: ["1039000000001", "1039000000002"] });
    expect((await accounts(f, first)).map((p) => p.name)).toEqual(["Casey Cooks", "Casey Travels"]);
    const owned = (await getJson(f, `/v25.0/4190000000001/owned_pages?fields=name,access_token&access_token=${first}`)).body.data as PageRow[];
    expect(owned.map((p) => [p.name, typeof p.access_token])).toEqual([
      ["Casey Cooks", "string"],
      ["Casey Travels", "string"],
      ["Casey Crafts", "undefined"],
    ]);
    const html = await (await f(dialogUrl(base, { scope: PUBLISHING_SCOPES.join(","), extra: { auth_type: "rerequest" } }))).text();
    expect(html).toMatch(/value="1039000000003"> Casey Crafts/);
    const again = await dialogLogin(f, base, "creator", { page: ["1039000000001", "1039000000002", "1039000000003"] }, { auth_type: "rerequest" });
    expect((await granular(f, again)).pages_show_list).toEqual(["1039000000001", "1039000000002", "1039000000003"]);
  });

  it("a scripted approval ticks the assets it is given", async () => {
    const { sandbox, fetch: f } = inProcess();
    sandbox.control.setDialogBehaviour("creator", "approve", { pages: ["1039000000001", "1039000000003"] });
    const res = await f(dialogUrl("http://sandbox.test", { scope: PUBLISHING_SCOPES.join(",") }), { redirect: "manual" });
    const token = ((await (await exchange(f, "http://sandbox.test", codeFrom(res.headers.get("location")))).json()) as { access_token: string }).access_token;
    expect((await granular(f, token)).pages_show_list).toEqual(["1039000000001", "1039000000003"]);
  });
});

describe("§2.3: Page tokens", () => {
  it("about an hour from a short-lived user token; with the user's data access, unless switched off", async () => {
    const short = inProcess();
    const user = short.sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES, lifetime: "short" }).accessToken;
    const token = await pageToken(short.fetch, user, HARBOR.coffee);
    const d = (await getJson(short.fetch, `/debug_token?input_token=${token}&access_token=${APP_TOKEN}`)).body.data as { expires_at: number };
    expect(d.expires_at).toBe(Math.floor((short.sandbox.control.now() + 3600_000) / 1000));
    short.sandbox.control.advanceClock(3600_000);
    expect(errorOf((await getJson(short.fetch, `/v25.0/me?access_token=${token}`)).body)).toMatchObject({ code: 190, error_subcode: 463 });
    expect((await getJson(short.fetch, `/v25.0/me?access_token=${user}`)).status).toBe(200);

    for (const [follow, status] of [[true, 400], [false, 200]] as const) {
      const env = inProcess({ pageTokensFollowDataAccess: follow });
      const u = env.sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES }).accessToken;
      const p = await pageToken(env.fetch, u, HARBOR.coffee);
      env.sandbox.control.expireDataAccess("publisher");
      expect((await getJson(env.fetch, `/v25.0/me?access_token=${p}`)).status).toBe(status);
      expect(errorOf((await getJson(env.fetch, `/v25.0/me?access_token=${u}`)).body)).toMatchObject({ code: 190, error_subcode: 493 });
    }
  });

  it("GET /_control/personas describes each persona's Pages", async () => {
    const { fetch: f } = inProcess();
    const personas = (await getJson(f, "/_control/personas")).body.data as { id: string; dialogLabel: string; pages: Record<string, unknown>[] }[];
    const publisher = personas.find((p) => p.id === "publisher")!;
    expect(publisher.dialogLabel).toBe("Parker Publisher (1 ad account, 5 Pages)");
    expect(publisher.pages.find((p) => p.id === HARBOR.market)).toEqual({
      id: HARBOR.market,
      name: "Harbor Market",
      tasks: expect.arrayContaining(["MANAGE"]),
      instagram: { id: HARBOR.igMarket, username: "harbormarket" },
      grantedByDefault: false,
      businessOnly: false,
    });
    expect(publisher.pages.find((p) => p.id === HARBOR.studio)).toMatchObject({ businessOnly: true, grantedByDefault: true });
  });
});

describe("checklist 10: controls on Pages", () => {
  it("a removed Page role kills that Page's token (492) and only that Page; consent is unchanged", async () => {
    const { sandbox, fetch: f } = inProcess();
    const user = sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES }).accessToken;
    const [coffee, bookshop] = [await pageToken(f, user, HARBOR.coffee), await pageToken(f, user, HARBOR.bookshop)];
    sandbox.control.removePageRole("publisher", HARBOR.coffee);
    expect(errorOf((await getJson(f, `/v25.0/${HARBOR.coffee}?access_token=${coffee}`)).body)).toMatchObject({ code: 190, error_subcode: 492 });
    expect((await getJson(f, `/v25.0/${HARBOR.bookshop}?access_token=${bookshop}`)).status).toBe(200);
    expect((await accounts(f, user)).map((p) => p.id)).toEqual([HARBOR.bookshop, HARBOR.gallery]);
    expect((await granular(f, user)).pages_show_list).toContain(HARBOR.coffee);
  });

  it("invalidating one Page's tokens leaves the user token and the other Pages alone", async () => {
    const { sandbox, fetch: f } = inProcess();
    const user = sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES }).accessToken;
    const [coffee, bookshop] = [await pageToken(f, user, HARBOR.coffee), await pageToken(f, user, HARBOR.bookshop)];
    expect(sandbox.control.invalidateTokens("publisher", "password_changed", { pageId: HARBOR.coffee })).toBe(1);
    expect(errorOf((await getJson(f, `/v25.0/me?access_token=${coffee}`)).body)).toMatchObject({ code: 190, error_subcode: 460 });
    expect((await getJson(f, `/v25.0/me?access_token=${bookshop}`)).status).toBe(200);
    expect((await getJson(f, `/v25.0/me?access_token=${user}`)).status).toBe(200);
  });

  it("un-ticking a Page removes it from /me/accounts and granular_scopes; its Page token no longer reaches it", async () => {
    const { sandbox, fetch: f } = inProcess();
    const user = sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES }).accessToken;
    const coffee = await pageToken(f, user, HARBOR.coffee);
    const changes = sandbox.control.setAssetTicked("publisher", HARBOR.coffee, false);
    expect(changes).toContainEqual({ field: "pages_show_list", verb: "revoked", targetIds: [HARBOR.coffee] });
    expect((await accounts(f, user)).map((p) => p.id)).toEqual([HARBOR.bookshop, HARBOR.gallery]);
    expect((await granular(f, user)).pages_show_list).toEqual([HARBOR.bookshop, HARBOR.gallery, HARBOR.studio]);
    // The Instagram account was chosen on its own and stays.
    expect((await granular(f, user)).instagram_basic).toContain(HARBOR.igCoffee);
    expect(errorOf((await getJson(f, `/v25.0/${HARBOR.coffee}?access_token=${coffee}`)).body)).toMatchObject({ code: 100, error_subcode: 33 });
    expect(() => sandbox.control.setAssetTicked("publisher", "1034000000001", false)).toThrow("unknown asset 1034000000001 for persona publisher");
  });

  it("over HTTP: remove a permission, un-tick an asset, read the grant", async () => {
    const { sandbox, fetch: f } = inProcess();
    sandbox.control.issueToken({ persona: "creator", scopes: PUBLISHING_SCOPES });
    const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const perm = await getJson(f, "/_control/users/permission", json({ persona: "creator", permission: "pages_manage_posts", status: "declined" }));
    expect(perm.body.changes).toEqual([{ field: "pages_manage_posts", verb: "revoked", targetIds: ["1039000000001", "1039000000002", "1039000000003"] }]);
    const asset = await getJson(f, "/_control/users/assets", json({ persona: "creator", assetId: "1039000000002", ticked: false }));
    expect(asset.status).toBe(200);
    const grant = (await getJson(f, "/_control/users/grant?persona=creator")).body.grant as { permissions: Record<string, string>; pageIds: string[] };
    expect(grant.permissions.pages_manage_posts).toBe("declined");
    expect(grant.pageIds).toEqual(["1039000000001", "1039000000003"]);
    expect((await getJson(f, "/_control/users/assets", json({ persona: "creator", assetId: "nope", ticked: false }))).status).toBe(400);
  });
});
