import { createPublicKey, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { basicAuth, codeFrom, consentForm, formPost, inProcessFetch, jsonOf, locationOf, pkcePair, submitConsent, withQuery } from "../../../tests/helpers/oauth-sandbox";
import { atHash } from "../oauth2/jwt";
import { createYouTubeSandbox, DEFAULT_GOOGLE_CLIENT, type YouTubeSandboxOptions } from "./index";

// The YouTube / Google emulator checklist (reference platforms/youtube.md), item by item, in-process.

const BASE = "http://sandbox.test";
const { clientId: ID, clientSecret: SECRET } = DEFAULT_GOOGLE_CLIENT;
const REDIRECT = DEFAULT_GOOGLE_CLIENT.redirectUris[0]!;
const G = "https://www.googleapis.com/auth/";
const READONLY = `${G}youtube.readonly`;
const SCOPE = `openid email profile ${READONLY}`;
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const DAY = 24 * 3600_000;

type TokenJson = { access_token: string; expires_in: number; refresh_token?: string; refresh_token_expires_in?: number; scope: string; token_type: string; id_token?: string };

function setup(options: YouTubeSandboxOptions = {}) {
  const sandbox = createYouTubeSandbox({ now: () => T0, ...options });
  const f = inProcessFetch(sandbox, BASE);
  const authorizeUrl = (o: Record<string, string | undefined> = {}) =>
    withQuery(`${BASE}/o/oauth2/v2/auth`, { client_id: ID, redirect_uri: REDIRECT, response_type: "code", scope: SCOPE, access_type: "offline", prompt: "consent", state: "st4te", ...o });
  const token = (body: Record<string, string | undefined>, headers: Record<string, string> = {}) =>
    f("/token", formPost({ client_id: ID, client_secret: SECRET, ...body }, headers));
  async function link(persona = "zoe", extra: Record<string, string | undefined> = {}) {
    const res = await f(authorizeUrl({ sandbox_persona: persona, ...extra }));
    const tok = await token({ grant_type: "authorization_code", code: codeFrom(res), redirect_uri: REDIRECT });
    expect(tok.status).toBe(200);
    return jsonOf<TokenJson>(tok);
  }
  const channels = (accessToken: string | null, query = "part=snippet,statistics&mine=true") =>
    f(`/youtube/v3/channels?${query}`, accessToken ? { headers: { authorization: `Bearer ${accessToken}` } } : {});
  const refresh = (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken });
  return { sandbox, f, authorizeUrl, token, link, channels, refresh };
}

function claimsOf(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
}

describe("checklist 1: accounts, token and API paths", () => {
  it("serves every path", async () => {
    const s = setup();
    expect((await s.f(s.authorizeUrl())).status).toBe(200);
    const discovery = await jsonOf<Record<string, string>>(await s.f("/.well-known/openid-configuration"));
    expect(discovery).toMatchObject({ issuer: BASE, token_endpoint: `${BASE}/token`, revocation_endpoint: `${BASE}/revoke`, jwks_uri: `${BASE}/oauth2/v3/certs` });
    expect((await s.f("/token", formPost({}))).status).toBe(400);
    expect((await s.f("/revoke", formPost({ token: "nope" }))).status).toBe(400);
    expect((await s.f("/tokeninfo?access_token=nope")).status).toBe(400);
    expect((await s.channels(null)).status).toBe(401);
    expect((await jsonOf<{ keys: unknown[] }>(await s.f("/oauth2/v3/certs"))).keys).toHaveLength(1);
    expect((await s.f("/oauth2/v3/userinfo")).status).toBe(401);
  });
});

