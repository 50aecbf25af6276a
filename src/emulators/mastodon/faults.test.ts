import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, link, registerApp, serverFetch } from "../../../tests/helpers/mastodon-flow";
import { createMastodonSandbox } from "./sandbox";
import { startMastodonServers, type MastodonServers } from "./server";

const setup = () => {
  const sandbox = createMastodonSandbox();
  return { sandbox, c: sandbox.control.server("mastodon"), f: serverFetch(sandbox.serve("mastodon"), "http://mastodon.test") };
};

describe("checklist 14: fault injection per path", () => {
  it("answers OAuth-shaped bodies on /oauth/*, HTML for 5xx on the API unless a message is given", async () => {
    const { c, f } = setup();
    const app = await registerApp(f);
    c.injectFault({ path: "/oauth/token", status: 503 });
    const token = await f("/oauth/token", { method: "POST", body: new URLSearchParams({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret }) });
    expect(token.status).toBe(503);
    expect(await token.json()).toEqual({ error: "temporarily_unavailable", error_description: expect.stringContaining("temporary overloading") });
    c.injectFault({ path: "/api/v1/instance", status: 502 });
    const html = await f("/api/v1/instance");
    expect(html.status).toBe(502);
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(await html.text()).toContain("502 Bad Gateway");
    c.injectFault({ path: "/api/v1/instance", status: 500, message: "Something exploded" });
    expect(await (await f("/api/v1/instance")).json()).toEqual({ error: "Something exploded" });
    expect((await f("/api/v1/instance")).status).toBe(200);
  });

  it("counts down, matches paths with wildcards and methods, and a 429 carries rate-limit headers", async () => {
    const { c, f } = setup();
    const { token } = await link(f, "zoe");
    c.injectFault({ path: "/api/v1/accounts/*", method: "GET", status: 429, count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await f("/api/v1/accounts/verify_credentials", bearer(token));
      expect(res.status).toBe(429);
      expect(await res.json()).toEqual({ error: "Too many requests" });
      expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(res.headers.get("x-ratelimit-reset")).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000000Z$/);
    }
    expect((await f("/api/v1/accounts/verify_credentials", bearer(token))).status).toBe(200);
  });

  it("delays, and holds a timed-out answer until the client gives up", async () => {
    const { c, f } = setup();
    c.injectFault({ path: "/api/v1/instance", delayMs: 40 });
    const started = performance.now();
    expect((await f("/api/v1/instance")).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    c.injectFault({ path: "/api/v2/instance", timeout: true });
    const controller = new AbortController();
    const pending = f("/api/v2/instance", { signal: controller.signal });
    controller.abort();
    expect((await pending).status).toBe(504);
  });
});

describe("checklist 16: secrets are listed and never logged", () => {
  it("lists every token, client id, client secret and code, and keeps them out of the logs", async () => {
    const { sandbox, c, f } = setup();
    const { app, token } = await link(f, "zoe");
    await f(`/api/v1/accounts/verify_credentials?access_token=${token}`);
    await f("/oauth/revoke", { method: "POST", body: new URLSearchParams({ client_id: app.client_id, client_secret: app.client_secret, token }) });
    c.issueToken({ persona: "li" });
    const secrets = sandbox.control.secrets();
    for (const s of [app.client_id, app.client_secret, token]) expect(secrets).toContain(s);
    expect(secrets.filter((s) => /^[A-Za-z0-9_-]{43}$/.test(s)).length).toBeGreaterThanOrEqual(6);
    const logs = JSON.stringify([sandbox.control.requestLog(), sandbox.control.controlLog()]);
    expect(sandbox.control.requestLog("mastodon").length).toBeGreaterThanOrEqual(5);
    for (const s of secrets) expect(logs).not.toContain(s);
    expect(sandbox.control.requestLog().find((e) => e.path === "/api/v1/accounts/verify_credentials")?.tokenId).toMatch(/^\d+$/);
  });
});

describe("misbehaviour and controls over HTTP, one port per server", () => {
  let servers: MastodonServers;
  beforeAll(async () => {
    servers = await startMastodonServers({});
  });
  afterAll(() => servers.close());

  const control = (id: string, path: string, body?: unknown) =>
    fetch(`${servers.urls[id]}/_control${path}`, { method: body === undefined ? "GET" : "POST", headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });

  it("gives every server its own origin, and links over real HTTP", async () => {
    expect(Object.keys(servers.urls)).toEqual(["mastodon", "legacy", "glitch"]);
    expect(new Set(Object.values(servers.urls)).size).toBe(3);
    const f = serverFetch((r) => fetch(r), servers.urls.legacy!);
    expect(await (await f("/api/v1/instance")).json()).toMatchObject({ uri: "legacy.example", version: "4.2.10" });
    const { token } = await link(f, "ola", { app: await registerApp(f, { scopes: "read:accounts write:statuses" }), scope: "read:accounts" });
    expect(await (await f("/api/v1/accounts/verify_credentials", bearer(token))).json()).toMatchObject({ username: "ola", locked: true });
  });

  it("controls: personas, tokens, revoke, user state, clock", async () => {
    const personas = (await (await control("glitch", "/personas")).json()) as { data: { id: string; handle: string }[] };
    expect(personas.data).toEqual([expect.objectContaining({ id: "kai", handle: "@kai@glitch.example", dialogLabel: "Kai Müller 🦊 (@kai@glitch.example)" })]);
    const issued = (await (await control("glitch", "/tokens", { persona: "kai", scopes: "profile" })).json()) as { accessToken: string };
    const f = serverFetch((r) => fetch(r), servers.urls.glitch!);
    expect((await f("/api/v1/accounts/verify_credentials", bearer(issued.accessToken))).status).toBe(200);
    await control("glitch", "/users/state", { persona: "kai", state: "disabled" });
    expect(await (await f("/api/v1/accounts/verify_credentials", bearer(issued.accessToken))).json()).toEqual({ error: "Your login is currently disabled" });
    await control("glitch", "/users/state", { persona: "kai", state: "active" });
    expect(await (await control("glitch", "/tokens/revoke", { token: issued.accessToken })).json()).toEqual({ revoked: true });
    expect(await (await f("/api/v1/accounts/verify_credentials", bearer(issued.accessToken))).json()).toEqual({ error: "The access token was revoked" });
    expect((await control("glitch", "/clock", { advanceMinutes: 11 })).status).toBe(200);
    expect((await control("glitch", "/users/state", { persona: "nobody", state: "disabled" })).status).toBe(400);
  });

  it("misbehaves: a huge answer, an endless redirect, a redirect to metadata, a slow drip", async () => {
    const base = servers.urls.mastodon!;
    await control("mastodon", "/misbehave", { path: "/api/v1/instance", mode: "huge", bytes: 1_000_000, count: 1 });
    const huge = await fetch(`${base}/api/v1/instance`);
    expect((await huge.arrayBuffer()).byteLength).toBe(1_000_000);
    expect((await fetch(`${base}/api/v1/instance`)).status).toBe(200);

    await control("mastodon", "/misbehave", { path: "/api/v2/instance", mode: "redirect-loop" });
    const loop = await fetch(`${base}/api/v2/instance?hop=4`, { redirect: "manual" });
    expect(loop.status).toBe(302);
    expect(loop.headers.get("location")).toBe("/api/v2/instance?hop=5");
    await expect(fetch(`${base}/api/v2/instance`)).rejects.toThrow(/fetch failed/);

    await control("mastodon", "/misbehave", { path: "/.well-known/nodeinfo", mode: "redirect", location: "http://169.254.169.254/latest/meta-data/" });
    expect((await fetch(`${base}/.well-known/nodeinfo`, { redirect: "manual" })).headers.get("location")).toBe("http://169.254.169.254/latest/meta-data/");

    await control("mastodon", "/misbehave", { path: "/nodeinfo/2.0", mode: "slow-drip", intervalMs: 20, bytes: 5 });
    const started = performance.now();
    expect(await (await fetch(`${base}/nodeinfo/2.0`)).text()).toBe("{    ");
    expect(performance.now() - started).toBeGreaterThanOrEqual(80);

    await fetch(`${base}/_control/misbehave`, { method: "DELETE" });
    expect((await fetch(`${base}/api/v2/instance`)).status).toBe(200);
  });
});
