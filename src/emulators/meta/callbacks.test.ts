import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ID, APP_SECRET, REDIRECT, dialogUrl, errorOf, getJson, inProcess } from "./test-helpers";

// Checklist 25 (callbacks and webhooks) and 27 (app modes).

type Received = { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string };
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  // A stand-in for the app's callback endpoints: echoes hub.challenge when the verify token matches.
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const u = new URL(req.url ?? "/", "http://x");
      if (req.method === "GET") {
        const ok = u.searchParams.get("hub.mode") === "subscribe" && u.searchParams.get("hub.verify_token") === "vt-1";
        res.writeHead(ok ? 200 : 403, { "content-type": "text/plain" });
        res.end(ok ? (u.searchParams.get("hub.challenge") ?? "") : "no");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ url: "https://app.test/deletion?code=abc123", confirmation_code: "abc123" }));
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

function verifySigned(signed: string): Record<string, unknown> {
  const [sig, payload] = signed.split(".") as [string, string];
  expect(createHmac("sha256", APP_SECRET).update(payload).digest("base64url")).toBe(sig);
  expect(sig).not.toContain("=");
  return JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
}

describe("checklist 25: signed callbacks and webhooks", () => {
  it("signedRequest produces Meta's <sig>.<payload> format", () => {
    const { sandbox } = inProcess();
    const payload = verifySigned(sandbox.control.callbackSignedRequest("solo", "data_deletion"));
    expect(payload).toMatchObject({ algorithm: "HMAC-SHA256", user_id: sandbox.control.userId("solo"), issued_at: expect.any(Number), expires: expect.any(Number) });
  });

  it("deauthorize POSTs a form signed_request and removes the app (tokens → 458)", async () => {
    const { sandbox, fetch: f } = inProcess({ callbackOrigins: [receiverUrl] });
    const t = sandbox.control.issueToken({ persona: "solo" }).accessToken;
    const d = await sandbox.control.sendDeauthorize({ url: `${receiverUrl}/api/meta/deauthorize`, persona: "solo" });
    expect(d.status).toBe(200);
    const got = received.at(-1)!;
    expect(got.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const signed = new URLSearchParams(got.body).get("signed_request")!;
    expect(verifySigned(signed)).toMatchObject({ user_id: sandbox.control.userId("solo") });
    expect(errorOf((await getJson(f, `/me?access_token=${t}`)).body)).toMatchObject({ code: 190, error_subcode: 458 });
  });

  it("data deletion over the HTTP control returns the app's JSON answer", async () => {
    const { fetch: f } = inProcess({ callbackOrigins: [receiverUrl] });
    const res = await getJson(f, "/_control/callbacks/data-deletion", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${receiverUrl}/api/meta/data-deletion`, persona: "agency" }),
    });
    expect(res.body).toMatchObject({ status: 200 });
    expect(JSON.parse(res.body.body as string)).toEqual({ url: "https://app.test/deletion?code=abc123", confirmation_code: "abc123" });
    expect(verifySigned(new URLSearchParams(received.at(-1)!.body).get("signed_request")!)).toHaveProperty("expires");
  });

  it("permissions webhooks carry X-Hub-Signature-256 over the raw body; the GET handshake echoes the challenge", async () => {
    const { sandbox } = inProcess({ callbackOrigins: [receiverUrl] });
    await sandbox.control.sendPermissionsWebhook({
      url: `${receiverUrl}/api/meta/webhook`,
      persona: "pages",
      changes: [{ field: "instagram_basic", verb: "revoked", targetIds: ["17841440000000001"] }, { field: "connected", verb: "revoked" }],
    });
    const got = received.at(-1)!;
    expect(got.headers["x-hub-signature-256"]).toBe(`sha256=${createHmac("sha256", APP_SECRET).update(got.body).digest("hex")}`);
    expect(JSON.parse(got.body)).toMatchObject({
      object: "permissions",
      entry: [{ id: sandbox.control.userId("pages"), changes: [{ field: "instagram_basic", value: { verb: "revoked", target_ids: ["17841440000000001"] } }, { field: "connected", value: { verb: "revoked" } }] }],
    });
    expect(await sandbox.control.verifyWebhook({ url: `${receiverUrl}/api/meta/webhook`, verifyToken: "vt-1" })).toMatchObject({ ok: true, status: 200 });
    expect(await sandbox.control.verifyWebhook({ url: `${receiverUrl}/api/meta/webhook`, verifyToken: "wrong" })).toMatchObject({ ok: false, status: 403 });
  });
});

describe("deliveries go only to the app", () => {
  const elsewhere = ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:1/admin", "https://attacker.example/collect", "http://localhost.attacker.example:3000/"];

  it("by default, refuses every URL outside the apps' redirect-URI origins, before sending or changing anything", async () => {
    const { sandbox, fetch: f } = inProcess();
    const token = sandbox.control.issueToken({ persona: "solo" }).accessToken;
    const before = received.length;
    for (const url of elsewhere) {
      for (const path of ["/_control/callbacks/deauthorize", "/_control/callbacks/data-deletion"]) {
        const res = await f(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url, persona: "solo" }) });
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: { message: string } }).error.message).toContain("only to http://localhost:3000");
      }
      const verify = await f("/_control/webhooks/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ url, verifyToken: "t" }) });
      expect(verify.status).toBe(403);
      await expect(sandbox.control.sendPermissionsWebhook({ url, persona: "solo", changes: [] })).rejects.toThrow(/delivered only to http:\/\/localhost:3000/);
    }
    await expect(sandbox.control.sendDeauthorize({ url: "not a url", persona: "solo" })).rejects.toThrow(/delivered only to/);
    expect(received.length).toBe(before);
    // The refused deauthorize did not remove the app either.
    expect((await getJson(f, `/me?access_token=${token}`)).status).toBe(200);
  });

  it("delivers to the configured origins only", async () => {
    const { sandbox } = inProcess({ callbackOrigins: [receiverUrl] });
    await expect(sandbox.control.sendDataDeletion({ url: "http://localhost:3000/api/meta/data-deletion", persona: "solo" })).rejects.toThrow(/delivered only to/);
    expect((await sandbox.control.sendDataDeletion({ url: `${receiverUrl}/api/meta/data-deletion`, persona: "solo" })).status).toBe(200);
  });
});

describe("checklist 27: app modes", () => {
  it("development: a user without an app role gets 'App not active' and no redirect", async () => {
    const { sandbox, fetch: f } = inProcess();
    sandbox.control.setDialogBehaviour("outsider", "approve");
    const res = await f(dialogUrl("http://sandbox.test"), { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("App not active");
  });

  it("live: non-role users only get approved permissions", async () => {
    const { sandbox, fetch: f } = inProcess({ apps: [{ appId: APP_ID, appSecret: APP_SECRET, redirectUris: [REDIRECT], mode: "live", approvedPermissions: ["public_profile", "email", "ads_read"] }] });
    sandbox.control.setDialogBehaviour("outsider", "approve");
    const res = await f(dialogUrl("http://sandbox.test", { scope: "ads_read,business_management" }), { redirect: "manual" });
    expect(res.status).toBe(302);
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const tok = await getJson(f, `/oauth/access_token?client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent(REDIRECT)}&code=${code}`);
    const perms = await getJson(f, `/me/permissions?access_token=${tok.body.access_token as string}`);
    expect((perms.body.data as { permission: string }[]).map((p) => p.permission)).toEqual(["public_profile", "ads_read"]);
    sandbox.control.setAppMode("development");
    expect((await f(dialogUrl("http://sandbox.test"), { redirect: "manual" })).status).toBe(200);
  });
});
