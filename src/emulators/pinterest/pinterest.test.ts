import { describe, expect, it } from "vitest";
import { basicAuth, codeFrom, consentForm, formPost, inProcessFetch, jsonOf, locationOf, submitConsent, withQuery } from "../../../tests/helpers/oauth-sandbox";
import type { OAuth2SandboxOptions } from "../oauth2/types";
import { createPinterestSandbox, DEFAULT_PINTEREST_CLIENT } from "./index";

// The Pinterest emulator checklist (reference platforms/pinterest.md), item by item, in-process.

const BASE = "http://sandbox.test";
const { clientId: ID, clientSecret: SECRET } = DEFAULT_PINTEREST_CLIENT;
const REDIRECT = DEFAULT_PINTEREST_CLIENT.redirectUris[0]!;
const SCOPE = "boards:read,pins:read,user_accounts:read";
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const DAY = 24 * 3600_000;
const BASIC = { authorization: basicAuth(ID, SECRET) };

type TokenJson = { access_token: string; refresh_token: string; response_type: string; token_type: string; expires_in: number; refresh_token_expires_in: number; refresh_token_expires_at: number; scope: string };

function setup(options: OAuth2SandboxOptions = {}) {
  const sandbox = createPinterestSandbox({ now: () => T0, ...options });
  const f = inProcessFetch(sandbox, BASE);
  const authorizeUrl = (o: Record<string, string | undefined> = {}, path = "/oauth/") =>
    withQuery(`${BASE}${path}`, { client_id: ID, redirect_uri: REDIRECT, response_type: "code", scope: SCOPE, state: "st4te", ...o });
  const token = (body: Record<string, string | undefined>, headers: Record<string, string> = BASIC) => f("/v5/oauth/token", formPost(body, headers));
  async function link(persona = "zoe", scope = SCOPE) {
    const res = await f(authorizeUrl({ scope, sandbox_persona: persona }));
    const tok = await token({ grant_type: "authorization_code", code: codeFrom(res), redirect_uri: REDIRECT });
    expect(tok.status).toBe(200);
    return jsonOf<TokenJson>(tok);
  }
  const account = (accessToken: string) => f("/v5/user_account", { headers: { authorization: `Bearer ${accessToken}` } });
  const refresh = (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken });
  return { sandbox, f, authorizeUrl, token, link, account, refresh };
}

describe("checklist 1: /oauth/ with and without the slash; token, revoke and user_account on the API base", () => {
  it("serves every path", async () => {
    const s = setup();
    expect((await s.f(s.authorizeUrl())).status).toBe(200);
    expect((await s.f(s.authorizeUrl({}, "/oauth"))).status).toBe(200);
    expect((await s.f("/v5/oauth/token", formPost({}))).status).toBe(401);
    expect((await s.f("/v5/oauth/token/revoke", formPost({}))).status).toBe(401);
    expect((await s.f("/v5/user_account")).status).toBe(401);
  });
});

describe("checklist 2: dialog refusals; approve → code and state; cancel → access_denied", () => {
  it.each([
    ["an unknown client_id", { client_id: "999" }],
    ["a redirect_uri that is not identical", { redirect_uri: `${REDIRECT}/` }],
    ["response_type other than code", { response_type: "token" }],
    ["an unknown comma-separated scope", { scope: "boards:read,pins:everything" }],
  ])("refuses %s with an error page", async (_label, o) => {
    const s = setup();
    const res = await s.f(s.authorizeUrl(o));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("approves with code and state, and cancels with access_denied", async () => {
    const s = setup();
    const html = await (await s.f(s.authorizeUrl())).text();
    expect(consentForm(html).scopeBoxes).toEqual([]);
    expect(html).toContain("Łukasz Żółć (@lukaszzolcstudio, business)");
    expect([...locationOf(await submitConsent(s.f, html, { persona: "zoe" })).searchParams.keys()]).toEqual(["code", "state"]);
    expect((await submitConsent(s.f, html, { persona: "zoe", cancel: true })).headers.get("location")).toBe(`${REDIRECT}?error=access_denied&state=st4te`);
  });
});

describe("checklist 3: the token endpoint takes HTTP Basic only", () => {
  it("body credentials → 401 code 2", async () => {
    const s = setup();
    const code = codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    const res = await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: ID, client_secret: SECRET }, {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 2, message: "Authentication failed." });
    expect((await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT })).status).toBe(200);
  });

  it("a used code → 400 code 283", async () => {
    const s = setup();
    const code = codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    const again = await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ code: 283, message: "The authorization grant is invalid" });
  });
});

