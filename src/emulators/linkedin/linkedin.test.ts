import { createPublicKey, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { basicAuth, codeFrom, consentForm, formPost, inProcessFetch, jsonOf, locationOf, submitConsent, withQuery } from "../../../tests/helpers/oauth-sandbox";
import type { ClientConfig, OAuth2SandboxOptions } from "../oauth2/types";
import { createLinkedInSandbox, DEFAULT_LINKEDIN_CLIENT } from "./index";

// The LinkedIn emulator checklist (reference platforms/linkedin.md), item by item, in-process.

const BASE = "http://sandbox.test";
const { clientId: ID, clientSecret: SECRET } = DEFAULT_LINKEDIN_CLIENT;
const REDIRECT = DEFAULT_LINKEDIN_CLIENT.redirectUris[0]!;
const SCOPE = "openid profile email w_member_social r_member_profileAnalytics";
const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

type TokenJson = { access_token: string; expires_in: number; scope: string; token_type: string; id_token?: string; refresh_token?: string; refresh_token_expires_in?: number };

function setup(options: OAuth2SandboxOptions = {}) {
  const sandbox = createLinkedInSandbox({ now: () => T0, ...options });
  const f = inProcessFetch(sandbox, BASE);
  const authorizeUrl = (o: Record<string, string | undefined> = {}) =>
    withQuery(`${BASE}/oauth/v2/authorization`, { response_type: "code", client_id: ID, redirect_uri: REDIRECT, state: "st4te", scope: SCOPE, ...o });
  const token = (body: Record<string, string | undefined>, headers: Record<string, string> = {}) =>
    f("/oauth/v2/accessToken", formPost({ client_id: ID, client_secret: SECRET, ...body }, headers));
  async function link(persona = "zoe", scope = SCOPE, extra: Record<string, string> = {}) {
    const res = await f(authorizeUrl({ scope, sandbox_persona: persona, ...extra }));
    const tok = await token({ grant_type: "authorization_code", code: codeFrom(res), redirect_uri: REDIRECT });
    expect(tok.status).toBe(200);
    return jsonOf<TokenJson>(tok);
  }
  const api = (path: string, accessToken: string, headers: Record<string, string> = {}) =>
    f(path, { headers: { authorization: `Bearer ${accessToken}`, ...headers } });
  const refresh = (refreshToken: string) => token({ grant_type: "refresh_token", refresh_token: refreshToken });
  return { sandbox, f, authorizeUrl, token, link, api, refresh };
}

const followers = (s: ReturnType<typeof setup>, t: string, version = currentVersion()) =>
  s.api("/rest/memberFollowersCount?q=me", t, { "LinkedIn-Version": version, "X-Restli-Protocol-Version": "2.0.0" });

function currentVersion(now = T0): string {
  const d = new Date(now);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

describe("checklist 1: web base serves the OAuth and OIDC paths; the API base serves userinfo and followers", () => {
  it("serves every path", async () => {
    const s = setup();
    expect((await s.f(s.authorizeUrl())).status).toBe(200);
    expect((await s.f("/oauth/v2/accessToken", formPost({}))).status).toBe(400);
    expect((await s.f("/oauth/v2/revoke", formPost({}))).status).toBe(400);
    expect((await s.f("/oauth/v2/introspectToken", formPost({}))).status).toBe(400);
    const discovery = await jsonOf<Record<string, string>>(await s.f("/oauth/.well-known/openid-configuration"));
    expect(discovery).toMatchObject({
      issuer: `${BASE}/oauth`,
      authorization_endpoint: `${BASE}/oauth/v2/authorization`,
      token_endpoint: `${BASE}/oauth/v2/accessToken`,
      userinfo_endpoint: `${BASE}/v2/userinfo`,
      jwks_uri: `${BASE}/oauth/openid/jwks`,
    });
    const jwks = await jsonOf<{ keys: { kty: string; alg: string }[] }>(await s.f("/oauth/openid/jwks"));
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect((await s.f("/v2/userinfo")).status).toBe(401);
    expect((await s.f("/rest/memberFollowersCount?q=me")).status).toBe(401);
  });
});

describe("checklist 2: dialog refusals; space- and comma-separated scopes", () => {
  it.each([
    ["an unknown client_id", { client_id: "nope" }],
    ["an unregistered redirect_uri", { redirect_uri: `${REDIRECT}/` }],
    ["response_type other than code", { response_type: "token" }],
  ])("refuses %s with an error page", async (_label, o) => {
    const s = setup();
    const res = await s.f(s.authorizeUrl(o));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
  });

  it("accepts comma-separated scopes as well as spaces", async () => {
    const s = setup();
    const tok = await s.link("zoe", "openid,profile,email");
    expect(tok.scope).toBe("email,openid,profile");
  });
});

describe("checklist 3: approve, cancel, unauthorized scopes; no per-scope decline", () => {
  it("the page lists scopes without checkboxes and approves with code and state", async () => {
    const s = setup();
    const html = await (await s.f(s.authorizeUrl())).text();
    expect(consentForm(html).scopeBoxes).toEqual([]);
    expect(html).toContain("Łukasz Żółć (lukasz.zolc@example.org)");
    const res = await submitConsent(s.f, html, { persona: "lukasz" });
    expect([...locationOf(res).searchParams.keys()]).toEqual(["code", "state"]);
  });

  it("cancel → user_cancelled_authorize with a description and the state", async () => {
    const s = setup();
    const res = await submitConsent(s.f, await (await s.f(s.authorizeUrl())).text(), { persona: "zoe", cancel: true });
    const q = locationOf(res).searchParams;
    expect(q.get("error")).toBe("user_cancelled_authorize");
    expect(q.get("error_description")).toBeTruthy();
    expect(q.get("state")).toBe("st4te");
  });

  it("an unknown or unprovisioned scope redirects with unauthorized_scope_error", async () => {
    const s = setup();
    for (const scope of ["openid r_fullprofile", "openid rw_organization_admin"]) {
      const res = await s.f(s.authorizeUrl({ scope }));
      expect(res.status).toBe(302);
      const q = locationOf(res).searchParams;
      expect(q.get("error")).toBe("unauthorized_scope_error");
      expect(q.get("error_description")).toMatch(/^Scope "(r_fullprofile|rw_organization_admin)" is not authorized for your application$/);
      expect(q.get("state")).toBe("st4te");
    }
  });
});

describe("checklist 4: codes are single use, live 30 minutes, bound to redirect_uri", () => {
  const refused = {
    error: "invalid_request",
    error_description:
      "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists",
  };
  it("refuses reuse, expiry and another redirect_uri with the same body", async () => {
    const s = setup();
    const code = async () => codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    const used = await code();
    expect((await s.token({ grant_type: "authorization_code", code: used, redirect_uri: REDIRECT })).status).toBe(200);
    expect(await (await s.token({ grant_type: "authorization_code", code: used, redirect_uri: REDIRECT })).json()).toEqual(refused);
    const other = await code();
    expect(await (await s.token({ grant_type: "authorization_code", code: other, redirect_uri: "http://localhost:3000/other" })).json()).toEqual(refused);
    const late = await code();
    s.sandbox.control.advanceClock(30 * 60_000 + 1);
    const res = await s.token({ grant_type: "authorization_code", code: late, redirect_uri: REDIRECT });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(refused);
  });
});

describe("checklist 5: client credentials in the form body only", () => {
  it("Basic alone → 400 client_secret is missing; a wrong secret → 401 invalid_client", async () => {
    const s = setup();
    const basicOnly = await s.f("/oauth/v2/accessToken", formPost({ grant_type: "refresh_token", refresh_token: "x" }, { authorization: basicAuth(ID, SECRET) }));
    expect(basicOnly.status).toBe(400);
    expect(await basicOnly.json()).toEqual({ error: "invalid_request", error_description: 'A required parameter "client_secret" is missing' });
    const wrong = await s.token({ grant_type: "refresh_token", refresh_token: "x", client_secret: "nope" });
    expect(wrong.status).toBe(401);
    expect(await jsonOf(wrong)).toMatchObject({ error: "invalid_client" });
  });
});

describe("checklist 6: token JSON of §2 and an RS256 id_token", () => {
  it("60-day Bearer token, comma-separated sorted scope, refresh only for approved apps", async () => {
    const s = setup();
    const tok = await s.link("zoe");
    expect(Object.keys(tok)).toEqual(["access_token", "expires_in", "refresh_token", "refresh_token_expires_in", "scope", "token_type", "id_token"]);
    expect(tok).toMatchObject({ expires_in: 5_184_000, refresh_token_expires_in: 31_536_000, scope: "email,openid,profile,r_member_profileAnalytics,w_member_social", token_type: "Bearer" });
    expect(tok.access_token.length).toBeGreaterThan(300);

    const noRefresh: ClientConfig = { ...DEFAULT_LINKEDIN_CLIENT, refreshTokens: false };
    const plain = setup({ clients: [noRefresh] });
    const t2 = await plain.link("zoe", "openid profile");
    expect(t2.refresh_token).toBeUndefined();
    expect(t2.refresh_token_expires_in).toBeUndefined();
  });

  it("id_token verifies against the JWKS; iss is the discovery issuer, aud the client id", async () => {
    const s = setup();
    const tok = await s.link("zoe", SCOPE, { nonce: "n-0S6_WzA2Mj" });
    const [h, p, sig] = tok.id_token!.split(".") as [string, string, string];
    const header = JSON.parse(Buffer.from(h, "base64url").toString()) as { alg: string; kid: string };
    const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as Record<string, unknown>;
    const { keys } = await jsonOf<{ keys: (Record<string, string> & { kid: string })[] }>(await s.f("/oauth/openid/jwks"));
    const jwk = keys.find((k) => k.kid === header.kid)!;
    expect(header.alg).toBe("RS256");
    expect(verify("sha256", Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(sig, "base64url"))).toBe(true);
    const { issuer } = await jsonOf<{ issuer: string }>(await s.f("/oauth/.well-known/openid-configuration"));
    expect(claims).toMatchObject({ iss: issuer, aud: ID, sub: "Zo3AngStr7q", name: "Zoë Ångström", email: "zoe.angstrom@example.org", email_verified: true, nonce: "n-0S6_WzA2Mj" });
  });
});

describe("checklist 7: refresh returns the same refresh token, counting down from the first grant", () => {
  it("day 59: a new access token, the same refresh token, 306 days left; refused after 365 days", async () => {
    const s = setup();
    const tok = await s.link();
    s.sandbox.control.advanceClock(59 * DAY);
    const res = await s.refresh(tok.refresh_token!);
    const body = await jsonOf<TokenJson>(res);
    expect(res.status).toBe(200);
    expect(body.access_token).not.toBe(tok.access_token);
    expect(body.refresh_token).toBe(tok.refresh_token);
    expect(body.refresh_token_expires_in).toBe(306 * 24 * 3600);
    expect((await s.refresh(tok.refresh_token!)).status).toBe(200); // usable again
    s.sandbox.control.advanceClock(306 * DAY);
    const late = await s.refresh(tok.refresh_token!);
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ error: "invalid_request", error_description: "The provided authorization grant or refresh token is invalid, expired or revoked." });
    expect(s.sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["ok", "ok", "expired"]);
  });
});

