import { describe, expect, it } from "vitest";
import { codeFrom, consentForm, formPost, inProcessFetch, jsonOf, submitConsent, withQuery } from "../../../tests/helpers/oauth-sandbox";
import type { OAuth2SandboxOptions } from "../oauth2/types";
import { createThreadsSandbox, DEFAULT_THREADS_CLIENT } from "./index";

// The Threads emulator checklist (reference platforms/threads.md), item by item, in-process.

const BASE = "http://sandbox.test";
const { clientId: APP_ID, clientSecret: SECRET } = DEFAULT_THREADS_CLIENT;
const REDIRECT = DEFAULT_THREADS_CLIENT.redirectUris[0]!;
const SCOPE = "threads_basic,threads_content_publish,threads_manage_insights";
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3600_000;
const DAY = 24 * HOUR;

type GraphErr = { error: { message: string; type: string; code: number; error_subcode?: number; is_transient?: boolean; fbtrace_id: string } };

function setup(options: OAuth2SandboxOptions = {}) {
  const sandbox = createThreadsSandbox({ now: () => T0, ...options });
  const f = inProcessFetch(sandbox, BASE);
  const authorizeUrl = (o: Record<string, string | undefined> = {}) =>
    withQuery(`${BASE}/oauth/authorize`, { client_id: APP_ID, redirect_uri: REDIRECT, scope: SCOPE, response_type: "code", state: "st4te", ...o });
  const exchangeCode = (code: string, extra: Record<string, string> = {}) =>
    f("/oauth/access_token", formPost({ client_id: APP_ID, client_secret: SECRET, grant_type: "authorization_code", redirect_uri: REDIRECT, code, ...extra }));
  /** Quick connect, code → short-lived → long-lived: both token strings. */
  async function link(persona = "zoe", scope = SCOPE) {
    const res = await f(authorizeUrl({ scope, sandbox_persona: persona }));
    const short = await jsonOf<{ access_token: string }>(await exchangeCode(codeFrom(res)));
    const long = await jsonOf<{ access_token: string; token_type: string; expires_in: number }>(
      await f(withQuery("/access_token", { grant_type: "th_exchange_token", client_secret: SECRET, access_token: short.access_token })),
    );
    return { short: short.access_token, long: long.access_token, longBody: long };
  }
  const refresh = (token: string) => f(withQuery("/refresh_access_token", { grant_type: "th_refresh_token", access_token: token }));
  const me = (token: string, fields?: string) => f(withQuery("/v1.0/me", { fields }), { headers: { authorization: `Bearer ${token}` } });
  return { sandbox, f, authorizeUrl, exchangeCode, link, refresh, me };
}

describe("checklist 1: the window on the web base; token, exchange, refresh, /me and insights on the graph base", () => {
  it("serves every path", async () => {
    const s = setup();
    expect((await s.f(s.authorizeUrl())).status).toBe(200);
    const { long } = await s.link();
    expect((await s.me(long)).status).toBe(200);
    expect((await s.f(withQuery("/me", { access_token: long }))).status).toBe(200);
    expect((await s.refresh(long)).status).toBe(400); // too early, but answered
    expect((await s.f(withQuery("/v1.0/25025320703821564/threads_insights", { metric: "followers_count", access_token: long }))).status).toBe(200);
  });
});

describe("checklist 2: the Authorization Window", () => {
  it.each([
    ["an unknown app", { client_id: "999" }],
    ["a redirect_uri that is not identical", { redirect_uri: `${REDIRECT}/` }],
    ["response_type other than code", { response_type: "token" }],
    ["a missing threads_basic", { scope: "threads_content_publish" }],
    ["an unknown scope", { scope: "threads_basic,threads_everything" }],
  ])("answers a JSON error for %s", async (_label, o) => {
    const s = setup();
    const res = await s.f(s.authorizeUrl(o));
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await jsonOf(res)).toMatchObject({ error_message: expect.any(String), error_code: expect.any(Number) });
  });

  it("approves with ?code&state#_, declines per permission except threads_basic, cancels with Meta's parameters", async () => {
    const s = setup();
    const html = await (await s.f(s.authorizeUrl())).text();
    expect(consentForm(html).scopeBoxes).toEqual(["threads_content_publish", "threads_manage_insights"]);
    const ok = await submitConsent(s.f, html, { persona: "zoe", granted: ["threads_content_publish"] });
    expect(ok.headers.get("location")).toMatch(new RegExp(`^${REDIRECT}\\?code=AQBx-[A-Za-z0-9]+&state=st4te#_$`));
    const cancel = await submitConsent(s.f, html, { persona: "zoe", cancel: true });
    expect(cancel.headers.get("location")).toBe(`${REDIRECT}?error=access_denied&error_reason=user_denied&error_description=Permissions+error&state=st4te#_`);
    // the declined permission is missing: insights answer code 10
    const code = new URL(ok.headers.get("location")!.replace("#_", "")).searchParams.get("code")!;
    const short = await jsonOf<{ access_token: string }>(await s.exchangeCode(code));
    const insights = await s.f(withQuery("/v1.0/me/threads_insights", { metric: "followers_count", access_token: short.access_token }));
    expect((await jsonOf<GraphErr>(insights)).error.code).toBe(10);
  });
});

