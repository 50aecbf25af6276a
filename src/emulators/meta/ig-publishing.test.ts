import { describe, expect, it } from "vitest";
import { errorOf, form, getJson, HARBOR, inProcess, pageToken, PUBLISHING_SCOPES } from "@kit/meta-emulator";
import type { SandboxOptions } from "./types";

/** Checklist 23 (Instagram containers, media_publish, content_publishing_limit, §12.2) and 9 (one clock). */

const IG = HARBOR.igCoffee;
const T0 = Date.UTC(2026, 5, 1, 9);

function setup(options: SandboxOptions = {}, scopes = PUBLISHING_SCOPES) {
  const env = inProcess({ now: () => T0, ...options });
  const user = env.sandbox.control.issueToken({ persona: "publisher", scopes }).accessToken;
  const call = (path: string, body?: Record<string, string>) => getJson(env.fetch, `/v25.0/${path}${path.includes("?") ? "&" : "?"}access_token=${user}`, body ? form(body) : undefined);
  const container = async (image = "https://cdn.example/croissant.jpg", caption = "Croissants") => (await call(`${IG}/media`, { image_url: image, caption })).body.id as string;
  const status = async (id: string) => (await call(`${id}?fields=status_code,status`)).body as { status_code: string; status: string };
  return { ...env, user, call, container, status };
}

describe("checklist 23: Instagram content publishing", () => {
  it("container IN_PROGRESS → FINISHED on the sandbox clock → media_publish → PUBLISHED, read back through /media", async () => {
    const { sandbox, call, container, status } = setup();
    const id = await container();
    expect(await status(id)).toEqual({ id, status_code: "IN_PROGRESS", status: "In Progress: Media is still being processed." });
    const early = await call(`${IG}/media_publish`, { creation_id: id });
    expect(errorOf(early.body)).toMatchObject({ code: 9007, error_subcode: 2207027 });
    sandbox.control.advanceClock(5_000);
    expect((await status(id)).status_code).toBe("FINISHED");
    const published = await call(`${IG}/media_publish`, { creation_id: id });
    expect(published.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
    expect((await status(id)).status_code).toBe("PUBLISHED");
    // Publishing the same container again never makes a second post.
    expect(errorOf((await call(`${IG}/media_publish`, { creation_id: id })).body).code).toBe(9007);
    const media = (await call(`${IG}/media?fields=id,caption,media_type,media_url,timestamp,permalink`)).body.data as Record<string, string>[];
    expect(media).toEqual([
      {
        id: published.body.id,
        caption: "Croissants",
        media_type: "IMAGE",
        media_url: "https://cdn.example/croissant.jpg",
        timestamp: "2026-06-01T09:00:05+0000",
        permalink: expect.stringMatching(/^https:\/\/www\.instagram\.com\/p\/[\w-]+\/$/),
      },
    ]);
    expect((await call(`${published.body.id as string}?fields=caption`)).body).toEqual({ caption: "Croissants", id: published.body.id });
    expect(sandbox.control.published({ target: IG })).toEqual([expect.objectContaining({ kind: "ig_media", id: published.body.id, containerId: id, caption: "Croissants" })]);
  });

  it("broken media ends in ERROR; an unpublished container EXPIRES after 24 hours; videos take longer", async () => {
    const { sandbox, call, container, status } = setup({ igProcessingSeconds: { image: 2, video: 60 } });
    const broken = await container("https://cdn.example/broken.jpg");
    const fine = await container();
    const video = (await call(`${IG}/media`, { video_url: "https://cdn.example/clip.mp4", media_type: "REELS" })).body.id as string;
    expect((await status(broken)).status_code).toBe("IN_PROGRESS");
    sandbox.control.advanceClock(2_000);
    expect(await status(broken)).toEqual({ id: broken, status_code: "ERROR", status: expect.stringMatching(/^Error: /) });
    expect(errorOf((await call(`${IG}/media_publish`, { creation_id: broken })).body).code).toBe(9007);
    expect((await status(video)).status_code).toBe("IN_PROGRESS");
    sandbox.control.advanceClock(58_000);
    expect((await status(video)).status_code).toBe("FINISHED");
    sandbox.control.advanceClock(24 * 3600_000);
    expect((await status(fine)).status_code).toBe("EXPIRED");
    expect(errorOf((await call(`${IG}/media_publish`, { creation_id: fine })).body).code).toBe(9007);
  });

  it("content_publishing_limit counts a rolling 24 hours; the publish over the quota fails; it frees as posts age out", async () => {
    const { sandbox, call, container } = setup({ igPublishingQuota: 2, igProcessingSeconds: { image: 0 } });
    const publish = async () => call(`${IG}/media_publish`, { creation_id: await container() });
    expect((await publish()).status).toBe(200);
    sandbox.control.advanceClock(12 * 3600_000);
    expect((await publish()).status).toBe(200);
    expect((await call(`${IG}/content_publishing_limit?fields=quota_usage,config`)).body).toEqual({ data: [{ quota_usage: 2, config: { quota_total: 2, quota_duration: 86400 } }] });
    expect((await call(`${IG}/content_publishing_limit`)).body).toEqual({ data: [{ quota_usage: 2 }] });
    const over = await publish();
    expect(errorOf(over.body)).toMatchObject({ code: 9, error_subcode: 2207042, error_user_title: "Maximum number of posts reached" });
    sandbox.control.advanceClock(12 * 3600_000);
    expect((await call(`${IG}/content_publishing_limit`)).body).toEqual({ data: [{ quota_usage: 1 }] });
    expect((await publish()).status).toBe(200);
  });

  it("refuses: no publishing task on the Page, no instagram_content_publish, an account not ticked, another Page's token", async () => {
    const { call, fetch: f, user, sandbox } = setup();
    expect(errorOf((await call(`${HARBOR.igGallery}/media`, { image_url: "https://cdn.example/a.jpg" })).body)).toMatchObject({ code: 10 });
    expect(errorOf((await call(`${HARBOR.igMarket}/media`, { image_url: "https://cdn.example/a.jpg" })).body)).toMatchObject({ code: 100, error_subcode: 33 });
    expect(errorOf((await call(`${IG}/media`, {})).body).message).toBe("(#100) The parameter image_url is required");
    const bookshop = await pageToken(f, user, HARBOR.bookshop);
    expect(errorOf((await getJson(f, `/v25.0/${IG}/media?access_token=${bookshop}`, form({ image_url: "https://cdn.example/a.jpg" }))).body)).toMatchObject({ code: 100, error_subcode: 33 });
    sandbox.control.setPermission("publisher", "instagram_content_publish", "declined");
    expect(errorOf((await call(`${IG}/media`, { image_url: "https://cdn.example/a.jpg" })).body)).toMatchObject({ code: 10 });
  });

  it("an applied fault on media_publish: the media exists and counts against the quota although the client saw an error", async () => {
    const { sandbox, call, container } = setup({ igProcessingSeconds: { image: 0 } });
    const id = await container();
    sandbox.control.injectFault({ path: "/*/media_publish", code: 2, applied: true });
    expect(errorOf((await call(`${IG}/media_publish`, { creation_id: id })).body).code).toBe(2);
    expect(((await call(`${IG}/media?fields=caption`)).body.data as unknown[]).length).toBe(1);
    expect((await call(`${IG}/content_publishing_limit`)).body).toEqual({ data: [{ quota_usage: 1 }] });
  });
});
