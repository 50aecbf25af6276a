import { describe, expect, it } from "vitest";
import { authorizeUrl, bearer, codeFrom, exchange, link, pkcePair, registerApp, serverFetch, type Fetcher, type Registered } from "../../../tests/helpers/mastodon-flow";
import { createMastodonSandbox } from "./sandbox";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const setup = async () => {
  const sandbox = createMastodonSandbox({ now: () => T0 });
  const f = serverFetch(sandbox.serve("mastodon"), "http://mastodon.test");
  return { sandbox, f, app: await registerApp(f) };
};
const manual = { redirect: "manual" } as const;
const form = (f: Fetcher, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  f(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields).toString() });
const newCode = async (f: Fetcher, app: Registered, challenge?: string) => codeFrom(await f(authorizeUrl(app, { scope: "profile write:statuses", challenge, persona: "zoe" }), manual));

describe("checklist 8: /oauth/token", () => {
  it("exchanges with Basic or body client auth; no-store headers; no expiry, no refresh token", async () => {
    const { f, app } = await setup();
    for (const basic of [true, false]) {
      const res = await exchange(f, app, await newCode(f, app), { basic });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store, no-cache");
      expect(res.headers.get("pragma")).toBe("no-cache");
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: "Bearer", scope: "profile write:statuses", created_at: T0 / 1000 });
    }
  });

  it("reuses the live token for the same app, user and scopes", async () => {
    const { f, app } = await setup();
    const a = (await (await exchange(f, app, await newCode(f, app))).json()) as { access_token: string };
    const b = (await (await exchange(f, app, await newCode(f, app))).json()) as { access_token: string };
    expect(b.access_token).toBe(a.access_token);
  });

  it("checks parameters, then the client, then the grant, redirect URI and verifier", async () => {
    const { f, app } = await setup();
    const { verifier, challenge } = pkcePair();
    const code = await newCode(f, app, challenge);
    const creds = { client_id: app.client_id, client_secret: app.client_secret };
    const cases: [Record<string, string>, number, string, string][] = [
      [{ code }, 400, "invalid_request", "Missing required parameter: grant_type."],
      [{ grant_type: "password", username: "zoe", password: "x" }, 400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server."],
      [{ grant_type: "refresh_token", refresh_token: "x" }, 400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server."],
      // A challenge was sent: the verifier is a required parameter, checked before the client.
      [{ grant_type: "authorization_code", code, redirect_uri: "http://localhost:3000/api/connections/mastodon/callback" }, 400, "invalid_request", "Missing required parameter: code_verifier."],
      [{ grant_type: "authorization_code", code, code_verifier: verifier, ...creds }, 400, "invalid_request", "Missing required parameter: redirect_uri."],
      [{ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: "x", client_id: app.client_id, client_secret: "wrong" }, 401, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."],
      [{ grant_type: "authorization_code", code: "nope", redirect_uri: "x", ...creds }, 400, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client."],
    ];
    for (const [fields, status, error, description] of cases) {
      const res = await form(f, "/oauth/token", fields);
      expect(res.status, JSON.stringify(fields)).toBe(status);
      expect(await res.json()).toEqual({ error, error_description: description });
      if (error === "invalid_client") expect(res.headers.get("www-authenticate")).toContain('error="invalid_client"');
    }
    // A verifier sent for a code that had no challenge is refused on 4.3+.
    const plainCode = await newCode(f, app);
    expect(await (await exchange(f, app, plainCode, { verifier })).json()).toMatchObject({ error: "invalid_grant" });
  });

  it("issues an app token with client_credentials, within the registered scopes", async () => {
    const { f, app } = await setup();
    const ok = await form(f, "/oauth/token", { grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "write:statuses" });
    expect(await ok.json()).toMatchObject({ token_type: "Bearer", scope: "write:statuses" });
    const read = await form(f, "/oauth/token", { grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret });
    expect(await read.json()).toEqual({ error: "invalid_scope", error_description: "The requested scope is invalid, unknown, or malformed." });
  });

  it("never expires a token", async () => {
    const { sandbox, f } = await setup();
    const { token } = await link(f, "zoe");
    sandbox.control.server("mastodon").advanceClock(5 * 365 * 86_400_000);
    expect((await f("/api/v1/accounts/verify_credentials", bearer(token))).status).toBe(200);
  });
});

describe("checklist 9: /oauth/revoke", () => {
  it("answers 200 {} when revoked, already revoked and unknown; the token then reads as revoked", async () => {
    const { f, app } = await setup();
    const { token } = await link(f, "zoe", { app });
    const creds = { client_id: app.client_id, client_secret: app.client_secret };
    for (const t of [token, token, "never-issued"]) {
      const res = await form(f, "/oauth/revoke", { ...creds, token: t });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
    }
    const res = await f("/api/v1/accounts/verify_credentials", bearer(token));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "The access token was revoked" });
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token was revoked"');
  });

  it("refuses wrong or missing client credentials and another app's token with 403 unauthorized_client", async () => {
    const { f, app } = await setup();
    const { token } = await link(f, "zoe", { app });
    const other = await registerApp(f);
    const refused = { error: "unauthorized_client", error_description: "You are not authorized to revoke this token" };
    const attempts: Record<string, string>[] = [{ token }, { token, client_id: app.client_id, client_secret: "nope" }, { token, client_id: other.client_id, client_secret: other.client_secret }, { token: "unknown" }];
    for (const fields of attempts) {
      const res = await form(f, "/oauth/revoke", fields);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual(refused);
    }
    expect((await f("/api/v1/accounts/verify_credentials", bearer(token))).status).toBe(200);
    const basic = await form(f, "/oauth/revoke", { token }, { authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString("base64")}` });
    expect(basic.status).toBe(200);
  });
});