describe("checklist 3: codes live an hour, single use, bound to redirect_uri; client id + secret from body or query", () => {
  it("refuses reuse, expiry and another redirect_uri with 100/36009, 36007, 36008", async () => {
    const s = setup();
    const code = async () => codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    const used = await code();
    expect((await s.exchangeCode(used)).status).toBe(200);
    expect((await jsonOf<GraphErr>(await s.exchangeCode(used))).error).toMatchObject({ code: 100, error_subcode: 36009, type: "OAuthException" });
    expect((await jsonOf<GraphErr>(await s.exchangeCode(await code(), { redirect_uri: "http://localhost:3000/else" }))).error).toMatchObject({ code: 100, error_subcode: 36008 });
    const late = await code();
    s.sandbox.control.advanceClock(HOUR);
    expect((await jsonOf<GraphErr>(await s.exchangeCode(late))).error).toMatchObject({ code: 100, error_subcode: 36007 });
  });

  it("takes the parameters from the query string too, and refuses a wrong secret with code 1", async () => {
    const s = setup();
    const code = codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    const wrong = await s.f(withQuery("/oauth/access_token", { client_id: APP_ID, client_secret: "nope", grant_type: "authorization_code", redirect_uri: REDIRECT, code }), { method: "POST" });
    expect((await jsonOf<GraphErr>(wrong)).error).toMatchObject({ code: 1, message: "Error validating client secret." });
    const ok = await s.f(withQuery("/oauth/access_token", { client_id: APP_ID, client_secret: SECRET, grant_type: "authorization_code", redirect_uri: REDIRECT, code }), { method: "POST" });
    expect(ok.status).toBe(200);
  });
});

describe("checklist 4: the code exchange answers exactly {access_token, user_id: <unquoted number>}", () => {
  it("writes ids above 2^53 as bare numbers and sends no token_type", async () => {
    const s = setup();
    const text = await (await s.exchangeCode(codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "ana" }))))).text();
    expect(text).toMatch(/^\{"access_token":"THQVJ[A-Za-z0-9]+","user_id":90071992547409931\}$/);
    expect(Number.isSafeInteger(JSON.parse(text).user_id)).toBe(false);
  });
});

describe("checklist 5: th_exchange_token", () => {
  it("needs the app secret and a short-lived token; answers bearer / 5183944; a long-lived token cannot be exchanged again", async () => {
    const s = setup();
    const code = codeFrom(await s.f(s.authorizeUrl({ sandbox_persona: "zoe" })));
    const short = (await jsonOf<{ access_token: string }>(await s.exchangeCode(code))).access_token;
    const noSecret = await s.f(withQuery("/access_token", { grant_type: "th_exchange_token", access_token: short }));
    expect((await jsonOf<GraphErr>(noSecret)).error.code).toBe(1);
    const long = await jsonOf<{ access_token: string }>(await s.f(withQuery("/access_token", { grant_type: "th_exchange_token", client_secret: SECRET, access_token: short })));
    expect(long).toEqual({ access_token: expect.stringMatching(/^THAA/), token_type: "bearer", expires_in: 5_183_944 });
    const again = await s.f(withQuery("/access_token", { grant_type: "th_exchange_token", client_secret: SECRET, access_token: long.access_token }));
    expect(again.status).toBe(400);
    expect((await jsonOf<GraphErr>(again)).error.code).toBe(100);
  });
});

