import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { startSandboxServer } from "./server";
import { APP_ID, APP_SECRET, form, getJson, HARBOR, inProcess, PUBLISHING_SCOPES } from "@kit/meta-emulator";
import type { SandboxOptions } from "./types";

/**
 * Checklist 25 / §14: permissions webhooks — the handshake, a signed notification for every change
 * the sandbox user makes, deliveries only to the app's configured URL, retries on the sandbox clock,
 * replays and out-of-order events.
 */

const APP = "http://app.test";
type Got = { method: string; url: string; headers: Headers; body: string };

/** The app's side, in process: records every request and answers from a script of statuses. */
function receiver(statuses: number[] = []) {
  const got: Got[] = [];
  const transport = async (req: Request): Promise<Response> => {
    got.push({ method: req.method, url: req.url, headers: req.headers, body: await req.text() });
    const u = new URL(req.url);
    if (req.method === "GET") {
      const ok = u.searchParams.get("hub.mode") === "subscribe" && u.searchParams.get("hub.verify_token") === "vt-1";
      return new Response(ok ? u.searchParams.get("hub.challenge") : "forbidden", { status: ok ? 200 : 403 });
    }
    return new Response("ok", { status: statuses.shift() ?? 200 });
  };
  return { got, transport, posts: () => got.filter((g) => g.method === "POST") };
}

function setup(o: { statuses?: number[]; subscribed?: boolean; sandbox?: SandboxOptions } = {}) {
  const r = receiver(o.statuses);
  const env = inProcess({
    now: () => Date.UTC(2026, 5, 1, 12),
    apps: [{ appId: APP_ID, appSecret: APP_SECRET, redirectUris: [`${APP}/api/auth/callback/facebook`], name: "Linkboard" }],
    webhooks: { transport: r.transport, subscribed: o.subscribed ?? true, timeoutMs: 200 },
    ...o.sandbox,
  });
  return { ...env, ...r };
}

const sign256 = (body: string) => `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`;
const payload = (g: Got) => JSON.parse(g.body) as { object: string; entry: { id: string; uid: string; time: number; changes: { field: string; value: { verb: string; target_ids?: string[] } }[] }[] };

describe("checklist 25: where permissions webhooks go", () => {
  it("to /api/meta/webhook on the app's own origin unless configured; a URL on another origin is refused at creation", () => {
    expect(() => inProcess({ apps: [{ appId: APP_ID, appSecret: APP_SECRET, redirectUris: [`${APP}/cb`], webhookUrl: "https://elsewhere.example/hook" }] })).toThrow(
      "The webhook URL of app 1000000000000001 must be on the app's own origin (http://app.test), not https://elsewhere.example/hook",
    );
    expect(() => inProcess({ apps: [{ appId: APP_ID, appSecret: APP_SECRET, redirectUris: [`${APP}/cb`], webhookUrl: `${APP}/hooks/meta` }] })).not.toThrow();
  });

  it("never to a URL from a request: the control refuses a url field", async () => {
    const { fetch: f, got } = setup();
    const res = await f("/_control/webhooks/permissions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ persona: "publisher", url: "http://169.254.169.254/", changes: [{ field: "ads_read", verb: "revoked" }] }),
    });
    expect(res.status).toBe(400);
    expect(got).toEqual([]);
  });
});

describe("checklist 25: the verification handshake", () => {
  it("GETs hub.mode, hub.verify_token and hub.challenge at the configured URL; only an echoed challenge subscribes", async () => {
    const { sandbox, got } = setup({ subscribed: false });
    const wrong = await sandbox.control.verifyWebhook({ verifyToken: "nope" });
    expect(wrong).toMatchObject({ ok: false, status: 403, url: `${APP}/api/meta/webhook` });
    expect(sandbox.control.webhookSubscribed()).toBe(false);
    const right = await sandbox.control.verifyWebhook({ verifyToken: "vt-1" });
    expect(right).toMatchObject({ ok: true, status: 200, body: right.challenge });
    const q = new URL(got.at(-1)!.url);
    expect(`${q.origin}${q.pathname}`).toBe(`${APP}/api/meta/webhook`);
    expect(Object.fromEntries(q.searchParams)).toEqual({ "hub.mode": "subscribe", "hub.challenge": right.challenge, "hub.verify_token": "vt-1" });
    expect(sandbox.control.webhookSubscribed()).toBe(true);
  });

  it("an app that is not subscribed gets nothing for grant changes, and a hand-made event is refused (409 over HTTP)", async () => {
    const { sandbox, fetch: f, got } = setup({ subscribed: false });
    sandbox.control.issueToken({ persona: "publisher", scopes: ["ads_read"] });
    sandbox.control.setPermission("publisher", "ads_read", "declined");
    await sandbox.control.deliverWebhooks();
    expect(got).toEqual([]);
    await expect(sandbox.control.sendPermissionsWebhook({ persona: "publisher", changes: [{ field: "ads_read", verb: "revoked" }] })).rejects.toThrow(/is not subscribed to permissions webhooks/);
    const res = await f("/_control/webhooks/test", { method: "POST" });
    expect(res.status).toBe(409);
  });
});

