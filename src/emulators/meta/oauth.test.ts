import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSandboxServer, type SandboxServer } from "./server";
import { APP_ID, APP_SECRET, APP_TOKEN, REDIRECT, codeFrom, dialogUrl, errorOf, exchange, getJson, login } from "@kit/meta-emulator";

// Checklist 1–8 over real HTTP: the login dialog and the token endpoint.
let server: SandboxServer;
let base: string;
const f = (input: string, init?: RequestInit) => fetch(input, init);

beforeAll(async () => {
  server = await startSandboxServer({
    port: 0,
    apps: [
      {
        appId: APP_ID,
        appSecret: APP_SECRET,
        redirectUris: [REDIRECT, "http://localhost:3000/cb?x=1"],
        loginConfigs: { "900100": { permissions: ["ads_read", "business_management"] } },
      },
    ],
  });
  base = server.url;
});
afterAll(() => server.close());
beforeEach(() => server.sandbox.control.setDialogBehaviour("solo", "interactive"));

const manual = { redirect: "manual" } as const;

describe("checklist 1: dialog at /{vX.Y}/dialog/oauth and /dialog/oauth, client_id required", () => {
  it("serves the consent page on versioned and unversioned paths", async () => {
    for (const url of [dialogUrl(base), dialogUrl(base).replace("/v25.0", ""), dialogUrl(base).replace("/v25.0", "/v19.0")]) {
      const res = await fetch(url, manual);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/html");
      const html = await res.text();
      expect(html).toContain('name="persona"');
      expect(html).toContain("Sam Solo (1 ad account)");
      expect(html).toMatch(/<label><input type="checkbox" name="granted" value="ads_read" checked> ads_read<\/label>/);
      expect(html).toContain(">Continue</button>");
      expect(html).toContain(">Cancel</button>");
    }
  });

  it("refuses a missing or unknown client_id with an error page and no redirect", async () => {
    const missing = await fetch(dialogUrl(base).replace(`client_id=${APP_ID}&`, ""), manual);
    expect(missing.status).toBe(400);
    expect(missing.headers.get("location")).toBeNull();
    const unknown = await fetch(dialogUrl(base, { clientId: "999" }), manual);
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get("location")).toBeNull();
    expect(await unknown.text()).toContain("Invalid App ID");
  });
});

describe("checklist 2: redirect_uri matched byte-for-byte", () => {
  it.each([
    "http://localhost:3000/api/auth/callback/facebook/",
    "http://localhost:3000/api/auth/callback/facebook?state=1",
    "http://localhost:3000/api/auth/callback",
    "http://LOCALHOST:3000/api/auth/callback/facebook",
    "http://localhost:3000/cb?x=2",
  ])("refuses %s with an error page", async (uri) => {
    const res = await fetch(dialogUrl(base, { redirectUri: uri }), manual);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("URL blocked");
  });

  it("accepts a registered URI that has its own query string", async () => {
    server.sandbox.control.setDialogBehaviour("solo", "approve");
    const res = await fetch(dialogUrl(base, { redirectUri: "http://localhost:3000/cb?x=1" }), manual);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^http:\/\/localhost:3000\/cb\?x=1&code=AQ[A-Za-z0-9]+&state=st4te#_=_$/);
  });
});

async function submit(form: Record<string, string | string[]>, cookie?: string): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
  return fetch(`${base}/v25.0/dialog/oauth`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
    body: body.toString(),
    redirect: "manual",
  });
}

const hidden = (scope: string, extra: Record<string, string> = {}) => ({ client_id: APP_ID, redirect_uri: REDIRECT, state: "st4te", scope, ...extra });

