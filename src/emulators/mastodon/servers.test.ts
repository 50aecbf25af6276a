import { describe, expect, it } from "vitest";
import { bearer, link, registerApp, serverFetch } from "../../../tests/helpers/mastodon-flow";
import { createMastodonSandbox } from "./sandbox";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const setup = () => {
  const sandbox = createMastodonSandbox({ now: () => T0 });
  const on = (id: string) => serverFetch(sandbox.serve(id), `http://${id}.test`);
  return { sandbox, on };
};

describe("checklist 1: several independent servers at once", () => {
  it("keeps apps, users and tokens apart: one server's client id and token are unknown to another", async () => {
    const { sandbox, on } = setup();
    const a = on("mastodon");
    const b = on("legacy");
    const { app, token } = await link(a, "zoe");
    const appB = await registerApp(b, { scopes: "read write" });
    expect(appB.client_id).not.toBe(app.client_id);
    expect(appB.id).toBe("1");
    expect(app.id).toBe("1");
    // The same token on the other server is just unknown.
    expect(await (await b("/api/v1/accounts/verify_credentials", bearer(token))).json()).toEqual({ error: "The access token is invalid" });
    expect((await b(`/oauth/authorize?response_type=code&client_id=${app.client_id}&redirect_uri=x`, { redirect: "manual" })).status).toBe(401);
    // Zoë has the same account id on both servers, but two separate accounts.
    const zoeA = sandbox.control.server("mastodon").personas().find((p) => p.id === "zoe")!;
    const zoeB = sandbox.control.server("legacy").personas().find((p) => p.id === "zoe")!;
    expect(zoeA.accountId).toBe(zoeB.accountId);
    expect([zoeA.handle, zoeB.handle]).toEqual(["@zoe@mastodon.example", "@zoe@legacy.example"]);
  });

  it("runs a clock per server", () => {
    const { sandbox } = setup();
    sandbox.control.server("legacy").advanceClock(60_000);
    expect(sandbox.control.server("legacy").now() - sandbox.control.server("mastodon").now()).toBe(60_000);
    sandbox.control.advanceClock(1000);
    expect(sandbox.control.server("mastodon").now()).toBe(T0 + 1000);
  });

  it("also serves every server under one origin at {basePath}/{id}", async () => {
    const sandbox = createMastodonSandbox({ basePath: "/sandbox/mastodon" });
    const list = await (await sandbox(new Request("http://localhost:3000/sandbox/mastodon/_control/servers"))).json();
    expect(list).toMatchObject({ data: [{ id: "mastodon", url: "http://localhost:3000/sandbox/mastodon/mastodon" }, { id: "legacy" }, { id: "glitch" }] });
    const f = serverFetch(sandbox, "http://localhost:3000/sandbox/mastodon/glitch");
    expect(await (await f("/api/v2/instance")).json()).toMatchObject({ domain: "glitch.example", version: "4.3.2+glitch" });
    const meta = (await (await f("/.well-known/oauth-authorization-server")).json()) as { authorization_endpoint: string };
    expect(meta.authorization_endpoint).toBe("http://localhost:3000/sandbox/mastodon/glitch/oauth/authorize");
    expect((await sandbox(new Request("http://localhost:3000/sandbox/mastodon/nowhere/api/v1/instance"))).status).toBe(404);
  });
});