describe("checklist 25: a signed notification for every change the user makes", () => {
  it("un-ticking a Page in the sandbox's settings page: pages_* revoked for that Page, signed over the raw body", async () => {
    const { sandbox, fetch: f, posts } = setup();
    sandbox.control.issueToken({ persona: "publisher", scopes: PUBLISHING_SCOPES });
    await sandbox.control.deliverWebhooks();
    const before = posts().length;
    const html = await (await f("/settings?persona=publisher")).text();
    expect(html).toContain("Apps and websites — Parker Publisher");
    expect(html).toContain('aria-label="Remove pages_manage_posts"');
    expect(html).toMatch(new RegExp(`value="${HARBOR.coffee}" checked> Harbor Coffee`));
    const keep = [HARBOR.bookshop, HARBOR.gallery, HARBOR.studio];
    const res = await f(
      "http://sandbox.test/settings",
      form({ persona: "publisher", app_id: APP_ID, action: "update_assets", page: keep, instagram: [HARBOR.igCoffee, HARBOR.igGallery, HARBOR.igStudio], ad_account: HARBOR.adAccount }, { headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://sandbox.test" } }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings?persona=publisher&done=Saved.");
    await sandbox.control.deliverWebhooks();
    const [hit, ...more] = posts().slice(before);
    expect(more).toEqual([]);
    expect(hit!.url).toBe(`${APP}/api/meta/webhook`);
    expect(hit!.headers.get("content-type")).toBe("application/json");
    expect(hit!.headers.get("x-hub-signature-256")).toBe(sign256(hit!.body));
    expect(hit!.headers.get("x-hub-signature")).toBe(`sha1=${createHmac("sha1", APP_SECRET).update(hit!.body).digest("hex")}`);
    const userId = sandbox.control.userId("publisher");
    expect(payload(hit!)).toEqual({
      object: "permissions",
      entry: [
        {
          id: userId,
          uid: userId,
          time: Date.UTC(2026, 5, 1, 12) / 1000,
          changes: ["pages_show_list", "pages_read_engagement", "pages_manage_posts"].map((field) => ({ field, value: { verb: "revoked", target_ids: [HARBOR.coffee] } })),
        },
      ],
    });
  });

  it("removing a permission, removing the app, and granting again through the dialog", async () => {
    const { sandbox, fetch: f, posts } = setup();
    sandbox.control.issueToken({ persona: "creator", scopes: ["ads_read", "pages_show_list"] });
    const removePerm = await f("http://sandbox.test/settings", form({ persona: "creator", app_id: APP_ID, action: "remove_permission", permission: "ads_read" }));
    expect(removePerm.status).toBe(303);
    const removeApp = await f("http://sandbox.test/settings", form({ persona: "creator", app_id: APP_ID, action: "remove_app" }));
    expect(removeApp.headers.get("location")).toBe("/settings?persona=creator&done=Removed+Linkboard.");
    sandbox.control.setDialogBehaviour("creator", "approve");
    await f(`/v25.0/dialog/oauth?client_id=${APP_ID}&redirect_uri=${encodeURIComponent(`${APP}/api/auth/callback/facebook`)}&scope=ads_read`, { redirect: "manual" });
    await sandbox.control.deliverWebhooks();
    const changes = posts().map((p) => payload(p).entry[0]!.changes);
    expect(changes.at(-3)).toEqual([{ field: "ads_read", value: { verb: "revoked", target_ids: ["1290000000000"] } }]);
    expect(changes.at(-2)).toEqual([{ field: "connected", value: { verb: "revoked" } }]);
    expect(changes.at(-1)).toEqual([
      { field: "connected", value: { verb: "granted" } },
      { field: "public_profile", value: { verb: "granted" } },
      { field: "ads_read", value: { verb: "granted", target_ids: ["1290000000000"] } },
    ]);
  });

  it("refuses a settings change posted from another site, and changes nothing", async () => {
    const { sandbox, fetch: f, posts } = setup();
    sandbox.control.issueToken({ persona: "creator", scopes: ["ads_read"] });
    const res = await f("http://sandbox.test/settings", form({ persona: "creator", app_id: APP_ID, action: "remove_app" }, { headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" } }));
    expect(res.status).toBe(403);
    expect(sandbox.control.grant("creator")).not.toBeNull();
    await sandbox.control.deliverWebhooks();
    expect(posts().every((p) => !p.body.includes('"connected","value":{"verb":"revoked"'))).toBe(true);
  });
});

describe("checklist 25: retries, replays, out-of-order events", () => {
  it("a failed delivery is retried on the sandbox clock with the same bytes and signature, then marked delivered", async () => {
    const { sandbox, posts } = setup({ statuses: [500, 503, 200] });
    const first = await sandbox.control.sendPermissionsWebhook({ persona: "publisher", changes: [{ field: "ads_read", verb: "revoked" }] });
    expect(first).toMatchObject({ state: "pending", attempts: [{ status: 500 }], nextAttemptAt: first.createdAt + 60_000 });
    sandbox.control.advanceClock(59_000);
    await sandbox.control.deliverWebhooks();
    expect(posts()).toHaveLength(1);
    sandbox.control.advanceClock(1_000);
    await sandbox.control.deliverWebhooks();
    sandbox.control.advanceClock(4 * 60_000);
    const [d] = await sandbox.control.deliverWebhooks();
    expect(d).toMatchObject({ id: first.id, state: "delivered", nextAttemptAt: null, attempts: [{ status: 500 }, { status: 503 }, { status: 200 }] });
    expect(new Set(posts().map((p) => p.body)).size).toBe(1);
    expect(new Set(posts().map((p) => p.headers.get("x-hub-signature-256"))).size).toBe(1);
  });

  it("gives up about 36 hours after the first attempt; a hung endpoint counts as failed", async () => {
    const { sandbox } = setup({ statuses: Array(20).fill(500) });
    const d = await sandbox.control.sendPermissionsWebhook({ persona: "publisher", changes: [{ field: "ads_read", verb: "revoked" }] });
    for (let h = 0; h < 36; h++) {
      sandbox.control.advanceClock(3600_000);
      await sandbox.control.deliverWebhooks();
    }
    const done = sandbox.control.webhookDeliveries().find((x) => x.id === d.id)!;
    expect(done).toMatchObject({ state: "failed", nextAttemptAt: null });
    expect(done.attempts).toHaveLength(10);
    expect(done.attempts.at(-1)!.at - done.attempts[0]!.at).toBe(36 * 3600_000);

    const hung = inProcess({ webhooks: { subscribed: true, timeoutMs: 20, transport: () => new Promise<Response>(() => {}) } });
    const stuck = await hung.sandbox.control.sendTestWebhook();
    expect(stuck).toMatchObject({ state: "pending", attempts: [{ error: "no answer within 20 ms" }] });
  });

  it("replays carry the same body and signature; an event can be sent with an older time; the test delivery uses id 0", async () => {
    const { sandbox, posts } = setup();
    const a = await sandbox.control.sendPermissionsWebhook({ persona: "publisher", changes: [{ field: "instagram_basic", verb: "revoked", targetIds: [HARBOR.igCoffee] }] });
    const replay = await sandbox.control.replayWebhook(a.id);
    expect(replay).toMatchObject({ source: "replay", replayOf: a.id, body: a.body, state: "delivered" });
    expect(posts()[1]!.headers.get("x-hub-signature-256")).toBe(posts()[0]!.headers.get("x-hub-signature-256"));
    const older = await sandbox.control.sendPermissionsWebhook({ persona: "publisher", time: a.time - 600, changes: [{ field: "instagram_basic", verb: "granted", targetIds: [HARBOR.igCoffee] }] });
    expect(payload(posts()[2]!).entry[0]!.time).toBe(a.time - 600);
    expect(older.time).toBe(a.time - 600);
    const test = await sandbox.control.sendTestWebhook();
    expect(payload(posts()[3]!).entry[0]).toMatchObject({ id: "0", uid: "0" });
    expect(test.source).toBe("test");
    await expect(sandbox.control.replayWebhook("wh_0")).rejects.toThrow("unknown delivery wh_0");
  });
});

describe("checklist 25: over HTTP, to a real endpoint", () => {
  it("handshake, a settings change and the delivery log through the sandbox server and the HTTP controls", async () => {
    const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
    const app = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
        const u = new URL(req.url ?? "/", "http://x");
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(req.method === "GET" ? (u.searchParams.get("hub.challenge") ?? "") : "EVENT_RECEIVED");
      });
    });
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const server = await startSandboxServer({ port: 0, apps: [{ appId: APP_ID, appSecret: APP_SECRET, redirectUris: [`${origin}/api/auth/callback/facebook`] }] });
    try {
      const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const verify = await getJson(fetch, `${server.url}/_control/webhooks/verify`, json({ verifyToken: "anything" }));
      expect(verify.body).toMatchObject({ ok: true, url: `${origin}/api/meta/webhook` });
      server.sandbox.control.issueToken({ persona: "creator", scopes: ["ads_read"] });
      const res = await fetch(`${server.url}/settings`, { ...form({ persona: "creator", app_id: APP_ID, action: "remove_permission", permission: "ads_read" }), headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url } });
      expect(res.status).toBe(303);
      const log = (await getJson(fetch, `${server.url}/_control/webhooks/deliver`, { method: "POST" })).body.data as { state: string; payload: { entry: { changes: unknown[] }[] } }[];
      expect(log.at(-1)).toMatchObject({ state: "delivered", payload: { entry: [{ changes: [{ field: "ads_read", value: { verb: "revoked", target_ids: ["1290000000000"] } }] }] } });
      const post = received.filter((r) => r.method === "POST").at(-1)!;
      expect(post.url).toBe("/api/meta/webhook");
      expect(post.headers["x-hub-signature-256"]).toBe(sign256(post.body));
      expect(post.headers["user-agent"]).toContain("facebookplatform");
    } finally {
      await server.close();
      await new Promise<void>((r) => app.close(() => r()));
    }
  });
});
