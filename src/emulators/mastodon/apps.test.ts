import { describe, expect, it } from "vitest";
import { bearer, link, registerApp, serverFetch } from "../../../tests/helpers/mastodon-flow";
import { createMastodonSandbox } from "./sandbox";

const setup = (id = "mastodon") => {
  const sandbox = createMastodonSandbox();
  return { sandbox, f: serverFetch(sandbox.serve(id), `http://${id}.test`) };
};
const post = (body: BodyInit, type: string) => ({ method: "POST", headers: { "content-type": type }, body });

describe("checklist 3: POST /api/v1/apps", () => {
  it("registers from a form or JSON with 43-character credentials and deterministic ids", async () => {
    const { f } = setup();
    const form = await f("/api/v1/apps", post(new URLSearchParams({ client_name: "Linkboard", redirect_uris: "http://localhost:3000/cb", scopes: "profile write:statuses" }).toString(), "application/x-www-form-urlencoded"));
    const viaJson = await registerApp(f);
    const a = (await form.json()) as { id: string; client_id: string; client_secret: string; vapid_key: string };
    expect(a).toMatchObject({ id: "1", name: "Linkboard", website: null, scopes: ["profile", "write:statuses"], redirect_uri: "http://localhost:3000/cb" });
    expect(a.client_id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.vapid_key.length).toBeGreaterThan(40);
    expect(viaJson.id).toBe("2");
    expect(viaJson.client_id).not.toBe(a.client_id);
  });

  it("takes form arrays (redirect_uris[]) from 4.3, and defaults the scopes to read", async () => {
    const { f } = setup();
    const body = "client_name=x&redirect_uris%5B%5D=http%3A%2F%2Fa.test%2Fcb&redirect_uris%5B%5D=http%3A%2F%2Fb.test%2Fcb";
    expect(await (await f("/api/v1/apps", post(body, "application/x-www-form-urlencoded"))).json()).toMatchObject({ redirect_uris: ["http://a.test/cb", "http://b.test/cb"], scopes: ["read"] });
  });

  it.each([
    [{ redirect_uris: "http://a.test/cb" }, "Validation failed: Application name can't be blank"],
    [{ client_name: "x" }, "Validation failed: Redirect URI can't be blank"],
    [{ client_name: "x", redirect_uris: "/callback" }, "Validation failed: Redirect URI must be an absolute URI."],
    [{ client_name: "x", redirect_uris: "http://[bad/cb" }, "Validation failed: Redirect URI must be a valid URI."],
    [{ client_name: "x", redirect_uris: "http://a.test/cb#frag" }, "Validation failed: Redirect URI cannot contain a fragment."],
    [{ client_name: "x", redirect_uris: "javascript:alert(1)" }, "Validation failed: Redirect URI is forbidden by the server."],
    [{ client_name: "x", redirect_uris: "http://a.test/cb", scopes: "read nonsense" }, "Validation failed: Scopes doesn't match configured on the server."],
    [{ client_name: "", scopes: "nope" }, "Validation failed: Application name can't be blank, Redirect URI can't be blank, Scopes doesn't match configured on the server."],
  ])("refuses %j with 422", async (body, error) => {
    const { f } = setup();
    const res = await f("/api/v1/apps", post(JSON.stringify(body), "application/json"));
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error });
  });

  it("accepts http:// and the out-of-band redirect URI", async () => {
    const { f } = setup();
    const app = await registerApp(f, { redirectUris: "urn:ietf:wg:oauth:2.0:oob http://127.0.0.1/cb" });
    expect(app.redirect_uris).toEqual(["urn:ietf:wg:oauth:2.0:oob", "http://127.0.0.1/cb"]);
  });
});

describe("checklist 4: GET /api/v1/apps/verify_credentials", () => {
  it("answers the Application (no secrets) for an app token and a user token", async () => {
    const { f } = setup();
    const { app, token } = await link(f, "zoe");
    const appToken = (await (await f("/oauth/token", post(new URLSearchParams({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "profile" }).toString(), "application/x-www-form-urlencoded"))).json()) as { access_token: string };
    for (const t of [token, appToken.access_token]) {
      const body = await (await f("/api/v1/apps/verify_credentials", bearer(t))).json();
      expect(body).toMatchObject({ name: "Linkboard", scopes: ["profile", "write:statuses"], redirect_uris: [app.redirect_uri] });
      expect(JSON.stringify(body)).not.toContain(app.client_secret);
      expect(body).not.toHaveProperty("client_id");
    }
    expect(await (await f("/api/v1/apps/verify_credentials", bearer("nope"))).json()).toEqual({ error: "The access token is invalid" });
  });

  it("before 4.3 needs the read scope", async () => {
    const { f } = setup("legacy");
    const { token } = await link(f, "zoe", { app: await registerApp(f, { scopes: "read:accounts write:statuses" }), scope: "write:statuses" });
    expect(await (await f("/api/v1/apps/verify_credentials", bearer(token))).json()).toEqual({ error: "This action is outside the authorized scopes" });
  });
});
