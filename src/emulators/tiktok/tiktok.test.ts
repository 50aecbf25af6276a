import { describe, expect, it } from "vitest";
import { basicAuth, codeFrom, consentForm, formPost, inProcessFetch, jsonOf, locationOf, pkcePair, submitConsent, withQuery } from "../../../tests/helpers/oauth-sandbox";
import { createTikTokSandbox, DEFAULT_TIKTOK_CLIENT, type TikTokSandboxOptions } from "./index";

// The TikTok emulator checklist (reference platforms/tiktok.md), item by item, in-process.

const BASE = "http://sandbox.test";
const { clientId: KEY, clientSecret: SECRET } = DEFAULT_TIKTOK_CLIENT;
const REDIRECT = DEFAULT_TIKTOK_CLIENT.redirectUris[0]!;
const SCOPE = "user.info.basic,user.info.profile,user.info.stats";
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const DAY = 24 * 3600_000;
const LOG_ID = /^\d{14}[0-9A-F]{16}$/;

type TokenJson = { access_token: string; expires_in: number; open_id: string; refresh_expires_in: number; refresh_token: string; scope: string; token_type: string };

function setup(options: TikTokSandboxOptions = {}) {
  const sandbox = createTikTokSandbox({ now: () => T0, ...options });
  const f = inProcessFetch(sandbox, BASE);
  const authorizeUrl = (o: Record<string, string | undefined> = {}, path = "/v2/auth/authorize/") =>
    withQuery(`${BASE}${path}`, { client_key: KEY, response_type: "code", scope: SCOPE, redirect_uri: REDIRECT, state: "st4te", ...o });
  const token = (body: Record<string, string | undefined>, headers: Record<string, string> = {}) =>
    f("/v2/oauth/token/", formPost({ client_key: KEY, client_secret: SECRET, ...body }, headers));
  async function link(persona = "zoe", scope = SCOPE) {
    const res = await f(authorizeUrl({ scope, sandbox_persona: persona }));
    const tok = await token({ grant_type: "authorization_code", code: codeFrom(res), redirect_uri: REDIRECT });
    expect(tok.status).toBe(200);
    return jsonOf<TokenJson>(tok);
  }
  const info = (accessToken: string, fields = "open_id,union_id,avatar_url,display_name,username,follower_count,following_count,video_count") =>
    f(`/v2/user/info/?fields=${fields}`, { headers: { authorization: `Bearer ${accessToken}` } });
  const refresh = (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken });
  return { sandbox, f, authorizeUrl, token, link, info, refresh };
}

describe("checklist 1: dialog with and without the trailing slash; API paths with it", () => {
  it("serves every path", async () => {
    const s = setup();
    expect((await s.f(s.authorizeUrl())).status).toBe(200);
    expect((await s.f(s.authorizeUrl({}, "/v2/auth/authorize"))).status).toBe(200);
    expect((await s.f("/v2/oauth/token/", formPost({}))).status).toBe(400);
    expect((await s.f("/v2/oauth/revoke/", formPost({}))).status).toBe(400);
    expect((await s.f("/v2/user/info/?fields=open_id")).status).toBe(401);
  });
});

describe("checklist 2: the dialog validates client_key, redirect_uri, response_type, state and scopes", () => {
  it.each([
    ["client_id instead of client_key", { client_key: undefined, client_id: KEY }],
    ["an unknown client_key", { client_key: "nope" }],
    ["a redirect_uri that is not identical", { redirect_uri: `${REDIRECT}?x=1` }],
    ["response_type=token", { response_type: "token" }],
    ["a missing state", { state: undefined }],
    ["an unknown scope", { scope: "user.info.basic,user.info.everything" }],
  ])("refuses %s with an error page", async (_label, o) => {
    const s = setup();
    const res = await s.f(s.authorizeUrl(o));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("accepts client_id alongside client_key", async () => {
    const s = setup();
    expect((await s.f(s.authorizeUrl({ client_id: KEY }))).status).toBe(200);
  });
});

describe("checklist 3: granted scopes in the redirect and the token; cancel", () => {
  it("a declined scope is missing from `scopes` and from the token scope", async () => {
    const s = setup();
    const html = await (await s.f(s.authorizeUrl())).text();
    expect(consentForm(html).scopeBoxes).toEqual(["user.info.profile", "user.info.stats"]);
    const res = await submitConsent(s.f, html, { persona: "zoe", granted: ["user.info.stats"] });
    const q = locationOf(res).searchParams;
    expect([...q.keys()]).toEqual(["code", "scopes", "state"]);
    expect(q.get("scopes")).toBe("user.info.basic,user.info.stats");
    const tok = await jsonOf<TokenJson>(await s.token({ grant_type: "authorization_code", code: q.get("code")!, redirect_uri: REDIRECT }));
    expect(tok.scope).toBe("user.info.basic,user.info.stats");
  });

  it("cancel → access_denied with a description and the state", async () => {
    const s = setup();
    const res = await submitConsent(s.f, await (await s.f(s.authorizeUrl())).text(), { persona: "zoe", cancel: true });
    const q = locationOf(res).searchParams;
    expect(q.get("error")).toBe("access_denied");
    expect(q.get("error_description")).toBeTruthy();
    expect(q.get("state")).toBe("st4te");
    expect(q.get("code")).toBeNull();
  });
});

describe("checklist 4: PKCE optional; when sent, S256 base64url or hex, verified", () => {
  it.each(["challenge", "hexChallenge"] as const)("verifies a %s", async (kind) => {
    const s = setup();
    const pair = pkcePair();
    const res = await s.f(s.authorizeUrl({ code_challenge: pair[kind], code_challenge_method: "S256", sandbox_persona: "zoe" }));
    const code = codeFrom(res);
    const wrong = await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(await jsonOf(wrong)).toMatchObject({ error: "invalid_request", error_description: "Code verifier or code challenge is invalid." });
    expect((await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: pair.verifier })).status).toBe(200);
  });

  it("works without PKCE", async () => {
    const s = setup();
    expect((await s.link()).token_type).toBe("Bearer");
  });
});

