import { describe, expect, it } from "vitest";
import { basicAuth, codeFrom, consentForm, formPost, inProcessFetch, jsonOf, locationOf, pkcePair, submitConsent, withQuery } from "../../../tests/helpers/oauth-sandbox";
import { createXSandbox, DEFAULT_X_CLIENT, type XSandboxOptions } from "./index";

// The X emulator checklist (reference platforms/x.md), item by item, in-process.

const BASE = "http://sandbox.test";
const { clientId: ID, clientSecret: SECRET, redirectUris } = DEFAULT_X_CLIENT;
const REDIRECT = redirectUris[0]!;
const SCOPE = "tweet.read users.read offline.access";
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

function setup(options: XSandboxOptions = {}) {
  const sandbox = createXSandbox({ now: () => T0, ...options });
  const f = inProcessFetch(sandbox, BASE);
  const authorizeUrl = (o: Record<string, string | undefined> = {}) =>
    withQuery(`${BASE}/i/oauth2/authorize`, { response_type: "code", client_id: ID, redirect_uri: REDIRECT, scope: SCOPE, state: "st4te", code_challenge_method: "S256", ...o });
  const token = (body: Record<string, string | undefined>, auth: string | null = basicAuth(ID, SECRET)) =>
    f("/2/oauth2/token", formPost(body, auth ? { authorization: auth } : {}));
  /** Quick-connect as a persona and exchange the code: the token JSON. */
  async function link(persona = "zoe", scope = SCOPE) {
    const { verifier, challenge } = pkcePair();
    const res = await f(authorizeUrl({ scope, code_challenge: challenge, sandbox_persona: persona }));
    const tok = await token({ grant_type: "authorization_code", code: codeFrom(res), redirect_uri: REDIRECT, code_verifier: verifier });
    expect(tok.status).toBe(200);
    return jsonOf<{ access_token: string; refresh_token?: string; scope: string; expires_in: number; token_type: string }>(tok);
  }
  const me = (accessToken: string, query = "") => f(`/2/users/me${query}`, { headers: { authorization: `Bearer ${accessToken}` } });
  const refresh = (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken });
  return { sandbox, f, authorizeUrl, token, link, me, refresh };
}

describe("checklist 1: authorize on the web base; token, revoke and /2/users/me on the API base", () => {
  it("serves every path", async () => {
    const { f, authorizeUrl } = setup();
    const page = await f(authorizeUrl({ code_challenge: pkcePair().challenge }));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect((await f("/2/oauth2/token", formPost({ grant_type: "refresh_token" }))).status).toBe(401);
    expect((await f("/2/oauth2/revoke", formPost({ token: "x" }))).status).toBe(401);
    expect((await f("/2/users/me")).status).toBe(401);
  });
});

describe("checklist 2: refusals show an error page and never redirect", () => {
  const challenge = pkcePair().challenge;
  it.each([
    ["an unknown client_id", { client_id: "nope" }],
    ["a redirect_uri with a trailing slash", { redirect_uri: `${REDIRECT}/` }],
    ["a redirect_uri in another case", { redirect_uri: REDIRECT.replace("localhost", "LOCALHOST") }],
    ["response_type=token", { response_type: "token" }],
    ["a missing state", { state: undefined }],
    ["a state over 500 characters", { state: "s".repeat(501) }],
    ["an unknown scope", { scope: "tweet.read users.read timeline.everything" }],
    ["comma-separated scopes", { scope: "tweet.read,users.read" }],
    ["a missing code_challenge", { code_challenge: "" }],
  ])("refuses %s", async (_label, o) => {
    const { f, authorizeUrl } = setup();
    const res = await f(authorizeUrl({ code_challenge: challenge, ...o }));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("did not redirect back to the app");
  });
});

describe("checklist 3: S256 accepted; plain only behind a switch", () => {
  it("refuses plain by default and accepts it for a client with allowPlainPkce", async () => {
    const { f, authorizeUrl } = setup();
    expect((await f(authorizeUrl({ code_challenge: "plain-verifier-1234567890123456789012345678", code_challenge_method: "plain" }))).status).toBe(400);

    const plain = setup({ clients: [{ ...DEFAULT_X_CLIENT, allowPlainPkce: true }] });
    const verifier = "plain-verifier-1234567890123456789012345678";
    const res = await plain.f(plain.authorizeUrl({ code_challenge: verifier, code_challenge_method: "plain", sandbox_persona: "zoe" }));
    const tok = await plain.token({ grant_type: "authorization_code", code: codeFrom(res), redirect_uri: REDIRECT, code_verifier: verifier });
    expect(tok.status).toBe(200);
  });
});

