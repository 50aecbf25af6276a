import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "./server";
import { APP_ID, REDIRECT, codeFrom, dialogUrl, exchange, getJson, inProcess } from "./test-helpers";

// The control-endpoint contract, the request log, basePath mounting and the standalone server.

let server: SandboxServer;
beforeAll(async () => {
  server = await startSandboxServer({ port: 0 });
});
afterAll(() => server.close());

const json = (method: string, body: unknown) => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("control contract over HTTP", () => {
  it("GET /_control/personas lists ids, names and ad account counts", async () => {
    const res = await getJson(fetch, `${server.url}/_control/personas`);
    const data = res.body.data as { id: string; name: string; adAccountCount: number; dialogLabel: string }[];
    expect(data.map((p) => p.id)).toEqual(["solo", "agency", "disabled", "pages", "empty", "scale", "outsider"]);
    expect(data.find((p) => p.id === "agency")).toMatchObject({ name: "Avery Agency", adAccountCount: 1200, dialogLabel: "Avery Agency (1,200 ad accounts)" });
    expect(data.find((p) => p.id === "scale")!.adAccountCount).toBe(5000);
  });

  it("POST /_control/dialog drives the dialog without a browser and is sticky until changed", async () => {
    const set = async (behaviour: string) => (await fetch(`${server.url}/_control/dialog`, json("POST", { persona: "solo", behaviour }))).status;
    expect(await set("cancel")).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(dialogUrl(server.url), { redirect: "manual" });
      expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
    }
    expect(await set("decline:business_management")).toBe(200);
    const res = await fetch(dialogUrl(server.url), { redirect: "manual" });
    const tok = (await (await exchange(fetch, server.url, codeFrom(res.headers.get("location")))).json()) as { access_token: string };
    const perms = await getJson(fetch, `${server.url}/v25.0/me/permissions?access_token=${tok.access_token}`);
    expect(perms.body.data).toContainEqual({ permission: "business_management", status: "declined" });
    expect(await set("interactive")).toBe(200);
    expect((await fetch(dialogUrl(server.url), { redirect: "manual" })).status).toBe(200);
    expect(await set("maybe")).toBe(400);
  });

  it("clock, token expiry and control log over HTTP", async () => {
    const issued = await getJson(fetch, `${server.url}/_control/tokens`, json("POST", { persona: "solo", scopes: ["ads_read"], lifetime: "short" }));
    const token = issued.body.access_token as string;
    const before = (await getJson(fetch, `${server.url}/_control/clock`)).body.now as number;
    const after = (await getJson(fetch, `${server.url}/_control/clock`, json("POST", { advanceSeconds: 60 }))).body.now as number;
    expect(after - before).toBeGreaterThanOrEqual(60_000);
    expect((await getJson(fetch, `${server.url}/_control/tokens/expire`, json("POST", { token }))).body).toEqual({ expired: true });
    expect(((await getJson(fetch, `${server.url}/v25.0/me?access_token=${token}`)).body.error as { error_subcode: number }).error_subcode).toBe(463);
    const log = (await getJson(fetch, `${server.url}/_control/log`)).body.data as { action: string; detail: Record<string, unknown> }[];
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(["issueToken", "advanceClock", "expireToken", "http POST /_control/clock"]));
    expect(JSON.stringify(log)).not.toContain(token);
  });

  it("controls are refused with 403 when disabled", async () => {
    const { fetch: f } = inProcess({ controls: false });
    for (const path of ["/_control/personas", "/_control/requests", "/_control/clock"]) expect((await f(path)).status).toBe(403);
    expect((await f("/_control/dialog", json("POST", { persona: "solo", behaviour: "approve" }))).status).toBe(403);
  });
});

describe("request log", () => {
  it("records method, path, query without secrets and a token id, never the token", async () => {
    const { sandbox, fetch: f } = inProcess();
    const t = sandbox.control.issueToken({ persona: "solo", scopes: ["ads_read"] });
    await f(`/v25.0/me/adaccounts?fields=id&limit=5&access_token=${t.accessToken}`);
    await f(`/v25.0/me`, { headers: { authorization: `Bearer ${t.accessToken}` } });
    const log = sandbox.control.requestLog();
    expect(log).toEqual([
      expect.objectContaining({ method: "GET", path: "/v25.0/me/adaccounts", query: { fields: "id", limit: "5" }, tokenId: t.tokenId, status: 200 }),
      expect.objectContaining({ method: "GET", path: "/v25.0/me", tokenId: t.tokenId, status: 200 }),
    ]);
    expect(JSON.stringify(log)).not.toContain(t.accessToken);
    sandbox.control.clearRequestLog();
    expect(sandbox.control.requestLog()).toEqual([]);
  });
});

describe("basePath mounting", () => {
  it("strips the prefix and builds every emitted URL from origin + basePath", async () => {
    const { sandbox, fetch: f, base } = inProcess({ basePath: "/sandbox/meta" });
    expect(base).toBe("http://sandbox.test/sandbox/meta");
    const html = await (await f(dialogUrl(base))).text();
    expect(html).toContain('action="http://sandbox.test/sandbox/meta/v25.0/dialog/oauth"');
    const t = sandbox.control.issueToken({ persona: "agency", scopes: ["ads_read"] }).accessToken;
    const page = (await getJson(f, `${base}/v25.0/me/adaccounts?access_token=${t}`)).body as { paging: { next: string } };
    expect(page.paging.next.startsWith("http://sandbox.test/sandbox/meta/v25.0/me/adaccounts?")).toBe(true);
    expect((await f("http://sandbox.test/elsewhere")).status).toBe(404);
    sandbox.control.setDialogBehaviour("solo", "approve");
    const res = await f(dialogUrl(base, { clientId: APP_ID, redirectUri: REDIRECT }), { redirect: "manual" });
    expect(res.headers.get("location")!.startsWith(`${REDIRECT}?code=`)).toBe(true);
    expect(res.headers.get("set-cookie")).toContain("Path=/sandbox/meta");
  });
});

describe("standalone server: controls for loopback clients only", () => {
  it("refuses /_control/* to a client reaching it on another address, and serves the Graph API to it", async (ctx) => {
    const { networkInterfaces } = await import("node:os");
    const external = Object.values(networkInterfaces()).flat().find((a) => a?.family === "IPv4" && !a.internal)?.address;
    if (!external) return ctx.skip();
    const open = await startSandboxServer({ port: 0, host: "0.0.0.0" });
    try {
      const port = new URL(open.url).port;
      const remote = await fetch(`http://${external}:${port}/_control/clock`, { ...json("POST", { advanceDays: 90 }), headers: { "content-type": "application/json", "x-forwarded-for": "127.0.0.1" } });
      expect(remote.status).toBe(403);
      expect(open.sandbox.control.controlLog()).toEqual([]);
      expect((await fetch(`http://${external}:${port}/v25.0/me`)).status).toBe(400);
      expect((await fetch(`http://127.0.0.1:${port}/_control/personas`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