describe("checklist 6: th_refresh_token", () => {
  it("refused under 24 h without a 190; then a new 60-day token while the old keeps working; refused after expiry with 190/463", async () => {
    const s = setup();
    const { long } = await s.link();
    const early = await jsonOf<GraphErr>(await s.refresh(long));
    expect(early.error.code).not.toBe(190);
    s.sandbox.control.advanceClock(DAY);
    const res = await s.refresh(long);
    const next = await jsonOf<{ access_token: string; token_type: string; expires_in: number }>(res);
    expect(next).toMatchObject({ token_type: "bearer", expires_in: 5_183_944 });
    expect(next.access_token).not.toBe(long);
    expect((await s.me(long)).status).toBe(200);
    s.sandbox.control.advanceClock(60 * DAY);
    const expired = await jsonOf<GraphErr>(await s.refresh(next.access_token));
    expect(expired.error).toMatchObject({ code: 190, error_subcode: 463 });
    expect(s.sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["too_early", "ok", "expired"]);
  });
});

describe("checklist 7: /me with field selection, header or query token; insights need threads_manage_insights", () => {
  it("answers the chosen fields with a string id", async () => {
    const s = setup();
    const { long } = await s.link("lukasz");
    expect(await jsonOf(await s.me(long))).toEqual({ id: "17841400008460056" });
    const full = await jsonOf(await s.f(withQuery("/v1.0/me", { fields: "id,username,name,threads_profile_picture_url", access_token: long })));
    expect(full).toEqual({ id: "17841400008460056", username: "lukasz_zolc", name: "Łukasz Żółć", threads_profile_picture_url: `${BASE}/_assets/avatar/lukasz.svg` });
    expect((await jsonOf<GraphErr>(await s.me(long, "id,email"))).error).toMatchObject({ code: 100 });
  });

  it("answers followers_count, or code 10 without the permission", async () => {
    const s = setup();
    const { long } = await s.link("ana");
    const ok = await jsonOf<{ data: { name: string; total_value: { value: number } }[] }>(
      await s.f(withQuery("/v1.0/90071992547409931/threads_insights", { metric: "followers_count" }), { headers: { authorization: `Bearer ${long}` } }),
    );
    expect(ok.data[0]).toMatchObject({ name: "followers_count", total_value: { value: 187_654_321 } });
    const basic = await s.link("ana", "threads_basic");
    const denied = await s.f(withQuery("/v1.0/90071992547409931/threads_insights", { metric: "followers_count", access_token: basic.long }));
    expect(denied.status).toBe(403);
    expect((await jsonOf<GraphErr>(denied)).error).toMatchObject({ code: 10, message: "(#10) Application does not have permission for this action" });
  });
});

describe("checklist 8: Graph errors of §6 with fbtrace_id", () => {
  it("190/463 expired, 190/458 removed app, 190 unparseable, 4 throttle with is_transient", async () => {
    const s = setup();
    const unparseable = await jsonOf<GraphErr>(await s.me("garbage"));
    expect(unparseable.error).toMatchObject({ code: 190, type: "OAuthException", message: "Invalid OAuth access token - Cannot parse access token" });
    expect(unparseable.error.error_subcode).toBeUndefined();
    expect(unparseable.error.fbtrace_id).toEqual(expect.any(String));
    const a = await s.link("zoe");
    s.sandbox.control.injectFault({ kind: "rate_limited", target: "api" });
    expect((await jsonOf<GraphErr>(await s.me(a.long))).error).toMatchObject({ code: 4, is_transient: true });
    s.sandbox.control.revoke({ persona: "zoe" });
    expect((await jsonOf<GraphErr>(await s.me(a.long))).error).toMatchObject({ code: 190, error_subcode: 458 });
    const b = await s.link("li");
    s.sandbox.control.advanceClock(61 * DAY);
    const expired = await s.me(b.long);
    expect(expired.status).toBe(400);
    expect((await jsonOf<GraphErr>(expired)).error).toMatchObject({ code: 190, error_subcode: 463, message: expect.stringMatching(/^Error validating access token: Session has expired on /) });
  });
});

describe("checklist 9: no revoke endpoint", () => {
  it("answers 404 on revoke-like paths", async () => {
    const s = setup();
    for (const path of ["/oauth/revoke", "/revoke", "/v1.0/me/permissions"]) {
      expect((await s.f(path, formPost({ token: "x" }))).status).toBe(404);
    }
  });
});

describe("checklist 10: ~200-character Unicode names, 17-digit ids, large follower counts", () => {
  it("seeds them", async () => {
    const s = setup();
    const { data } = await jsonOf<{ data: { name: string; externalId: string; stats: { followers: number } }[] }>(await s.f("/_control/personas"));
    expect(data.every((p) => /^\d{17}$/.test(p.externalId))).toBe(true);
    expect(Math.max(...data.map((p) => [...p.name].length))).toBeGreaterThanOrEqual(190);
    expect(Math.max(...data.map((p) => p.stats.followers))).toBeGreaterThan(100_000_000);
  });
});