describe("checklist 4: token JSON of §2", () => {
  it("pina_/pinr prefixes, response_type, bearer, 30 d / 60 d, refresh_token_expires_at, space-separated scope", async () => {
    const tok = await setup().link();
    expect(Object.keys(tok)).toEqual(["access_token", "refresh_token", "response_type", "token_type", "expires_in", "refresh_token_expires_in", "refresh_token_expires_at", "scope"]);
    expect(tok).toMatchObject({
      response_type: "authorization_code",
      token_type: "bearer",
      expires_in: 2_592_000,
      refresh_token_expires_in: 5_184_000,
      refresh_token_expires_at: Math.floor((T0 + 60 * DAY) / 1000),
      scope: "boards:read pins:read user_accounts:read",
    });
    expect(tok.access_token).toMatch(/^pina_/);
    expect(tok.refresh_token).toMatch(/^pinr/);
  });

  it("lists every scope granted to the app, now or earlier", async () => {
    const s = setup();
    await s.link("zoe", "pins:write,boards:read");
    const later = await s.link("zoe", "user_accounts:read");
    expect(later.scope.split(" ").sort()).toEqual(["boards:read", "pins:write", "user_accounts:read"]);
  });
});

describe("checklist 5: refresh renews the refresh token with a fresh 60 days; the old one is refused", () => {
  it("rotates, refuses the spent token, records every attempt", async () => {
    const s = setup();
    const first = await s.link();
    s.sandbox.control.advanceClock(50 * DAY);
    const res = await s.refresh(first.refresh_token);
    const second = await jsonOf<TokenJson>(res);
    expect(second).toMatchObject({ response_type: "refresh_token", refresh_token_expires_in: 5_184_000, refresh_token_expires_at: Math.floor((T0 + 110 * DAY) / 1000) });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await s.refresh(first.refresh_token)).status).toBe(400);
    s.sandbox.control.advanceClock(59 * DAY);
    expect((await s.refresh(second.refresh_token)).status).toBe(200);
    expect(s.sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["ok", "reused", "ok"]);
  });

  it("a refresh token unused for 60 days expires", async () => {
    const s = setup();
    const tok = await s.link();
    s.sandbox.control.advanceClock(60 * DAY);
    expect((await s.refresh(tok.refresh_token)).status).toBe(400);
    expect(s.sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["expired"]);
  });
});

describe("checklist 6: revoking a user token → 403 code 29, and the token keeps working", () => {
  it("refuses and leaves the token alive", async () => {
    const s = setup();
    const tok = await s.link();
    const res = await s.f("/v5/oauth/token/revoke", formPost({ token: tok.access_token, token_type_hint: "access_token" }, BASIC));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 29, message: "You are not permitted to access that resource." });
    expect((await s.account(tok.access_token)).status).toBe(200);
  });
});

describe("checklist 7: /v5/user_account", () => {
  it("needs user_accounts:read", async () => {
    const s = setup();
    const tok = await s.link("zoe", "boards:read");
    expect((await s.account(tok.access_token)).status).toBe(403);
  });

  it("answers a numeric-string id, the account type and counts; business_name only for business accounts", async () => {
    const s = setup();
    const pinner = await jsonOf<Record<string, unknown>>(await s.account((await s.link("zoe")).access_token));
    expect(pinner).toMatchObject({ account_type: "PINNER", id: "549755885175", username: "zoeangstrom", pin_count: 1_204, follower_count: 312, following_count: 180, board_count: 9 });
    expect(pinner).not.toHaveProperty("business_name");
    const business = await jsonOf<Record<string, unknown>>(await s.account((await s.link("lukasz")).access_token));
    expect(business).toMatchObject({ account_type: "BUSINESS", business_name: "Łukasz Żółć Studio" });
    expect(typeof business.id).toBe("string");
  });
});

describe("checklist 8: 401 code 2, 403 code 403 / 29, 429 code 8", () => {
  it("answers each body", async () => {
    const s = setup();
    expect(await jsonOf(await s.account("pina_unknown"))).toEqual({ code: 2, message: "Authentication failed." });
    const narrow = await s.link("zoe", "pins:read");
    expect(await jsonOf(await s.account(narrow.access_token))).toEqual({ code: 403, message: "Not authorized to access the user account." });
    const tok = await s.link();
    s.sandbox.control.injectFault({ kind: "rate_limited", target: "api" });
    const limited = await s.account(tok.access_token);
    expect(limited.status).toBe(429);
    expect(await jsonOf(limited)).toMatchObject({ code: 8 });
    s.sandbox.control.advanceClock(30 * DAY);
    expect((await s.account(tok.access_token)).status).toBe(401);
  });
});

describe("checklist 9: a business account with a ~200-character Unicode business_name and large counts", () => {
  it("seeds it", async () => {
    const s = setup();
    const acct = await jsonOf<{ business_name: string; follower_count: number; monthly_views: number }>(await s.account((await s.link("ana")).access_token));
    expect([...acct.business_name].length).toBeGreaterThanOrEqual(190);
    expect(acct.follower_count).toBeGreaterThan(2 ** 31);
    expect(acct.monthly_views).toBeGreaterThan(2 ** 32);
  });
});