describe("checklist 5: client_key and client_secret in the body only; every answer carries a log_id", () => {
  it("refuses Basic and wrong secrets, with log_id in body and header", async () => {
    const s = setup();
    const basic = await s.f("/v2/oauth/token/", formPost({ grant_type: "refresh_token", refresh_token: "x" }, { authorization: basicAuth(KEY, SECRET) }));
    expect(basic.status).toBe(400);
    const body = await jsonOf<{ error: string; log_id: string }>(basic);
    expect(body.error).toBe("invalid_request");
    expect(body.log_id).toMatch(LOG_ID);
    const wrong = await s.token({ grant_type: "refresh_token", refresh_token: "x", client_secret: "nope" });
    expect(wrong.status).toBe(401);
    expect(await jsonOf(wrong)).toMatchObject({ error: "invalid_client" });
    const code = codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    const ok = await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(ok.headers.get("x-tt-logid")).toMatch(LOG_ID);
  });

  it("an expired code answers invalid_grant 'Authorization code is expired.'", async () => {
    const s = setup();
    const code = codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    s.sandbox.control.advanceClock(11 * 60_000);
    const res = await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(await jsonOf(res)).toMatchObject({ error: "invalid_grant", error_description: "Authorization code is expired.", log_id: expect.stringMatching(LOG_ID) });
  });
});

describe("checklist 6: token JSON of §2; 2 h / 180 d, or 24 h / 365 d behind a switch", () => {
  it("answers open_id, refresh_expires_in, comma scope, Bearer, act./rft. prefixes", async () => {
    const tok = await setup().link("ana");
    expect(Object.keys(tok)).toEqual(["access_token", "expires_in", "open_id", "refresh_expires_in", "refresh_token", "scope", "token_type"]);
    expect(tok).toMatchObject({ expires_in: 7200, refresh_expires_in: 15_552_000, open_id: "afd97af1-b87b-48b9-ac98-410aaeda5344", scope: SCOPE, token_type: "Bearer" });
    expect(tok.access_token).toMatch(/^act\./);
    expect(tok.refresh_token).toMatch(/^rft\./);
    const legacy = await setup({ lifetimes: "legacy" }).link("ana");
    expect(legacy).toMatchObject({ expires_in: 86_400, refresh_expires_in: 31_536_000 });
  });
});

describe("checklist 7: refresh rotates; the sent refresh token is spent; refresh_expires_in does not grow", () => {
  it("rotates, refuses reuse with invalid_grant and records every attempt", async () => {
    const s = setup();
    const first = await s.link();
    s.sandbox.control.advanceClock(10 * DAY);
    const res = await s.refresh(first.refresh_token);
    const second = await jsonOf<TokenJson>(res);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.refresh_expires_in).toBe(170 * 24 * 3600);
    const reused = await s.refresh(first.refresh_token);
    expect(reused.status).toBe(400);
    expect(await jsonOf(reused)).toMatchObject({ error: "invalid_grant" });
    expect((await s.refresh(second.refresh_token)).status).toBe(200);
    expect(s.sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["ok", "reused", "ok"]);
  });

  it("refuses once the window from the grant has passed", async () => {
    const s = setup();
    const tok = await s.link();
    s.sandbox.control.advanceClock(180 * DAY);
    expect((await s.refresh(tok.refresh_token)).status).toBe(400);
    expect(s.sandbox.control.refreshAttempts().at(-1)!.outcome).toBe("expired");
  });
});