describe("checklist 2: versions before and from 4.3", () => {
  it("4.3+: metadata endpoint, profile scope, array redirect_uris, scopes in the app; 4.4: secret expiry and userinfo", async () => {
    const { on } = setup();
    const f = on("mastodon");
    expect((await f("/.well-known/oauth-authorization-server")).status).toBe(200);
    const app = await registerApp(f, { redirectUris: ["http://localhost:3000/a", "http://localhost:3000/b"], scopes: "profile write:statuses" });
    expect(app).toMatchObject({ scopes: ["profile", "write:statuses"], redirect_uris: ["http://localhost:3000/a", "http://localhost:3000/b"], redirect_uri: "http://localhost:3000/a\nhttp://localhost:3000/b", client_secret_expires_at: 0 });
    const glitch = await registerApp(on("glitch"), { scopes: "profile" });
    expect(glitch).toHaveProperty("scopes");
    expect(glitch).not.toHaveProperty("client_secret_expires_at");
    expect((await on("glitch")("/oauth/userinfo")).status).toBe(404);
  });

  it("before 4.3: no metadata, profile is unknown (422), arrays are dropped, PKCE ignored", async () => {
    const { on } = setup();
    const f = on("legacy");
    expect((await f("/.well-known/oauth-authorization-server")).status).toBe(404);
    const profile = await f("/api/v1/apps", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: "x", redirect_uris: "http://localhost/cb", scopes: "profile" }) });
    expect(profile.status).toBe(422);
    expect(await profile.json()).toEqual({ error: "Validation failed: Scopes doesn't match configured on the server." });
    const array = await f("/api/v1/apps", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ client_name: "x", redirect_uris: ["http://localhost/cb"] }) });
    expect(await array.json()).toEqual({ error: "Validation failed: Redirect URI can't be blank" });
    const app = await registerApp(f, { scopes: "read:accounts write:statuses" });
    expect(app).not.toHaveProperty("scopes");
    expect(app).not.toHaveProperty("redirect_uris");
    // A challenge sent to an old server is ignored: the exchange works with or without the verifier.
    const { token } = await link(f, "zoe", { app, scope: "read:accounts write:statuses" });
    expect((await f("/api/v1/accounts/verify_credentials", bearer(token))).status).toBe(200);
  });
});

describe("checklist 15: instance and nodeinfo", () => {
  it("serves /api/v1/instance, /api/v2/instance and nodeinfo with the configured version", async () => {
    const { on } = setup();
    const f = on("mastodon");
    expect(await (await f("/api/v1/instance")).json()).toMatchObject({ uri: "mastodon.example", version: "4.4.3", configuration: { statuses: { max_characters: 500, characters_reserved_per_url: 23 } } });
    expect(await (await f("/api/v2/instance")).json()).toMatchObject({ domain: "mastodon.example", version: "4.4.3", api_versions: { mastodon: 6 }, configuration: { statuses: { max_characters: 500 } } });
    expect(await (await on("legacy")("/api/v2/instance")).json()).not.toHaveProperty("api_versions");
    const links = (await (await f("/.well-known/nodeinfo")).json()) as { links: { href: string }[] };
    expect(links.links[0]?.href).toBe("http://mastodon.test/nodeinfo/2.0");
    expect(await (await f("/nodeinfo/2.0")).json()).toMatchObject({ version: "2.0", software: { name: "mastodon", version: "4.4.3" } });
  });
});

describe("state and controls", () => {
  it("exports every server as plain JSON and resumes from it", async () => {
    const { sandbox, on } = setup();
    const { app, token } = await link(on("mastodon"), "zoe");
    const saved = sandbox.exportState();
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    const again = createMastodonSandbox({ state: JSON.parse(JSON.stringify(saved)) });
    const f = serverFetch(again.serve("mastodon"), "http://mastodon.test");
    expect((await f("/api/v1/accounts/verify_credentials", bearer(token))).status).toBe(200);
    expect(again.control.server("mastodon").apps().map((a) => a.clientId)).toEqual([app.client_id]);
    const fresh = createMastodonSandbox();
    fresh.importState(saved);
    expect((await serverFetch(fresh.serve("mastodon"), "http://m.test")("/api/v1/accounts/verify_credentials", bearer(token))).status).toBe(200);
    expect(() => fresh.importState({ version: 1, servers: "no" })).toThrow(/Invalid input/);
  });

  it("answers 403 on every control when controls are off", async () => {
    const sandbox = createMastodonSandbox({ controls: false });
    const f = serverFetch(sandbox.serve("mastodon"), "http://mastodon.test");
    for (const path of ["/_control/personas", "/_control/tokens"]) {
      const res = await f(path, { method: path.endsWith("tokens") ? "POST" : "GET", headers: { "content-type": "application/json" }, body: path.endsWith("tokens") ? JSON.stringify({ persona: "zoe" }) : undefined });
      expect(res.status).toBe(403);
    }
    expect((await sandbox(new Request("http://x.test/_control/servers"))).status).toBe(403);
    expect(sandbox.control.server("mastodon").tokens()).toEqual([]);
  });
});
