import { describe, expect, it } from "vitest";
import { authorizeUrl, CALLBACK, codeFrom, exchange, pkcePair, registerApp, serverFetch, type Fetcher, type Registered } from "../../../tests/helpers/mastodon-flow";
import { redirectMatches } from "./authorize";
import { createMastodonSandbox } from "./sandbox";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const setup = async (id = "mastodon") => {
  const sandbox = createMastodonSandbox({ now: () => T0 });
  const f = serverFetch(sandbox.serve(id), `http://${id}.test`);
  return { sandbox, f, app: await registerApp(f) };
};
const manual = { redirect: "manual" } as const;

async function submit(f: Fetcher, url: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  const page = await (await f(url, cookie ? { headers: { cookie } } : {})).text();
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, m[2]!.replace(/&amp;/g, "&").replace(/&quot;/g, '"'));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return f("/oauth/authorize", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) }, body: form.toString(), redirect: "manual" });
}

describe("checklist 5: /oauth/authorize validation, HTML error pages, redirect matching, scopes", () => {
  it.each([
    ["a missing client_id", (a: Registered) => `/oauth/authorize?response_type=code&redirect_uri=${encodeURIComponent(CALLBACK)}&x=${a.id}`, 400, "invalid_request", "Missing required parameter: client_id."],
    ["an unknown client_id", () => `/oauth/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(CALLBACK)}`, 401, "invalid_client", "Client authentication failed"],
    ["an unregistered redirect_uri", (a: Registered) => authorizeUrl(a, { redirectUri: "http://localhost:3000/other" }), 400, "invalid_redirect_uri", "doesn&#39;t match client redirect URI"],
    ["a missing response_type", (a: Registered) => authorizeUrl(a).replace("response_type=code&", ""), 400, "invalid_request", "Missing required parameter: response_type."],
    ["response_type=token", (a: Registered) => authorizeUrl(a).replace("response_type=code", "response_type=token"), 400, "unsupported_response_type", "does not support this response type"],
    ["an unregistered scope", (a: Registered) => authorizeUrl(a, { scope: "profile read" }), 400, "invalid_scope", "The requested scope is invalid"],
    ["a plain PKCE method", (a: Registered) => `${authorizeUrl(a, { scope: "profile" })}&code_challenge=abc&code_challenge_method=plain`, 400, "invalid_code_challenge_method", "The code_challenge_method must be S256."],
  ])("shows an error page for %s, without redirecting", async (_label, url, status, code, text) => {
    const { f, app } = await setup();
    const res = await f(url(app), manual);
    expect(res.status).toBe(status);
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain(`<code>${code}</code>`);
    expect(html).toContain(text);
  });

  it("defaults the scope to read, which must be registered too (matched literally)", async () => {
    const { f, app } = await setup();
    expect((await f(authorizeUrl(app), manual)).status).toBe(400);
    const readApp = await registerApp(f, { scopes: "read write" });
    expect(await (await f(authorizeUrl(readApp, { persona: "zoe" }), manual)).status).toBe(302);
    // `read` registered does not allow asking for `read:accounts`.
    expect((await f(authorizeUrl(readApp, { scope: "read:accounts" }), manual)).status).toBe(400);
  });

  it("matches redirect URIs like Doorkeeper", () => {
    expect(redirectMatches("http://localhost:3000/cb", "http://localhost:3000/cb")).toBe(true);
    expect(redirectMatches("http://LOCALHOST:3000/cb", "http://localhost:3000/cb")).toBe(true);
    expect(redirectMatches("http://localhost:3000/cb?x=1", "http://localhost:3000/cb")).toBe(true);
    expect(redirectMatches("http://localhost:3000/cb/", "http://localhost:3000/cb")).toBe(false);
    expect(redirectMatches("http://localhost:3001/cb", "http://localhost:3000/cb")).toBe(false);
    expect(redirectMatches("http://127.0.0.1:49152/cb", "http://127.0.0.1/cb")).toBe(true);
    expect(redirectMatches("http://[::1]:8080/cb", "http://[::1]:9090/cb")).toBe(true);
    expect(redirectMatches("https://app.test/cb?b=2&a=1", "https://app.test/cb?a=1&b=2")).toBe(true);
    expect(redirectMatches("https://app.test/cb?a=1", "https://app.test/cb?a=1&b=2")).toBe(false);
    expect(redirectMatches("https://app.test/cb?a=1&b=2&c=3", "https://app.test/cb?a=1&b=2")).toBe(false);
    expect(redirectMatches("https://app.test/cb#x", "https://app.test/cb")).toBe(false);
  });

  it("keeps the redirect URI's own query and appends code and state", async () => {
    const { f } = await setup();
    const app = await registerApp(f, { redirectUris: "http://localhost:3000/cb?flow=mastodon" });
    const res = await f(authorizeUrl(app, { scope: "profile", redirectUri: "http://localhost:3000/cb?flow=mastodon", persona: "zoe" }), manual);
    expect(res.headers.get("location")).toMatch(/^http:\/\/localhost:3000\/cb\?flow=mastodon&code=[A-Za-z0-9_-]{43}&state=st4te$/);
  });
});

