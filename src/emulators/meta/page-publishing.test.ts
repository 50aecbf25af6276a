import { describe, expect, it } from "vitest";
import { errorOf, form, getJson, HARBOR, inProcess, pageToken, PUBLISHING_SCOPES } from "@kit/meta-emulator";

/** Checklist 23 (Page feed and photos, §12.1), 16 (faults on publishing calls), 17 (throttle headers). */

type Post = { id: string; message?: string; link?: string; created_time: string; full_picture?: string; is_published?: boolean; permalink_url?: string };

async function setup(scopes = PUBLISHING_SCOPES) {
  const env = inProcess({ now: () => Date.UTC(2026, 5, 1, 12) });
  const user = env.sandbox.control.issueToken({ persona: "publisher", scopes }).accessToken;
  return { ...env, user, coffee: await pageToken(env.fetch, user, HARBOR.coffee) };
}

const feedOf = async (f: (u: string, i?: RequestInit) => Promise<Response>, token: string, edge = "feed", query = "fields=id,message,link,created_time,full_picture,is_published") =>
  (await getJson(f, `/v25.0/${HARBOR.coffee}/${edge}?${query}&access_token=${token}`)).body.data as Post[];

describe("checklist 23: posting to a Page", () => {
  it("feed (message, link) and photos (url + caption) with the Page token, read back newest first with what the app matches on", async () => {
    const { fetch: f, coffee, sandbox } = await setup();
    const status = await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`, form({ message: "Open late on Friday", link: "https://harbor.example/friday" }));
    expect(status.body).toEqual({ id: expect.stringMatching(new RegExp(`^${HARBOR.coffee}_\\d+$`)) });
    sandbox.control.advanceClock(60_000);
    const photo = await getJson(f, `/v25.0/${HARBOR.coffee}/photos?access_token=${coffee}`, form({ url: "https://cdn.example/latte.jpg", caption: "Latte art" }));
    expect(photo.body).toEqual({ id: expect.stringMatching(/^\d+$/), post_id: expect.stringMatching(new RegExp(`^${HARBOR.coffee}_`)) });
    const feed = await feedOf(f, coffee);
    expect(feed).toEqual([
      { id: photo.body.post_id, message: "Latte art", created_time: "2026-06-01T12:01:00+0000", full_picture: "https://cdn.example/latte.jpg", is_published: true },
      { id: status.body.id, message: "Open late on Friday", link: "https://harbor.example/friday", created_time: "2026-06-01T12:00:00+0000", is_published: true },
    ]);
    expect(await feedOf(f, coffee, "published_posts")).toEqual(feed);
    // Default fields, time-based filtering, the post node.
    expect(((await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`)).body.data as Post[])[0]).toEqual({ id: photo.body.post_id, message: "Latte art", created_time: "2026-06-01T12:01:00+0000" });
    expect((await feedOf(f, coffee, "feed", `since=${Date.UTC(2026, 5, 1, 12, 0, 30) / 1000}`)).map((p) => p.id)).toEqual([photo.body.post_id]);
    const node = await getJson(f, `/v25.0/${status.body.id as string}?fields=message,permalink_url&access_token=${coffee}`);
    expect(node.body).toEqual({ message: "Open late on Friday", permalink_url: expect.stringContaining(`facebook.com/${HARBOR.coffee}/posts/`), id: status.body.id });
  });

  it("refuses as §12 says: a user token, another Page's token, a Page without a publishing task, a missing permission", async () => {
    const { fetch: f, user, coffee, sandbox } = await setup();
    const post = (page: string, token: string) => getJson(f, `/v25.0/${page}/feed?access_token=${token}`, form({ message: "hello" }));
    const byUser = await post(HARBOR.coffee, user);
    expect(byUser.status).toBe(403);
    expect(errorOf(byUser.body)).toMatchObject({ code: 200, message: expect.stringContaining("requires both pages_read_engagement and pages_manage_posts") });
    expect(errorOf((await post(HARBOR.bookshop, coffee)).body)).toMatchObject({ code: 100, error_subcode: 33 });
    const gallery = await pageToken(f, user, HARBOR.gallery);
    expect(errorOf((await post(HARBOR.gallery, gallery)).body).code).toBe(200);
    // An editor (CREATE_CONTENT without MANAGE) may post.
    expect((await post(HARBOR.bookshop, await pageToken(f, user, HARBOR.bookshop))).status).toBe(200);
    sandbox.control.setPermission("publisher", "pages_manage_posts", "declined");
    expect(errorOf((await post(HARBOR.coffee, coffee)).body).code).toBe(200);
    // Reading a feed takes a Page token.
    expect(errorOf((await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${user}`)).body)).toMatchObject({ code: 210 });
  });

  it("the same status twice in a row is a duplicate (506); with another post in between it is not", async () => {
    const { fetch: f, coffee } = await setup();
    const post = (message: string) => getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`, form({ message }));
    expect((await post("Fresh scones")).status).toBe(200);
    const again = await post("Fresh scones");
    expect(again.status).toBe(400);
    expect(errorOf(again.body)).toMatchObject({ code: 506, message: "(#506) Duplicate status message" });
    expect((await post("Closed Monday")).status).toBe(200);
    expect((await post("Fresh scones")).status).toBe(200);
    expect((await feedOf(f, coffee)).map((p) => p.message)).toEqual(["Fresh scones", "Closed Monday", "Fresh scones"]);
  });

  it("a scheduled post waits in scheduled_posts and joins the feed when the sandbox clock reaches it", async () => {
    const { fetch: f, coffee, sandbox } = await setup();
    const at = Math.floor(sandbox.control.now() / 1000) + 3600;
    const res = await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`, form({ message: "Tomorrow's special", published: "false", scheduled_publish_time: String(at) }));
    expect(await feedOf(f, coffee)).toEqual([]);
    expect((await getJson(f, `/v25.0/${HARBOR.coffee}/scheduled_posts?fields=id,is_published,scheduled_publish_time&access_token=${coffee}`)).body.data).toEqual([
      { id: res.body.id, is_published: false, scheduled_publish_time: at },
    ]);
    sandbox.control.advanceClock(3600_000);
    expect(await feedOf(f, coffee)).toEqual([{ id: res.body.id, message: "Tomorrow's special", created_time: "2026-06-01T13:00:00+0000", is_published: true }]);
  });

  it("photos: a media URL the sandbox treats as broken, a missing one, an unpublished photo without a story", async () => {
    const { fetch: f, coffee } = await setup();
    const photo = (body: Record<string, string>) => getJson(f, `/v25.0/${HARBOR.coffee}/photos?access_token=${coffee}`, form(body));
    expect(errorOf((await photo({ url: "https://cdn.example/broken/latte.jpg" })).body)).toMatchObject({ code: 324, message: "(#324) Missing or invalid image file" });
    expect(errorOf((await photo({ url: "ftp://cdn.example/latte.jpg" })).body).code).toBe(324);
    expect(errorOf((await photo({ caption: "no file" })).body)).toMatchObject({ code: 324, message: "(#324) Requires upload file" });
    expect((await photo({ url: "https://cdn.example/a.jpg", published: "false" })).body).toEqual({ id: expect.any(String) });
    expect(await feedOf(f, coffee)).toEqual([]);
  });

  it("the publishing log lists what went out, per Page, in process and over HTTP", async () => {
    const { fetch: f, coffee, user, sandbox } = await setup();
    const first = await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`, form({ message: "One" }));
    await getJson(f, `/v25.0/${HARBOR.bookshop}/feed?access_token=${await pageToken(f, user, HARBOR.bookshop)}`, form({ message: "Two" }));
    expect(sandbox.control.published({ target: HARBOR.coffee })).toEqual([
      expect.objectContaining({ kind: "page_post", id: first.body.id, targetId: HARBOR.coffee, type: "status", message: "One", published: true, tokenId: sandbox.control.tokenId(coffee) }),
    ]);
    expect(sandbox.control.published()).toHaveLength(2);
    const http = await getJson(f, `/_control/published?target=${HARBOR.bookshop}`);
    expect((http.body.data as { message: string }[]).map((e) => e.message)).toEqual(["Two"]);
    expect(JSON.stringify(http.body)).not.toContain(coffee);
  });
});