describe("checklist 8: revoke → 200; then access_token_invalid and a refused refresh", () => {
  it("ends the grant", async () => {
    const s = setup();
    const tok = await s.link();
    const res = await s.f("/v2/oauth/revoke/", formPost({ client_key: KEY, client_secret: SECRET, token: tok.access_token }));
    expect(res.status).toBe(200);
    const after = await s.info(tok.access_token);
    expect(after.status).toBe(401);
    expect(await jsonOf(after)).toMatchObject({ error: { code: "access_token_invalid" } });
    expect((await s.refresh(tok.refresh_token)).status).toBe(400);
  });
});

describe("checklist 9: /v2/user/info/", () => {
  it("answers only the requested fields in the envelope with error.code ok", async () => {
    const s = setup();
    const tok = await s.link("lukasz");
    const body = await jsonOf<{ data: { user: Record<string, unknown> }; error: { code: string; message: string; log_id: string } }>(await s.info(tok.access_token));
    expect(body.error).toMatchObject({ code: "ok", message: "" });
    expect(body.data.user).toMatchObject({
      open_id: "a3e4b5c6-d7e8-4f90-a1b2-c3d4e5f6a7b8",
      display_name: "Łukasz Żółć",
      username: "lukasz.zolc",
      follower_count: 2_480_331,
      following_count: 77,
      video_count: 903,
    });
    expect(Object.keys(body.data.user)).toEqual(["open_id", "union_id", "avatar_url", "display_name", "username", "follower_count", "following_count", "video_count"]);
    const one = await jsonOf<{ data: { user: Record<string, unknown> } }>(await s.info(tok.access_token, "display_name"));
    expect(one.data.user).toEqual({ display_name: "Łukasz Żółć" });
  });

  it("needs fields; a field without its granted scope → 401 scope_not_authorized; without the app's → scope_permission_missed", async () => {
    const s = setup();
    const basic = await s.link("zoe", "user.info.basic");
    const noFields = await s.f("/v2/user/info/", { headers: { authorization: `Bearer ${basic.access_token}` } });
    expect(noFields.status).toBe(400);
    expect(await jsonOf(noFields)).toMatchObject({ error: { code: "invalid_params" } });
    const denied = await s.info(basic.access_token, "open_id,follower_count");
    expect(denied.status).toBe(401);
    expect(await jsonOf(denied)).toMatchObject({ error: { code: "scope_not_authorized" } });

    const narrowApp = setup({ clients: [{ ...DEFAULT_TIKTOK_CLIENT, scopes: ["user.info.basic"] }] });
    const t = await narrowApp.link("zoe", "user.info.basic");
    const missed = await narrowApp.info(t.access_token, "username");
    expect(missed.status).toBe(401);
    expect(await jsonOf(missed)).toMatchObject({ error: { code: "scope_permission_missed" } });
  });
});

describe("checklist 10: 401 / 429 / 500 bodies of §6", () => {
  it("answers the envelope with each code", async () => {
    const s = setup();
    const unknown = await s.info("act.unknown");
    expect(await jsonOf(unknown)).toEqual({
      data: {},
      error: { code: "access_token_invalid", message: "The access token is invalid or not found in the request.", log_id: expect.stringMatching(LOG_ID) },
    });
    const tok = await s.link();
    s.sandbox.control.injectFault({ kind: "rate_limited", target: "api" });
    const limited = await s.info(tok.access_token);
    expect(limited.status).toBe(429);
    expect(await jsonOf(limited)).toMatchObject({ error: { code: "rate_limit_exceeded" } });
    s.sandbox.control.injectFault({ kind: "server_error", target: "api" });
    const down = await s.info(tok.access_token);
    expect(down.status).toBe(500);
    expect(await jsonOf(down)).toMatchObject({ error: { code: "internal_error" } });
    s.sandbox.control.advanceClock(2 * 3600_000);
    expect(await jsonOf(await s.info(tok.access_token))).toMatchObject({ error: { code: "access_token_invalid" } });
  });
});

describe("checklist 11: ~200-character Unicode display names, dotted usernames, large counts, UUID ids", () => {
  it("seeds them", async () => {
    const s = setup();
    const { data } = await jsonOf<{ data: { id: string; name: string; handle: string; externalId: string; stats: { followers: number } }[] }>(await s.f("/_control/personas"));
    expect(Math.max(...data.map((p) => [...p.name].length))).toBeGreaterThanOrEqual(190);
    expect(data.every((p) => /^[a-z]+(\.[a-z]+)+$/.test(p.handle))).toBe(true);
    expect(data.every((p) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(p.externalId))).toBe(true);
    expect(Math.max(...data.map((p) => p.stats.followers))).toBeGreaterThan(90_000_000);
    const tok = await s.link("ana");
    const user = (await jsonOf<{ data: { user: { union_id: string } } }>(await s.info(tok.access_token, "union_id"))).data.user;
    expect(user.union_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});
