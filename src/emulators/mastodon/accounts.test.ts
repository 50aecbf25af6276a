import { describe, expect, it } from "vitest";
import { bearer, link, registerApp, serverFetch } from "../../../tests/helpers/mastodon-flow";
import { LONG_NAME } from "./personas";
import { createMastodonSandbox } from "./sandbox";

const setup = (id = "mastodon") => {
  const sandbox = createMastodonSandbox();
  return { sandbox, f: serverFetch(sandbox.serve(id), `http://${id}.test`) };
};
const graphemes = (s: string) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)].length;

describe("checklist 10: verify_credentials and the seeded users", () => {
  it("returns a CredentialAccount with source, role and the custom emoji of the display name", async () => {
    const { f } = setup();
    const { token } = await link(f, "zoe");
    const me = (await (await f("/api/v1/accounts/verify_credentials", bearer(token))).json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      id: "109000000000000001",
      username: "zoe",
      acct: "zoe",
      display_name: LONG_NAME,
      url: "http://mastodon.test/@zoe",
      uri: "http://mastodon.test/users/zoe",
      followers_count: 1204,
      following_count: 311,
      statuses_count: 87,
      note: "<p>Night skies over Øresund 🌌<br />Prints: zoe.example</p>",
      source: { privacy: "public", note: "Night skies over Øresund 🌌\nPrints: zoe.example" },
      role: { id: "-99", permissions: "65536" },
      emojis: [{ shortcode: "blobcat", url: "http://mastodon.test/system/custom_emojis/blobcat.svg" }],
    });
    expect(String(me.last_status_at)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(graphemes(LONG_NAME)).toBe(30);
    expect(LONG_NAME).toMatch(/[^\x00-\x7f]/);
    expect(LONG_NAME).toContain(":blobcat:");
    for (const url of [me.avatar, (me.emojis as { url: string }[])[0]!.url]) expect((await f(String(url))).headers.get("content-type")).toBe("image/svg+xml");
    expect((await f(`/@zoe`)).status).toBe(200);
  });

  it("has a user with an empty display name, and one with the same id on two servers", async () => {
    const { sandbox, f } = setup();
    const { token } = await link(f, "quiet");
    const quiet = (await (await f("/api/v1/accounts/verify_credentials", bearer(token))).json()) as Record<string, unknown>;
    expect(quiet).toMatchObject({ display_name: "", avatar: "http://mastodon.test/avatars/original/missing.png", statuses_count: 0, last_status_at: null });
    expect((await f("/avatars/original/missing.png")).headers.get("content-type")).toBe("image/png");
    const ids = (id: string) => sandbox.control.server(id).personas().map((p) => p.accountId);
    expect(ids("mastodon").filter((x) => ids("legacy").includes(x))).toEqual(["109000000000000001"]);
  });

  it("accepts profile (4.3+), read or read:accounts, and refuses a token without them", async () => {
    const { f } = setup();
    const app = await registerApp(f, { scopes: "profile read read:accounts write:statuses" });
    for (const scope of ["profile", "read", "read:accounts"]) {
      const { token } = await link(f, "li", { app, scope });
      expect((await f("/api/v1/accounts/verify_credentials", bearer(token))).status, scope).toBe(200);
    }
    const { token } = await link(f, "li", { app, scope: "write:statuses" });
    const res = await f("/api/v1/accounts/verify_credentials", bearer(token));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "This action is outside the authorized scopes" });
  });

  it("serves /oauth/userinfo on 4.4 with the profile scope", async () => {
    const { f } = setup();
    const { token } = await link(f, "zoe", { scope: "profile" });
    expect(await (await f("/oauth/userinfo", bearer(token))).json()).toEqual({
      iss: "http://mastodon.test/",
      sub: "http://mastodon.test/users/zoe",
      name: LONG_NAME,
      preferred_username: "zoe",
      profile: "http://mastodon.test/@zoe",
      picture: "http://mastodon.test/system/accounts/avatars/109000000000000001/original/avatar.svg",
    });
  });
});

describe("checklist 11: the 401/403/422 bodies, grant revocation and disabled logins", () => {
  it("tells an unknown token (is invalid) from a revoked one (was revoked), with WWW-Authenticate", async () => {
    const { sandbox, f } = setup();
    const { app, token } = await link(f, "zoe");
    const none = await f("/api/v1/accounts/verify_credentials");
    expect(await none.json()).toEqual({ error: "The access token is invalid" });
    expect(none.headers.get("www-authenticate")).toBe('Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"');
    // The user revokes the app under Settings → Authorized apps.
    expect(sandbox.control.server("mastodon").revokeGrant("zoe", app.client_id)).toBe(1);
    expect(await (await f("/api/v1/accounts/verify_credentials", bearer(token))).json()).toEqual({ error: "The access token was revoked" });
  });

  it("refuses an app token on a user endpoint with 422", async () => {
    const { f } = setup();
    const app = await registerApp(f);
    const appToken = (await (await f("/oauth/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "profile" }) })).json()) as { access_token: string };
    const res = await f("/api/v1/accounts/verify_credentials", bearer(appToken.access_token));
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: "This method requires an authenticated user" });
  });

  it.each([
    ["disabled", 403, "Your login is currently disabled"],
    ["unconfirmed", 403, "Your login is missing a confirmed e-mail address"],
    ["pending", 403, "Your login is currently pending approval"],
    ["deleted", 401, "The access token is invalid"],
  ] as const)("a %s login answers %i", async (state, status, error) => {
    const { sandbox, f } = setup();
    const { token } = await link(f, "li");
    sandbox.control.server("mastodon").setUserState("li", state);
    const res = await f("/api/v1/accounts/verify_credentials", bearer(token));
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error });
  });
});