describe("checklist 3: consent grants, declines, picks assets, cancels; granted users pass straight through", () => {
  it("cancel redirects with Meta's error parameters", async () => {
    const res = await submit({ ...hidden("ads_read"), persona: "solo", action: "cancel" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(
      `${REDIRECT}?error=access_denied&error_code=200&error_description=Permissions+error&error_reason=user_denied&state=st4te#_=_`,
    );
  });

  it("an unticked permission is declined and Pages can be picked", async () => {
    const res = await submit({ ...hidden("ads_read,pages_show_list"), persona: "pages", granted: ["pages_show_list"], page: ["1034000000001"], action: "continue" });
    const token = (await (await exchange(f, base, codeFrom(res.headers.get("location")))).json()) as { access_token: string };
    const perms = await getJson(f, `${base}/v25.0/me/permissions?access_token=${token.access_token}`);
    expect(perms.body.data).toEqual(
      expect.arrayContaining([
        { permission: "public_profile", status: "granted" },
        { permission: "ads_read", status: "declined" },
        { permission: "pages_show_list", status: "granted" },
      ]),
    );
    const pages = await getJson(f, `${base}/v25.0/me/accounts?fields=id,name&access_token=${token.access_token}`);
    expect(pages.body.data).toEqual([{ id: "1034000000001", name: "Pat's Bakery" }]);
  });

  it("a user who already granted everything is redirected straight back with a new code", async () => {
    const first = await submit({ ...hidden("ads_read"), persona: "solo", granted: "ads_read", action: "continue" });
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    const again = await fetch(dialogUrl(base, { scope: "ads_read" }), { redirect: "manual", headers: { cookie } });
    expect(again.status).toBe(302);
    expect(codeFrom(again.headers.get("location"))).not.toBe(codeFrom(first.headers.get("location")));
    const more = await fetch(dialogUrl(base, { scope: "ads_read,ads_management" }), { redirect: "manual", headers: { cookie } });
    expect(more.status).toBe(200);
  });
});

describe("checklist 4: auth_type rerequest/reauthenticate, granted_scopes, config_id", () => {
  it("skips previously declined permissions unless auth_type=rerequest", async () => {
    const declined = await submit({ ...hidden("ads_management"), persona: "disabled", action: "continue" });
    const cookie = declined.headers.get("set-cookie")!.split(";")[0]!;
    // Declined before and not re-requested: silently skipped, so nothing is left to ask → straight back.
    const skipped = await fetch(dialogUrl(base, { scope: "ads_management" }), { redirect: "manual", headers: { cookie } });
    expect(skipped.status).toBe(302);
    const rerequest = await fetch(dialogUrl(base, { scope: "ads_management", extra: { auth_type: "rerequest" } }), { redirect: "manual", headers: { cookie } });
    expect(rerequest.status).toBe(200);
    const granted = await submit({ ...hidden("ads_management", { auth_type: "rerequest" }), persona: "disabled", granted: "ads_management", action: "continue" });
    const tok = (await (await exchange(f, base, codeFrom(granted.headers.get("location")))).json()) as { access_token: string };
    const dbg = await getJson(f, `${base}/debug_token?input_token=${tok.access_token}&access_token=${APP_TOKEN}`);
    expect((dbg.body.data as { scopes: string[]; metadata: unknown }).scopes).toContain("ads_management");
    expect((dbg.body.data as { metadata: unknown }).metadata).toEqual({ auth_type: "rerequest" });
  });

  it("reauthenticate always shows the page", async () => {
    const first = await submit({ ...hidden("ads_read"), persona: "solo", granted: "ads_read", action: "continue" });
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    const res = await fetch(dialogUrl(base, { scope: "ads_read", extra: { auth_type: "reauthenticate" } }), { redirect: "manual", headers: { cookie } });
    expect(res.status).toBe(200);
  });

  it("response_type=code,granted_scopes adds granted/denied lists", async () => {
    const res = await submit({ ...hidden("ads_read,business_management", { response_type: "code,granted_scopes" }), persona: "empty", granted: "ads_read", action: "continue" });
    const loc = new URL(res.headers.get("location")!);
    expect(loc.searchParams.get("granted_scopes")).toBe("public_profile,ads_read");
    expect(loc.searchParams.get("denied_scopes")).toBe("business_management");
  });

  it("config_id grants all-or-nothing", async () => {
    const partial = await submit({ ...hidden("", { config_id: "900100" }), persona: "agency", granted: "ads_read", action: "continue" });
    expect(new URL(partial.headers.get("location")!).searchParams.get("error")).toBe("access_denied");
    const full = await submit({ ...hidden("", { config_id: "900100" }), persona: "agency", granted: ["ads_read", "business_management"], action: "continue" });
    expect(new URL(full.headers.get("location")!).searchParams.get("code")).toMatch(/^AQ/);
  });
});

describe("checklist 5: codes are single-use, short-lived, bound to redirect_uri", () => {
  async function code(): Promise<string> {
    server.sandbox.control.setDialogBehaviour("solo", "approve");
    const res = await fetch(dialogUrl(base), manual);
    expect(res.headers.get("location")).toMatch(/\?code=AQ[A-Za-z0-9]+&state=st4te#_=_$/);
    return codeFrom(res.headers.get("location"));
  }

  it("reuse → 100/36009", async () => {
    const c = await code();
    expect((await exchange(f, base, c)).status).toBe(200);
    const again = await getJson(f, `${base}/v25.0/oauth/access_token?client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent(REDIRECT)}&code=${c}`);
    expect(again.status).toBe(400);
    expect(errorOf(again.body)).toMatchObject({ code: 100, error_subcode: 36009, type: "OAuthException", message: "This authorization code has been used." });
  });

  it("expired after 10 minutes → 100/36007", async () => {
    const c = await code();
    server.sandbox.control.advanceClock(10 * 60_000);
    const res = await exchange(f, base, c);
    expect(res.status).toBe(400);
    expect(errorOf((await res.json()) as Record<string, unknown>)).toMatchObject({ code: 100, error_subcode: 36007 });
  });

  it("a different redirect_uri → 100/36008", async () => {
    const c = await code();
    const res = await exchange(f, base, c, `${REDIRECT}?state=st4te`);
    expect(res.status).toBe(400);
    expect(errorOf((await res.json()) as Record<string, unknown>)).toMatchObject({ code: 100, error_subcode: 36008 });
  });

  it("garbage code → 100 invalid format", async () => {
    const res = await exchange(f, base, "nonsense");
    expect(errorOf((await res.json()) as Record<string, unknown>)).toMatchObject({ code: 100, message: "Invalid verification code format." });
  });
});

describe("checklist 6: token endpoint accepts GET/POST, query/body/Basic credentials", () => {
  it("GET with query credentials and POST with Basic both answer {access_token, token_type, expires_in} as JSON", async () => {
    server.sandbox.control.setDialogBehaviour("solo", "approve");
    const c1 = codeFrom((await fetch(dialogUrl(base), manual)).headers.get("location"));
    const viaGet = await fetch(`${base}/v25.0/oauth/access_token?client_id=${APP_ID}&client_secret=${APP_SECRET}&redirect_uri=${encodeURIComponent(REDIRECT)}&code=${c1}`);
    expect(viaGet.headers.get("content-type")).toBe("application/json; charset=UTF-8");
    const body = (await viaGet.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "token_type"]);
    expect(body.token_type).toBe("bearer");
    expect(typeof body.expires_in).toBe("number");
    const c2 = codeFrom((await fetch(dialogUrl(base), manual)).headers.get("location"));
    const viaPost = await fetch(`${base}/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: APP_ID, client_secret: APP_SECRET, redirect_uri: REDIRECT, code: c2 }).toString(),
    });
    expect(viaPost.status).toBe(200);
  });

  it("wrong secret → code 1", async () => {
    const res = await getJson(f, `${base}/v25.0/oauth/access_token?client_id=${APP_ID}&client_secret=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&code=AQx`);
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toMatchObject({ code: 1, message: "Error validating client secret.", type: "OAuthException" });
  });

  it("client_credentials gives an app token", async () => {
    const res = await getJson(f, `${base}/v25.0/oauth/access_token?client_id=${APP_ID}&client_secret=${APP_SECRET}&grant_type=client_credentials`);
    expect(res.body).toEqual({ access_token: expect.stringMatching(new RegExp(`^${APP_ID}\\|`)), token_type: "bearer" });
  });
});

describe("checklist 7: PKCE switch", () => {
  const verifier = "a".repeat(20) + "B".repeat(20) + "-._~0123";
  const challenge = createHash("sha256").update(verifier).digest("base64url");

  it("observed mode: challenge without openid is discarded, a verifier then fails with code 1", async () => {
    server.sandbox.control.setDialogBehaviour("solo", "approve");
    const loc = (await fetch(dialogUrl(base, { extra: { code_challenge: challenge, code_challenge_method: "S256" } }), manual)).headers.get("location");
    const res = await fetch(`${base}/v25.0/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ client_id: APP_ID, client_secret: APP_SECRET, redirect_uri: REDIRECT, code: codeFrom(loc), code_verifier: verifier }).toString(),
    });
    expect(res.status).toBe(400);
    expect(errorOf((await res.json()) as Record<string, unknown>)).toMatchObject({
      code: 1,
      message: "code_verifier param is provided without a code_challenge in authorization request.",
    });
  });

  it("with openid the S256 verifier is checked and an id_token is returned", async () => {
    server.sandbox.control.setDialogBehaviour("solo", "approve");
    const url = dialogUrl(base, { scope: "openid,ads_read", extra: { code_challenge: challenge, code_challenge_method: "S256", nonce: "n1" } });
    const send = async (v: string) =>
      fetch(`${base}/v25.0/oauth/access_token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: APP_ID, client_secret: APP_SECRET, redirect_uri: REDIRECT, code: codeFrom((await fetch(url, manual)).headers.get("location")), code_verifier: v }).toString(),
      });
    expect((await send("x".repeat(43))).status).toBe(400);
    const ok = (await (await send(verifier)).json()) as { id_token: string };
    expect(JSON.parse(Buffer.from(ok.id_token.split(".")[1]!, "base64url").toString())).toMatchObject({ aud: APP_ID, nonce: "n1" });
  });
});

describe("checklist 8: fb_exchange_token", () => {
  const exchangeUrl = (t: string) => `${base}/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id=${APP_ID}&client_secret=${APP_SECRET}&fb_exchange_token=${t}`;

  it("returns a new ~60-day string, keeps the input valid, does not extend on re-exchange", async () => {
    const short = await login(server.sandbox, f, base, "solo");
    const long = await getJson(f, exchangeUrl(short));
    expect(long.status).toBe(200);
    expect(long.body.access_token).not.toBe(short);
    expect(long.body.expires_in).toBeGreaterThan(59 * 86400);
    expect(long.body.expires_in).toBeLessThanOrEqual(60 * 86400);
    expect((await getJson(f, `${base}/v25.0/me?access_token=${short}`)).status).toBe(200);
    server.sandbox.control.advanceClock(86400_000);
    const again = await getJson(f, exchangeUrl(long.body.access_token as string));
    expect(again.body.access_token).not.toBe(long.body.access_token);
    expect(again.body.expires_in).toBeLessThanOrEqual(59 * 86400);
  });

  it("an expired input → 190/463; a non-expiring input → no expires_in", async () => {
    const short = await login(server.sandbox, f, base, "solo");
    server.sandbox.control.advanceClock(3 * 3600_000);
    const res = await getJson(f, exchangeUrl(short));
    expect(res.status).toBe(400);
    expect(errorOf(res.body)).toMatchObject({ code: 190, error_subcode: 463 });
    const forever = server.sandbox.control.issueToken({ persona: "solo", lifetime: "never" });
    const out = await getJson(f, exchangeUrl(forever.accessToken));
    expect(out.body).toEqual({ access_token: expect.any(String), token_type: "bearer" });
  });
});

describe("sandbox convention: sandbox_persona approves at once", () => {
  it("redirects with a real code for that persona and every requested scope, no consent page", async () => {
    const res = await fetch(dialogUrl(base, { scope: "ads_read,business_management", extra: { sandbox_persona: "agency" } }), manual);
    expect(res.status).toBe(302);
    const location = res.headers.get("location");
    expect(new URL(location!).searchParams.get("state")).toBe("st4te");
    const token = ((await (await exchange(f, base, codeFrom(location))).json()) as { access_token: string }).access_token;
    const me = await getJson(f, `${base}/v25.0/me?fields=id,name`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.body).toMatchObject({ id: server.sandbox.control.userId("agency") });
    const perms = await getJson(f, `${base}/v25.0/me/permissions`, { headers: { authorization: `Bearer ${token}` } });
    const granted = (perms.body.data as { permission: string; status: string }[]).filter((p) => p.status === "granted").map((p) => p.permission);
    expect(granted).toEqual(expect.arrayContaining(["ads_read", "business_management"]));
  });

  it("refuses an unknown persona with an error page instead of approving", async () => {
    const res = await fetch(dialogUrl(base, { extra: { sandbox_persona: "nobody" } }), manual);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Unknown sandbox persona");
  });

  it("still checks the redirect URI before approving", async () => {
    const res = await fetch(dialogUrl(base, { redirectUri: "https://evil.example/cb", extra: { sandbox_persona: "solo" } }), manual);
    expect(res.status).toBe(400);
  });
});