describe("checklist 2: dialog refusals, approve, cancel, per-scope decline", () => {
  it.each([
    ["an unknown client", { client_id: "nope.apps.googleusercontent.com" }],
    ["a redirect_uri with a trailing slash", { redirect_uri: `${REDIRECT}/` }],
    ["response_type=token", { response_type: "token" }],
    ["an unknown scope", { scope: `openid ${G}drive` }],
  ])("refuses %s with an error page", async (_label, o) => {
    const s = setup();
    const res = await s.f(s.authorizeUrl(o));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("approve → state, code, scope; only non-sign-in scopes can be unticked", async () => {
    const s = setup();
    const html = await (await s.f(s.authorizeUrl({ scope: `${SCOPE} ${G}youtube.upload` }))).text();
    expect(consentForm(html).scopeBoxes).toEqual([READONLY, `${G}youtube.upload`]);
    const res = await submitConsent(s.f, html, { persona: "zoe", granted: [READONLY] });
    const q = locationOf(res).searchParams;
    expect(q.get("state")).toBe("st4te");
    expect(q.get("scope")).toBe(`openid ${G}userinfo.email ${G}userinfo.profile ${READONLY}`);
    expect(q.get("code")).toMatch(/^4\/0A/);
  });

  it("cancel → error=access_denied and the state", async () => {
    const s = setup();
    const res = await submitConsent(s.f, await (await s.f(s.authorizeUrl())).text(), { persona: "zoe", cancel: true });
    expect(res.headers.get("location")).toBe(`${REDIRECT}?error=access_denied&state=st4te`);
  });
});

describe("checklist 3: email/profile normalised; include_granted_scopes adds earlier grants", () => {
  it("grants the URLs and keeps earlier scopes only when asked", async () => {
    const s = setup();
    const first = await s.link("zoe", { scope: `email ${READONLY}` });
    expect(first.scope).toBe(`${G}userinfo.email ${READONLY}`);
    const without = await s.link("zoe", { scope: "openid profile" });
    expect(without.scope).toBe(`openid ${G}userinfo.profile`);
    const incremental = await s.link("zoe", { scope: "openid profile", include_granted_scopes: "true" });
    expect(incremental.scope.split(" ").sort()).toEqual(["openid", `${G}userinfo.email`, `${G}userinfo.profile`, READONLY].sort());
  });
});

describe("checklist 4: PKCE optional (S256, plain), verified when sent", () => {
  it.each([
    ["S256", (p: ReturnType<typeof pkcePair>) => p.challenge],
    ["plain", (p: ReturnType<typeof pkcePair>) => p.verifier],
  ] as const)("verifies %s", async (method, challengeOf) => {
    const s = setup();
    const pair = pkcePair();
    const code = codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe", code_challenge: challengeOf(pair), code_challenge_method: method })));
    const wrong = await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: "x".repeat(43) });
    expect(await jsonOf(wrong)).toEqual({ error: "invalid_grant", error_description: "Invalid code verifier." });
    expect((await s.token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: pair.verifier })).status).toBe(200);
  });
});

describe("checklist 5: client auth in the body or with Basic; the errors of §2", () => {
  it("accepts both and answers each documented error", async () => {
    const s = setup();
    const code = async () => codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    const viaBasic = await s.f("/token", formPost({ grant_type: "authorization_code", code: await code(), redirect_uri: REDIRECT }, { authorization: basicAuth(ID, SECRET) }));
    expect(viaBasic.status).toBe(200);
    const used = await code();
    await s.token({ grant_type: "authorization_code", code: used, redirect_uri: REDIRECT });
    expect(await jsonOf(await s.token({ grant_type: "authorization_code", code: used, redirect_uri: REDIRECT }))).toEqual({ error: "invalid_grant", error_description: "Bad Request" });
    expect(await jsonOf(await s.token({ grant_type: "authorization_code", code: "4/0Anope", redirect_uri: REDIRECT }))).toEqual({ error: "invalid_grant", error_description: "Malformed auth code." });
    expect(await jsonOf(await s.token({ grant_type: "authorization_code", code: await code(), redirect_uri: `${REDIRECT}x` }))).toEqual({ error: "redirect_uri_mismatch", error_description: "Bad Request" });
    const wrongSecret = await s.token({ grant_type: "authorization_code", code: await code(), redirect_uri: REDIRECT, client_secret: "nope" });
    expect(wrongSecret.status).toBe(401);
    expect(await jsonOf(wrongSecret)).toEqual({ error: "invalid_client", error_description: "Unauthorized" });
    const unknown = await s.token({ grant_type: "authorization_code", code: await code(), client_id: "nope" });
    expect(await jsonOf(unknown)).toEqual({ error: "invalid_client", error_description: "The OAuth client was not found." });
  });
});

describe("checklist 6: refresh tokens — offline + first consent or prompt=consent; 100 per account; Testing = 7 days", () => {
  it("issues one only with access_type=offline and on first consent or prompt=consent", async () => {
    const s = setup();
    expect((await s.link("zoe", { access_type: undefined, prompt: undefined })).refresh_token).toBeUndefined();
    expect((await s.link("li", { prompt: undefined })).refresh_token).toMatch(/^1\/\/0/); // first consent for li
    expect((await s.link("li", { prompt: undefined })).refresh_token).toBeUndefined(); // consent remembered
    expect((await s.link("li", { prompt: "consent" })).refresh_token).toMatch(/^1\/\/0/);
  });

  it("keeps at most 100 live refresh tokens per account and client: the oldest stops working", async () => {
    const s = setup();
    const first = await s.link("zoe");
    for (let i = 0; i < 100; i++) await s.link("zoe");
    expect((await s.refresh(first.refresh_token!)).status).toBe(400);
    const live = s.sandbox.control.grants({ persona: "zoe" }).flatMap((g) => g.tokens).filter((t) => t.kind === "refresh" && !t.revokedAt);
    expect(live).toHaveLength(100);
  });

  it("a Testing client gets 7-day refresh tokens with refresh_token_expires_in", async () => {
    const s = setup({ clients: [{ ...DEFAULT_GOOGLE_CLIENT, testing: true }] });
    const tok = await s.link("zoe");
    expect(tok.refresh_token_expires_in).toBe(7 * 24 * 3600);
    s.sandbox.control.advanceClock(7 * DAY);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(400);
  });
});