describe("checklist 16 + 17: failures on publishing calls", () => {
  it("an applied fault: Meta published, the client saw a transient error — the feed tells the truth", async () => {
    const { fetch: f, coffee, sandbox } = await setup();
    sandbox.control.injectFault({ path: "/*/feed", method: "POST", code: 2, applied: true });
    const res = await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`, form({ message: "Lost answer" }));
    expect(res.status).toBe(500);
    expect(errorOf(res.body)).toMatchObject({ code: 2, is_transient: true });
    expect((await feedOf(f, coffee)).map((p) => p.message)).toEqual(["Lost answer"]);
    // A retry of the same text is then a duplicate, as on Meta.
    expect(errorOf((await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`, form({ message: "Lost answer" }))).body).code).toBe(506);
  });

  it("an unapplied fault publishes nothing; timeouts answer code 1 (500)", async () => {
    const { fetch: f, coffee, sandbox } = await setup();
    sandbox.control.injectFault({ path: "/*/photos", code: 1, status: 503, count: 1 });
    sandbox.control.injectFault({ path: "/*/feed", method: "POST", timeout: true });
    expect((await getJson(f, `/v25.0/${HARBOR.coffee}/photos?access_token=${coffee}`, form({ url: "https://cdn.example/a.jpg" }))).status).toBe(503);
    const timedOut = await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`, form({ message: "x" }));
    expect(timedOut.status).toBe(500);
    expect(sandbox.control.published()).toEqual([]);
  });

  it("throttle codes carry usage headers at 100 % or more; token faults read like the real ones", async () => {
    const { fetch: f, coffee, sandbox } = await setup();
    const post = () => getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`, form({ message: `m${Math.random()}` }));
    sandbox.control.injectFault({ path: "/*/feed", code: 32 });
    const pageLimit = await post();
    expect(errorOf(pageLimit.body)).toMatchObject({ code: 32, message: "(#32) Page request limit reached" });
    const buc = JSON.parse(pageLimit.headers.get("x-business-use-case-usage")!) as Record<string, { call_count: number; estimated_time_to_regain_access: number; type: string }[]>;
    expect(buc[HARBOR.coffee]![0]).toMatchObject({ type: "pages", call_count: 100, estimated_time_to_regain_access: 1 });
    sandbox.control.injectFault({ path: "/*/feed", code: 4 });
    const appLimit = await post();
    expect(JSON.parse(appLimit.headers.get("x-app-usage")!)).toMatchObject({ call_count: 100 });
    sandbox.control.injectFault({ path: "/*/feed", code: 613 });
    expect(errorOf((await post()).body)).toMatchObject({ code: 613, is_transient: true });
    sandbox.control.injectFault({ path: "/*/feed", code: 190, subcode: 463 });
    expect(errorOf((await post()).body).message).toMatch(/^Error validating access token: Session has expired on .+\. The current time is .+\.$/);
    sandbox.control.injectFault({ path: "/*/feed", code: 190, subcode: 492 });
    expect(errorOf((await post()).body)).toMatchObject({ code: 190, error_subcode: 492, message: expect.stringContaining("does not have a role on this Page") });
    expect((await post()).status).toBe(200);
  });

  it("throttling Instagram answers 80002 for the Instagram account and leaves the Page alone", async () => {
    const { fetch: f, coffee, user, sandbox } = await setup();
    sandbox.control.throttle({ scope: "instagram", objectId: HARBOR.igCoffee });
    expect(errorOf((await getJson(f, `/v25.0/${HARBOR.igCoffee}?access_token=${user}`)).body)).toMatchObject({ code: 80002 });
    expect((await getJson(f, `/v25.0/${HARBOR.coffee}/feed?access_token=${coffee}`)).status).toBe(200);
  });
});