describe("checklist 4: approve → code and state; cancel → access_denied", () => {
  it("shows personas and all-or-nothing scopes, then redirects with code and state", async () => {
    const { f, authorizeUrl } = setup();
    const html = await (await f(authorizeUrl({ code_challenge: pkcePair().challenge }))).text();
    expect(html).toContain("<legend>Continue as</legend>");
    expect(html).toContain("Zoë Ångström (@zoe_angstrom)");
    expect(consentForm(html).personas).toEqual(["zoe", "lukasz", "li", "ana"]);
    expect(consentForm(html).scopeBoxes).toEqual([]);
    expect(html).toContain(">Continue</button>");
    expect(html).toContain(">Cancel</button>");
    const res = await submitConsent(f, html, { persona: "li" });
    expect(res.status).toBe(302);
    const loc = locationOf(res);
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    expect([...loc.searchParams.keys()]).toEqual(["code", "state"]);
    expect(loc.searchParams.get("state")).toBe("st4te");
  });

  it("cancel redirects with error=access_denied and the state, no code", async () => {
    const { f, authorizeUrl } = setup();
    const html = await (await f(authorizeUrl({ code_challenge: pkcePair().challenge }))).text();
    const res = await submitConsent(f, html, { persona: "zoe", cancel: true });
    expect(res.headers.get("location")).toBe(`${REDIRECT}?error=access_denied&state=st4te`);
  });
});

describe("checklist 5: codes are single use, live 30 s on the virtual clock, bound to redirect_uri and PKCE", () => {
  async function code(s: ReturnType<typeof setup>) {
    const pair = pkcePair();
    const res = await s.f(s.authorizeUrl({ code_challenge: pair.challenge, sandbox_persona: "zoe" }));
    return { code: codeFrom(res), verifier: pair.verifier };
  }
  const invalid = { error: "invalid_request", error_description: "Value passed for the authorization code was invalid." };

  it("refuses a second use", async () => {
    const s = setup();
    const c = await code(s);
    const body = { grant_type: "authorization_code", code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier };
    expect((await s.token(body)).status).toBe(200);
    const again = await s.token(body);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual(invalid);
  });

  it("refuses after 30 virtual seconds", async () => {
    const s = setup();
    const c = await code(s);
    s.sandbox.control.advanceClock(30_001);
    const res = await s.token({ grant_type: "authorization_code", code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier });
    expect(await res.json()).toEqual(invalid);
  });

  it("refuses another redirect_uri or verifier, then still accepts the right ones", async () => {
    const s = setup();
    const c = await code(s);
    const wrongUri = await s.token({ grant_type: "authorization_code", code: c.code, redirect_uri: `${REDIRECT}?x=1`, code_verifier: c.verifier });
    expect(await wrongUri.json()).toEqual(invalid);
    const wrongVerifier = await s.token({ grant_type: "authorization_code", code: c.code, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier });
    expect(await wrongVerifier.json()).toEqual(invalid);
    const noVerifier = await s.token({ grant_type: "authorization_code", code: c.code, redirect_uri: REDIRECT });
    expect(noVerifier.status).toBe(400);
    expect((await s.token({ grant_type: "authorization_code", code: c.code, redirect_uri: REDIRECT, code_verifier: c.verifier })).status).toBe(200);
  });
});