describe("checklist 6: consent outcomes", () => {
  it("shows a no-JavaScript page: a Continue as radio group with every persona, Continue and Cancel", async () => {
    const { f, app } = await setup();
    const res = await f(authorizeUrl(app, { scope: "profile" }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("<script");
    expect(html).toContain("<legend>Continue as</legend>");
    expect(html).toContain('name="persona" value="109000000000000001" checked> Zoë Ångström 🌸 :blobcat: Malmö (@zoe@mastodon.example)');
    expect(html).toContain("> 李小龙 (@xiaolong@mastodon.example)");
    expect(html).toContain("> @quiet@mastodon.example (no display name)");
    expect(html).toContain('<button type="submit" name="action" value="continue">Continue</button>');
    expect(html).toContain('<button type="submit" name="action" value="cancel">Cancel</button>');
  });

  it("Continue as a persona redirects with a code; Cancel redirects with access_denied and the state", async () => {
    const { f, app } = await setup();
    const ok = await submit(f, authorizeUrl(app, { scope: "profile" }), { persona: "109000000000000002", action: "continue" });
    expect(ok.status).toBe(302);
    expect(codeFrom(ok)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const token = (await (await exchange(f, app, codeFrom(ok))).json()) as { access_token: string };
    const me = (await (await f("/api/v1/accounts/verify_credentials", { headers: { authorization: `Bearer ${token.access_token}` } })).json()) as { username: string };
    expect(me.username).toBe("xiaolong");
    const cancel = await submit(f, authorizeUrl(app, { scope: "profile", state: "abc" }), { action: "cancel" });
    expect(cancel.headers.get("location")).toBe(`${CALLBACK}?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=abc`);
  });

  it("approves at once with sandbox_persona, and switches to approve or deny at run time", async () => {
    const { sandbox, f, app } = await setup();
    expect(codeFrom(await f(authorizeUrl(app, { scope: "profile", persona: "li" }), manual))).toBeTruthy();
    expect((await f(authorizeUrl(app, { scope: "profile", persona: "nobody" }), manual)).status).toBe(400);
    sandbox.control.server("mastodon").setDialogBehaviour("deny");
    expect((await f(authorizeUrl(app, { scope: "profile" }), manual)).headers.get("location")).toContain("error=access_denied");
    sandbox.control.server("mastodon").setDialogBehaviour("approve", "quiet");
    const code = codeFrom(await f(authorizeUrl(app, { scope: "profile" }), manual));
    const token = (await (await exchange(f, app, code)).json()) as { access_token: string };
    expect(sandbox.control.server("mastodon").tokens().find((t) => t.userId === "109000000000000003")).toBeTruthy();
    expect(token.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("skips the page for a user who already holds a live token for these scopes, unless force_login", async () => {
    const { f, app } = await setup();
    const first = await submit(f, authorizeUrl(app, { scope: "profile" }), { persona: "109000000000000001", action: "continue" });
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    expect(cookie).toBe("mastodon_sandbox_mastodon=109000000000000001");
    // No token yet: the page still shows.
    expect((await f(authorizeUrl(app, { scope: "profile" }), { headers: { cookie }, redirect: "manual" })).status).toBe(200);
    await exchange(f, app, codeFrom(first));
    expect((await f(authorizeUrl(app, { scope: "profile" }), { headers: { cookie }, redirect: "manual" })).status).toBe(302);
    expect((await f(authorizeUrl(app, { scope: "profile write:statuses" }), { headers: { cookie }, redirect: "manual" })).status).toBe(200);
    expect((await f(authorizeUrl(app, { scope: "profile", extra: { force_login: "true" } }), { headers: { cookie }, redirect: "manual" })).status).toBe(200);
  });
});

describe("checklist 7: authorization codes", () => {
  it("are single use, bound to the client, the redirect URI and the PKCE challenge, and live 10 minutes", async () => {
    const { sandbox, f, app } = await setup();
    const other = await registerApp(f);
    const { verifier, challenge } = pkcePair();
    const code = codeFrom(await f(authorizeUrl(app, { scope: "profile", challenge, persona: "zoe" }), manual));
    const grant = { error: "invalid_grant" };
    expect(await (await exchange(f, other, code, { verifier })).json()).toMatchObject(grant);
    expect(await (await exchange(f, app, code, { verifier, redirectUri: "http://localhost:3000/elsewhere" })).json()).toMatchObject(grant);
    expect(await (await exchange(f, app, code, { verifier: pkcePair().verifier })).json()).toMatchObject(grant);
    // None of those failures used the code up.
    expect((await exchange(f, app, code, { verifier })).status).toBe(200);
    expect(await (await exchange(f, app, code, { verifier })).json()).toMatchObject(grant);

    const late = codeFrom(await f(authorizeUrl(app, { scope: "profile", challenge, persona: "zoe" }), manual));
    sandbox.control.server("mastodon").advanceClock(10 * 60_000);
    expect(await (await exchange(f, app, late, { verifier })).json()).toMatchObject(grant);
  });
});