describe("checklist 7: the id_token", () => {
  it("is RS256, verifiable against the JWKS, with iss, aud, sub, email, nonce and at_hash", async () => {
    const s = setup();
    const tok = await s.link("zoe", { nonce: "n0nce-123" });
    const [h, p, sig] = tok.id_token!.split(".") as [string, string, string];
    const { kid, alg } = JSON.parse(Buffer.from(h, "base64url").toString()) as { kid: string; alg: string };
    const { keys } = await jsonOf<{ keys: (Record<string, string> & { kid: string })[] }>(await s.f("/oauth2/v3/certs"));
    expect(alg).toBe("RS256");
    expect(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey({ key: keys.find((k) => k.kid === kid)!, format: "jwk" }), Buffer.from(sig, "base64url"))).toBe(true);
    const { issuer } = await jsonOf<{ issuer: string }>(await s.f("/.well-known/openid-configuration"));
    expect(claimsOf(tok.id_token!)).toMatchObject({
      iss: issuer,
      aud: ID,
      azp: ID,
      sub: "108234567890123456789",
      email: "zoe.angstrom@example.org",
      email_verified: true,
      nonce: "n0nce-123",
      at_hash: atHash(tok.access_token),
      name: "Zoë Ångström",
    });
  });
});

describe("checklist 8: refresh does not rotate", () => {
  it("answers a new access token and no refresh_token; the same refresh token works again; refused after revocation", async () => {
    const s = setup();
    const tok = await s.link();
    const res = await s.refresh(tok.refresh_token!);
    const body = await jsonOf<TokenJson>(res);
    expect(res.status).toBe(200);
    expect(body).not.toHaveProperty("refresh_token");
    expect(body).toMatchObject({ expires_in: 3599, token_type: "Bearer" });
    expect((await s.refresh(tok.refresh_token!)).status).toBe(200);
    s.sandbox.control.revoke({ persona: "zoe" });
    const refused = await s.refresh(tok.refresh_token!);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: "invalid_grant", error_description: "Token has been expired or revoked." });
  });

  it("a refresh token unused for six months expires; using it restarts the window", async () => {
    const s = setup();
    const tok = await s.link();
    s.sandbox.control.advanceClock(150 * DAY);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(200);
    s.sandbox.control.advanceClock(150 * DAY);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(200);
    s.sandbox.control.advanceClock(183 * DAY);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(400);
  });
});

describe("checklist 9: revoke by query or body ends the grant; a second revoke → invalid_token", () => {
  it.each(["query", "body"] as const)("revokes through the %s", async (where) => {
    const s = setup();
    const tok = await s.link();
    const revoke = () =>
      where === "query" ? s.f(`/revoke?token=${encodeURIComponent(tok.access_token)}`, formPost({})) : s.f("/revoke", formPost({ token: tok.access_token }));
    expect((await revoke()).status).toBe(200);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(400);
    const again = await revoke();
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: "invalid_token", error_description: "Token expired or revoked" });
  });
});