describe("checklist 8: revoke answers an empty 200; introspection reports active / expired / revoked", () => {
  it("walks a token through its states", async () => {
    const s = setup();
    const tok = await s.link();
    const introspect = async (token: string) => jsonOf<Record<string, unknown>>(await s.f("/oauth/v2/introspectToken", formPost({ client_id: ID, client_secret: SECRET, token })));
    expect(await introspect(tok.access_token)).toMatchObject({ active: true, status: "active", client_id: ID, auth_type: "3L", scope: tok.scope });
    s.sandbox.control.expireAccessTokens({ token: tok.access_token });
    expect(await introspect(tok.access_token)).toMatchObject({ active: false, status: "expired" });
    const fresh = await s.link();
    const res = await s.f("/oauth/v2/revoke", formPost({ client_id: ID, client_secret: SECRET, token: fresh.access_token }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(await introspect(fresh.access_token)).toMatchObject({ active: false, status: "revoked" });
    const after = await s.api("/v2/userinfo", fresh.access_token);
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ serviceErrorCode: 65601, code: "REVOKED_ACCESS_TOKEN" });
    expect((await s.refresh(fresh.refresh_token!)).status).toBe(400);
  });
});

describe("checklist 9: /v2/userinfo", () => {
  it("needs openid + profile", async () => {
    const s = setup();
    const tok = await s.link("zoe", "openid email");
    const res = await s.api("/v2/userinfo", tok.access_token);
    expect(res.status).toBe(403);
  });

  it("email only with the email scope; locale is an object; no picture without a photo", async () => {
    const s = setup();
    const withEmail = await jsonOf(await s.api("/v2/userinfo", (await s.link("zoe")).access_token));
    expect(withEmail).toEqual({
      sub: "Zo3AngStr7q",
      email_verified: true,
      name: "Zoë Ångström",
      locale: { language: "sv", country: "SE" },
      given_name: "Zoë",
      family_name: "Ångström",
      email: "zoe.angstrom@example.org",
      picture: `${BASE}/_assets/avatar/zoe.svg`,
    });
    const noEmail = await jsonOf(await s.api("/v2/userinfo", (await s.link("lukasz", "openid profile")).access_token));
    expect(noEmail).not.toHaveProperty("email");
    expect(noEmail).not.toHaveProperty("email_verified");
    expect(noEmail).not.toHaveProperty("picture");
    expect(noEmail).toMatchObject({ name: "Łukasz Żółć" });
  });
});