describe("checklist 6: the confidential client authenticates with HTTP Basic only", () => {
  const unauthorized = { error: "unauthorized_client", error_description: "Missing valid authorization header" };

  it("answers 401 unauthorized_client without Basic, with body credentials, or with a wrong secret", async () => {
    const s = setup();
    for (const [body, auth] of [
      [{ grant_type: "refresh_token", refresh_token: "x" }, null],
      [{ grant_type: "refresh_token", refresh_token: "x", client_id: ID, client_secret: SECRET }, null],
      [{ grant_type: "refresh_token", refresh_token: "x" }, basicAuth(ID, "wrong")],
    ] as const) {
      const res = await s.token(body, auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual(unauthorized);
    }
  });

  it("form-urlencodes id and secret inside Basic (RFC 6749 §2.3.1)", async () => {
    const odd = { ...DEFAULT_X_CLIENT, clientId: "id:with+odd/chars", clientSecret: "s3cr3t with:colon+plus%" };
    const s = setup({ clients: [odd] });
    const res = await s.token({ grant_type: "refresh_token", refresh_token: "unknown" }, basicAuth(odd.clientId, odd.clientSecret));
    expect(res.status).toBe(400); // authenticated; the refresh token is what is wrong
  });
});

describe("checklist 7: token JSON exactly as §2", () => {
  it("bearer, 7200 s, space-separated scope, refresh_token last and only with offline.access", async () => {
    const s = setup();
    const tok = await s.link("zoe");
    expect(Object.keys(tok)).toEqual(["token_type", "expires_in", "access_token", "scope", "refresh_token"]);
    expect(tok).toMatchObject({ token_type: "bearer", expires_in: 7200, scope: "tweet.read users.read offline.access" });
    expect(tok.access_token).toMatch(/^[A-Za-z0-9_-]{80,100}$/);
    const online = await s.link("zoe", "tweet.read users.read");
    expect(online.refresh_token).toBeUndefined();
    expect(online.scope).toBe("tweet.read users.read");
  });
});

describe("checklist 8: refresh rotates; a spent refresh token is refused and every attempt is recorded", () => {
  it("returns a new pair; the old refresh token answers invalid_request; the old access token lives on", async () => {
    const s = setup({ refreshReuseRevokesGrant: false });
    const first = await s.link();
    const res = await s.refresh(first.refresh_token!);
    const second = await jsonOf<{ access_token: string; refresh_token: string }>(res);
    expect(res.status).toBe(200);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const reused = await s.refresh(first.refresh_token!);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toEqual({ error: "invalid_request", error_description: "Value passed for the token was invalid." });
    expect((await s.me(first.access_token)).status).toBe(200);
    expect((await s.refresh(second.refresh_token)).status).toBe(200); // switch off: the newer token survives
    expect(s.sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["ok", "reused", "ok"]);
  });

  it("by default a reused refresh token kills the grant, newest tokens included", async () => {
    const s = setup();
    const first = await s.link();
    const second = await jsonOf<{ access_token: string; refresh_token: string }>(await s.refresh(first.refresh_token!));
    expect((await s.refresh(first.refresh_token!)).status).toBe(400);
    expect((await s.refresh(second.refresh_token)).status).toBe(400);
    expect((await s.me(second.access_token)).status).toBe(401);
    expect(s.sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["ok", "reused", "revoked"]);
    expect(s.sandbox.control.grants()[0]).toMatchObject({ revokedReason: "refresh_reuse" });
  });

  it("records expired and unknown refresh tokens", async () => {
    const s = setup();
    const tok = await s.link();
    s.sandbox.control.advanceClock(181 * 24 * 3600_000);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(400);
    expect((await s.refresh("bm90LWEtdG9rZW4")).status).toBe(400);
    expect(s.sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["expired", "unknown"]);
  });
});

describe("checklist 9: revoke answers {revoked:true}; a revoked refresh token ends its grant", () => {
  it("revoking the refresh token kills the access token too", async () => {
    const s = setup();
    const tok = await s.link();
    const res = await s.f("/2/oauth2/revoke", formPost({ token: tok.refresh_token, token_type_hint: "refresh_token" }, { authorization: basicAuth(ID, SECRET) }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ revoked: true });
    expect((await s.me(tok.access_token)).status).toBe(401);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(400);
  });

  it("revoking only the access token leaves the refresh token working", async () => {
    const s = setup();
    const tok = await s.link();
    await s.f("/2/oauth2/revoke", formPost({ token: tok.access_token }, { authorization: basicAuth(ID, SECRET) }));
    expect((await s.me(tok.access_token)).status).toBe(401);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(200);
  });
});

describe("checklist 10: /2/users/me", () => {
  it("needs tweet.read and users.read", async () => {
    const s = setup();
    const tok = await s.link("zoe", "users.read offline.access");
    const res = await s.me(tok.access_token);
    expect(res.status).toBe(403);
  });

  it("answers id, name, username by default, with a string 19-digit id", async () => {
    const s = setup();
    const tok = await s.link("zoe");
    const res = await s.me(tok.access_token);
    const text = await res.text();
    expect(text).toContain('"id":"1587293485723649024"');
    expect(JSON.parse(text)).toEqual({ data: { id: "1587293485723649024", name: "Zoë Ångström", username: "zoe_angstrom" } });
  });

  it("adds profile_image_url and public_metrics with tweet_count", async () => {
    const s = setup();
    const tok = await s.link("lukasz");
    const body = await jsonOf<{ data: Record<string, unknown> }>(await s.me(tok.access_token, "?user.fields=profile_image_url,public_metrics"));
    expect(body.data.profile_image_url).toBe(`${BASE}/_assets/avatar/lukasz_normal.svg`);
    expect(body.data.public_metrics).toEqual({ followers_count: 12_400_917, following_count: 1_863, tweet_count: 88_410, listed_count: 15_502, like_count: 391_044, media_count: 12_877 });
    const avatar = await s.f(String(body.data.profile_image_url).replace("_normal", "_400x400"));
    expect(avatar.headers.get("content-type")).toBe("image/svg+xml");
  });

  it("validates user.fields", async () => {
    const s = setup();
    const tok = await s.link("zoe");
    const res = await s.me(tok.access_token, "?user.fields=public_metrics,foo");
    expect(res.status).toBe(400);
    const body = await jsonOf<{ errors: { parameters: Record<string, string[]>; message: string }[]; title: string }>(res);
    expect(body.title).toBe("Invalid Request");
    expect(body.errors[0]!.parameters).toEqual({ "user.fields": ["foo"] });
    expect(body.errors[0]!.message).toMatch(/^The `user.fields` query parameter value \[foo\] is not one of \[/);
  });
});

describe("checklist 11: problem bodies and rate limits", () => {
  it("401 and 403 are application/problem+json", async () => {
    const s = setup();
    const unauthorized = await s.me("bm90LWEtdG9rZW4");
    expect(unauthorized.headers.get("content-type")).toContain("application/problem+json");
    expect(await unauthorized.json()).toEqual({ title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });
    const tok = await s.link("zoe", "users.read");
    const forbidden = await s.me(tok.access_token);
    expect(forbidden.headers.get("content-type")).toContain("application/problem+json");
    expect(await forbidden.json()).toEqual({ title: "Forbidden", type: "about:blank", status: 403, detail: "Forbidden" });
  });

  it("allows 75 calls per 15 minutes per user, with x-rate-limit-* headers on success and on 429", async () => {
    const s = setup();
    const tok = await s.link("zoe");
    const windowEnd = Math.ceil((s.sandbox.control.now() + 15 * 60_000) / 1000);
    for (let i = 1; i <= 75; i++) {
      const res = await s.me(tok.access_token);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-rate-limit-remaining")).toBe(String(75 - i));
    }
    const limited = await s.me(tok.access_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-rate-limit-limit")).toBe("75");
    expect(limited.headers.get("x-rate-limit-remaining")).toBe("0");
    expect(Number(limited.headers.get("x-rate-limit-reset"))).toBe(windowEnd);
    expect(await limited.json()).toEqual({ title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 });
    const other = await s.link("li");
    expect((await s.me(other.access_token)).status).toBe(200); // per user
    s.sandbox.control.advanceClock(15 * 60_000);
    expect((await s.me(tok.access_token)).status).toBe(200);
  });

  it("injected faults answer 503 and 429 problems", async () => {
    const s = setup();
    const tok = await s.link("zoe");
    s.sandbox.control.injectFault({ kind: "server_error", target: "api" });
    const down = await s.me(tok.access_token);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ title: "Service Unavailable", status: 503 });
    s.sandbox.control.injectFault({ kind: "rate_limited", target: "refresh" });
    const limited = await s.refresh(tok.refresh_token!);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-rate-limit-remaining")).toBe("0");
    expect((await s.refresh(tok.refresh_token!)).status).toBe(200); // the fault was for one call and spent nothing
  });
});

describe("checklist 12: the user removes the app", () => {
  it("every token of that user answers 401 and refresh 400", async () => {
    const s = setup();
    const a = await s.link("zoe");
    const b = await s.link("zoe");
    const other = await s.link("li");
    expect(s.sandbox.control.revoke({ persona: "zoe" })).toBe(2);
    for (const t of [a, b]) {
      expect((await s.me(t.access_token)).status).toBe(401);
      expect((await s.refresh(t.refresh_token!)).status).toBe(400);
    }
    expect((await s.me(other.access_token)).status).toBe(200);
  });
});

describe("checklist 13: personas with non-ASCII and ~200-character names, large counts, 19-digit ids", () => {
  it("lists them through the control API", async () => {
    const { f } = setup();
    const { data } = await jsonOf<{ data: { id: string; name: string; externalId: string; stats: { followers: number } }[] }>(await f("/_control/personas"));
    expect(data.map((p) => p.name)).toEqual(expect.arrayContaining(["Zoë Ångström", "Łukasz Żółć", "李小龙"]));
    expect(Math.max(...data.map((p) => [...p.name].length))).toBeGreaterThanOrEqual(190);
    expect(data.every((p) => /^\d{19}$/.test(p.externalId))).toBe(true);
    expect(data.some((p) => /\p{Extended_Pictographic}/u.test(p.name))).toBe(true);
    expect(Math.max(...data.map((p) => p.stats.followers))).toBeGreaterThan(100_000_000);
  });
});