describe("checklist 10: channels.list", () => {
  it("needs part and a filter; refuses without a channel scope", async () => {
    const s = setup();
    const tok = await s.link();
    expect(await jsonOf(await s.channels(tok.access_token, "mine=true"))).toMatchObject({ error: { code: 400, errors: [{ reason: "required" }] } });
    expect(await jsonOf(await s.channels(tok.access_token, "part=snippet"))).toMatchObject({ error: { errors: [{ reason: "missingRequiredParameter" }] } });
    const narrow = await s.link("li", { scope: "openid email" });
    const denied = await s.channels(narrow.access_token);
    expect(denied.status).toBe(403);
  });

  it("answers string counts, a rounded subscriber count, the handle and thumbnails", async () => {
    const s = setup();
    const tok = await s.link("ana");
    const body = await jsonOf<{ pageInfo: { totalResults: number }; items: { id: string; snippet: { title: string; customUrl: string }; statistics: Record<string, unknown> }[] }>(await s.channels(tok.access_token));
    expect(body.pageInfo.totalResults).toBe(1);
    expect(body.items[0]!.id).toBe("UC_x5XG1OV2P6uZZ5FSM9Ttw");
    expect(body.items[0]!.snippet.customUrl).toBe("@anasolo");
    expect([...body.items[0]!.snippet.title].length).toBeGreaterThanOrEqual(190);
    expect(body.items[0]!.statistics).toEqual({ viewCount: "9876543210123", subscriberCount: "187000000", hiddenSubscriberCount: false, videoCount: "12877" });
    expect(Number(body.items[0]!.statistics.viewCount)).toBeGreaterThan(2 ** 32);
    const zoe = await jsonOf<{ items: { statistics: Record<string, unknown> }[] }>(await s.channels((await s.link("zoe")).access_token));
    expect(zoe.items[0]!.statistics.subscriberCount).toBe("312");
    const lukasz = await jsonOf<{ items: { statistics: Record<string, unknown> }[] }>(await s.channels((await s.link("lukasz")).access_token));
    expect(lukasz.items[0]!.statistics).toMatchObject({ hiddenSubscriberCount: true });
    expect(lukasz.items[0]!.statistics).not.toHaveProperty("subscriberCount");
  });

  it("an account without a channel: totalResults 0 and no items key", async () => {
    const s = setup();
    const body = await jsonOf(await s.channels((await s.link("ingrid")).access_token));
    expect(body).toMatchObject({ kind: "youtube#channelListResponse", pageInfo: { totalResults: 0, resultsPerPage: 5 } });
    expect(body).not.toHaveProperty("items");
  });
});

describe("checklist 11: 401 with WWW-Authenticate, 403 insufficientPermissions / quotaExceeded, 403/429 rateLimitExceeded, 503 backendError", () => {
  it("answers each", async () => {
    const s = setup({ dailyQuota: 2 });
    const bad = await s.channels("ya29.nope");
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toBe('Bearer realm="https://accounts.google.com/", error="invalid_token"');
    expect(await jsonOf(bad)).toMatchObject({ error: { code: 401, status: "UNAUTHENTICATED", errors: [{ reason: "authError", domain: "global" }] } });
    const narrow = await s.link("li", { scope: "openid email" });
    expect(await jsonOf(await s.channels(narrow.access_token))).toMatchObject({
      error: { code: 403, status: "PERMISSION_DENIED", errors: [{ reason: "insufficientPermissions" }], details: [{ reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT" }] },
    });
    const tok = await s.link("zoe");
    s.sandbox.control.injectFault({ kind: "rate_limited", target: "api" });
    expect(await jsonOf(await s.channels(tok.access_token))).toMatchObject({ error: { code: 429, status: "RESOURCE_EXHAUSTED", errors: [{ reason: "rateLimitExceeded" }] } });
    s.sandbox.control.injectFault({ kind: "server_error", target: "api" });
    const down = await s.channels(tok.access_token);
    expect(down.status).toBe(503);
    expect(await jsonOf(down)).toMatchObject({ error: { errors: [{ reason: "backendError" }] } });
    expect((await s.channels(tok.access_token)).status).toBe(200); // second unit of 2 (the refused call cost one too)
    const over = await s.channels(tok.access_token);
    expect(over.status).toBe(403);
    expect(await jsonOf(over)).toMatchObject({ error: { errors: [{ reason: "quotaExceeded", domain: "youtube.quota" }] } });
    s.sandbox.control.advanceClock(DAY);
    expect((await s.channels((await s.link("zoe")).access_token)).status).toBe(200); // a new day, a new quota

    const strict = setup({ rateLimitStatus: 403 });
    const t2 = await strict.link("zoe");
    strict.sandbox.control.injectFault({ kind: "rate_limited", target: "api" });
    expect((await strict.channels(t2.access_token)).status).toBe(403);
  });
});

describe("checklist 12: a ~200-character Unicode title with > 2^32 views, and an account without a channel", () => {
  it("seeds both", async () => {
    const s = setup();
    const { data } = await jsonOf<{ data: { id: string; name: string; externalId: string; handle: string | null }[] }>(await s.f("/_control/personas"));
    expect(data.find((p) => p.id === "ana")!.name.length).toBeGreaterThan(190);
    expect(data.find((p) => p.id === "ingrid")).toMatchObject({ name: "Ingrid Øverås", handle: null, externalId: "112233445566778899001" });
  });
});