describe("checklist 10: memberFollowersCount needs LinkedIn-Version, q=me and r_member_profileAnalytics", () => {
  it("answers the count, or 400 / 426 / 403", async () => {
    const s = setup();
    const tok = await s.link("ana");
    const ok = await followers(s, tok.access_token, currentVersion());
    expect(await ok.json()).toEqual({ elements: [{ memberFollowersCount: 2_417_090 }], paging: { count: 10, start: 0, links: [] } });
    expect((await s.api("/rest/memberFollowersCount?q=me", tok.access_token)).status).toBe(400);
    const sunset = await followers(s, tok.access_token, "202001");
    expect(sunset.status).toBe(426);
    expect(await sunset.json()).toMatchObject({ code: "NONEXISTENT_VERSION" });
    expect((await s.api("/rest/memberFollowersCount?q=other", tok.access_token, { "LinkedIn-Version": currentVersion() })).status).toBe(400);
    const narrow = await s.link("ana", "openid profile");
    const denied = await followers(s, narrow.access_token);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ status: 403, serviceErrorCode: 100, code: "ACCESS_DENIED" });
  });
});

describe("checklist 11: 401 65600 / 65601 / 65602, 403 ACCESS_DENIED 100, 429 TOO_MANY_REQUESTS 101", () => {
  it("answers each body", async () => {
    const s = setup();
    expect(await (await s.api("/v2/userinfo", "AQnotatoken")).json()).toEqual({ status: 401, serviceErrorCode: 65600, code: "INVALID_ACCESS_TOKEN", message: "Invalid access token" });
    const tok = await s.link();
    s.sandbox.control.advanceClock(60 * DAY);
    expect(await (await s.api("/v2/userinfo", tok.access_token)).json()).toEqual({
      status: 401,
      serviceErrorCode: 65602,
      code: "EXPIRED_ACCESS_TOKEN",
      message: "The token used in the request has expired",
    });
    const fresh = await s.link("li", "openid");
    expect(await (await s.api("/v2/userinfo", fresh.access_token)).json()).toEqual({
      status: 403,
      serviceErrorCode: 100,
      code: "ACCESS_DENIED",
      message: "Not enough permissions to access: userinfo.GET.NO_VERSION",
    });
    s.sandbox.control.injectFault({ kind: "rate_limited", target: "api" });
    const limited = await s.api("/v2/userinfo", fresh.access_token);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ status: 429, serviceErrorCode: 101, code: "TOO_MANY_REQUESTS" });
  });
});

describe("checklist 12: the member removes the app", () => {
  it("answers 65601 everywhere and refuses the refresh", async () => {
    const s = setup();
    const tok = await s.link("zoe");
    s.sandbox.control.revoke({ persona: "zoe" });
    for (const path of ["/v2/userinfo", "/rest/memberFollowersCount?q=me"]) {
      expect(await jsonOf(await s.api(path, tok.access_token, { "LinkedIn-Version": currentVersion() }))).toMatchObject({ serviceErrorCode: 65601 });
    }
    expect((await s.refresh(tok.refresh_token!)).status).toBe(400);
  });
});
