import { describe, expect, it } from "vitest";
import { errorOf, getJson, inProcess } from "@kit/meta-emulator";

// Checklist 21 (Pages + Instagram) and 23 (publishing).

const PAGE = "1034000000001";
const BIKE = "1034000000002";
const IG = "17841440000000001";

type PageRow = { id: string; name: string; access_token: string; tasks: string[]; instagram_business_account?: { id: string; username?: string } };

function setup(scopes = ["pages_show_list", "pages_read_engagement", "pages_manage_posts", "instagram_basic", "instagram_content_publish"], lifetime: "short" | "long" = "long") {
  const env = inProcess({ igPublishingQuota: 2 });
  const user = env.sandbox.control.issueToken({ persona: "pages", scopes, lifetime });
  return { ...env, user };
}

const post = (body: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(body).toString(),
});

describe("checklist 21: Pages", () => {
  it("/me/accounts lists Pages with tokens, tasks and an Instagram account only where linked", async () => {
    const { fetch: f, user } = setup();
    const res = await getJson(f, `/v25.0/me/accounts?fields=id,name,access_token,tasks,instagram_business_account{id,username}&access_token=${user.accessToken}`);
    const data = res.body.data as PageRow[];
    expect(data.map((p) => p.name)).toEqual(["Pat's Bakery", "Pat's Bike Repair"]);
    expect(data[0]!.instagram_business_account).toEqual({ id: IG, username: "patsbakery" });
    expect(data[1]).not.toHaveProperty("instagram_business_account");
    expect(data[0]!.tasks).toContain("MANAGE");
    expect(data[0]!.access_token).toMatch(/^EAA/);
    const defaults = (await getJson(f, `/v25.0/me/accounts?access_token=${user.accessToken}`)).body.data as Record<string, unknown>[];
    expect(Object.keys(defaults[0]!).sort()).toEqual(["access_token", "category", "category_list", "id", "name", "tasks"]);
  });

  it("Page tokens: non-expiring from a long-lived user token, short from a short one", async () => {
    const long = setup();
    const short = setup(undefined, "short");
    const token = async (env: ReturnType<typeof setup>) =>
      ((await getJson(env.fetch, `/v25.0/${PAGE}?fields=access_token&access_token=${env.user.accessToken}`)).body as { access_token: string }).access_token;
    const app = "1000000000000001|sandbox-app-secret-0000000000000001";
    expect((await getJson(long.fetch, `/debug_token?input_token=${await token(long)}&access_token=${app}`)).body.data).toMatchObject({ expires_at: 0 });
    expect(((await getJson(short.fetch, `/debug_token?input_token=${await token(short)}&access_token=${app}`)).body.data as { expires_at: number }).expires_at).toBeGreaterThan(0);
  });

  it("only Pages granted in the dialog are listed; none without pages_show_list", async () => {
    const fresh = inProcess();
    const t = fresh.sandbox.control.issueToken({ persona: "pages", scopes: ["ads_read"] }).accessToken;
    expect((await getJson(fresh.fetch, `/me/accounts?access_token=${t}`)).body).toEqual({ data: [] });
    expect(errorOf((await getJson(fresh.fetch, `/${PAGE}?access_token=${t}`)).body)).toMatchObject({ code: 100, error_subcode: 33 });
  });
});

describe("checklist 23: publishing", () => {
  it("feed needs the Page token and respects the 10 min–30 day schedule window; duplicates → 506", async () => {
    const { sandbox, fetch: f, user } = setup();
    const withUser = await getJson(f, `/v25.0/${PAGE}/feed?access_token=${user.accessToken}`, post({ message: "hi" }));
    expect(withUser.status).toBe(403);
    expect(errorOf(withUser.body).code).toBe(200);
    const pageToken = ((await getJson(f, `/v25.0/${PAGE}?fields=access_token&access_token=${user.accessToken}`)).body as { access_token: string }).access_token;
    const ok = await getJson(f, `/v25.0/${PAGE}/feed?access_token=${pageToken}`, post({ message: "Fresh bread today" }));
    expect(ok.body).toEqual({ id: expect.stringMatching(new RegExp(`^${PAGE}_\\d+$`)) });
    expect(errorOf((await getJson(f, `/v25.0/${PAGE}/feed?access_token=${pageToken}`, post({ message: "Fresh bread today" }))).body).code).toBe(506);
    const at = (ms: number) => String(Math.floor((sandbox.control.now() + ms) / 1000));
    const tooSoon = await getJson(f, `/v25.0/${PAGE}/feed?access_token=${pageToken}`, post({ message: "later", published: "false", scheduled_publish_time: at(5 * 60_000) }));
    expect(errorOf(tooSoon.body)).toMatchObject({ code: 100 });
    const tooLate = await getJson(f, `/v25.0/${PAGE}/feed?access_token=${pageToken}`, post({ message: "later", published: "false", scheduled_publish_time: at(31 * 86400_000) }));
    expect(errorOf(tooLate.body)).toMatchObject({ code: 100 });
    const scheduled = await getJson(f, `/v25.0/${PAGE}/feed?access_token=${pageToken}`, post({ message: "later", published: "false", scheduled_publish_time: at(3600_000) }));
    expect(scheduled.status).toBe(200);
    const photo = await getJson(f, `/v25.0/${PAGE}/photos?access_token=${pageToken}`, post({ url: "https://example.test/a.jpg", caption: "x" }));
    expect(photo.body).toEqual({ id: expect.any(String), post_id: expect.stringMatching(new RegExp(`^${PAGE}_`)) });
    const otherPage = await getJson(f, `/v25.0/${BIKE}/feed?access_token=${pageToken}`, post({ message: "x" }));
    expect(otherPage.status).toBeGreaterThanOrEqual(400);
  });

  it("Instagram: container → status → media_publish, quota enforced at publish", async () => {
    const { sandbox, fetch: f, user } = setup();
    const t = user.accessToken;
    const publish = async () => {
      const c = (await getJson(f, `/v25.0/${IG}/media?access_token=${t}`, post({ image_url: "https://example.test/p.jpg", caption: "Croissants" }))).body as { id: string };
      sandbox.control.advanceClock(5_000);
      expect((await getJson(f, `/v25.0/${c.id}?fields=status_code&access_token=${t}`)).body).toEqual({ status_code: "FINISHED", id: c.id });
      return getJson(f, `/v25.0/${IG}/media_publish?access_token=${t}`, post({ creation_id: c.id }));
    };
    expect((await publish()).body).toEqual({ id: expect.stringMatching(/^\d+$/) });
    expect((await publish()).status).toBe(200);
    const limit = await getJson(f, `/v25.0/${IG}/content_publishing_limit?fields=quota_usage,config&access_token=${t}`);
    expect(limit.body).toEqual({ data: [{ quota_usage: 2, config: { quota_total: 2, quota_duration: 86400 } }] });
    const over = await publish();
    expect(errorOf(over.body)).toMatchObject({ code: 9, error_subcode: 2207042 });
    expect(errorOf((await getJson(f, `/v25.0/${IG}/media_publish?access_token=${t}`, post({}))).body).message).toBe("(#100) The parameter creation_id is required.");
    sandbox.control.advanceClock(86400_000);
    expect((await publish()).status).toBe(200);
  });
});
