import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { basicAuth, codeFrom, consentForm, formPost, inProcessFetch, jsonOf, pkcePair, withQuery } from "../../../tests/helpers/oauth-sandbox";
import { createXSandbox, DEFAULT_X_CLIENT, startXServer } from "../x";
import type { OAuth2Sandbox } from "./sandbox";
import type { SandboxServer } from "./server";

// The shared core, driven through the X profile: JSON state export/import, controls (HTTP and
// in-process), the control switch, base-path mounting, faults (refusal, timeout) and the logs.

const BASE = "http://localhost:3000";
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const { clientId: ID, clientSecret: SECRET } = DEFAULT_X_CLIENT;
const REDIRECT = DEFAULT_X_CLIENT.redirectUris[0]!;
const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

type Tok = { access_token: string; refresh_token: string };

async function link(sandbox: OAuth2Sandbox, base = BASE, persona = "zoe"): Promise<Tok> {
  const f = inProcessFetch(sandbox, base);
  const { verifier, challenge } = pkcePair();
  const res = await f(
    withQuery(`${base}/i/oauth2/authorize`, {
      response_type: "code",
      client_id: ID,
      redirect_uri: REDIRECT,
      scope: "tweet.read users.read offline.access",
      state: "s",
      code_challenge: challenge,
      code_challenge_method: "S256",
      sandbox_persona: persona,
    }),
  );
  const tok = await f("/2/oauth2/token", formPost({ grant_type: "authorization_code", code: codeFrom(res), redirect_uri: REDIRECT, code_verifier: verifier }, { authorization: basicAuth(ID, SECRET) }));
  return jsonOf<Tok>(tok);
}

const me = (sandbox: OAuth2Sandbox, token: string, base = BASE) => inProcessFetch(sandbox, base)("/2/users/me", { headers: { authorization: `Bearer ${token}` } });
const refresh = (sandbox: OAuth2Sandbox, token: string) =>
  inProcessFetch(sandbox, BASE)("/2/oauth2/token", formPost({ grant_type: "refresh_token", refresh_token: token }, { authorization: basicAuth(ID, SECRET) }));

describe("state: one JSON value, exported and imported", () => {
  it("survives a JSON round trip into a new sandbox, clock included, and holds no token value", async () => {
    const a = createXSandbox({ now: () => T0 });
    const tok = await link(a);
    a.control.advanceClock(3_600_000);
    const saved = JSON.stringify(a.exportState());
    expect(saved).not.toContain(tok.access_token);
    expect(saved).not.toContain(tok.refresh_token);

    const b = createXSandbox({ now: () => T0, state: JSON.parse(saved) as unknown });
    expect(b.control.now()).toBe(T0 + 3_600_000);
    expect((await me(b, tok.access_token)).status).toBe(200);
    expect((await refresh(b, tok.refresh_token)).status).toBe(200);
    expect((await refresh(a, tok.refresh_token)).status).toBe(200); // the two copies are independent
  });

  it("refuses another platform's state or a malformed one; configured clients stay authoritative", async () => {
    const a = createXSandbox({ now: () => T0 });
    const state = a.exportState();
    const linkedin = { ...state, provider: "linkedin" };
    expect(() => a.importState(linkedin)).toThrow("State belongs to the linkedin sandbox, not x");
    expect(() => a.importState({ version: 1 })).toThrow("Invalid input");
    const rotated = createXSandbox({ now: () => T0, clients: [{ ...DEFAULT_X_CLIENT, clientSecret: "a-new-secret-after-rotation" }], state });
    expect(rotated.exportState().clients[ID]!.clientSecret).toBe("a-new-secret-after-rotation");
  });
});

describe("controls", () => {
  it("answer 403 everywhere when disabled", async () => {
    const f = inProcessFetch(createXSandbox({ controls: false }), BASE);
    for (const [path, init] of [
      ["/_control", undefined],
      ["/_control/personas", undefined],
      ["/_control/clock", json({ advanceDays: 1 })],
      ["/_control/revoke", json({ persona: "zoe" })],
      ["/_control/faults", json({ kind: "server_error" })],
      ["/_control/state", undefined],
    ] as const) {
      expect((await f(path, init)).status).toBe(403);
    }
  });

  it("describe the platform, move the clock, issue, expire and revoke tokens over HTTP", async () => {
    const sandbox = createXSandbox({ now: () => T0 });
    const f = inProcessFetch(sandbox, BASE);
    const info = await jsonOf<{ provider: string; endpoints: Record<string, string>; controls: string[] }>(await f("/_control"));
    expect(info).toMatchObject({ provider: "x", endpoints: { token: "POST /2/oauth2/token" } });
    expect(info.controls).toContain("POST /_control/revoke");

    expect(await jsonOf(await f("/_control/clock", json({ advanceDays: 2, advanceHours: 1 })))).toMatchObject({ now: T0 + 49 * 3_600_000 });

    const issued = await jsonOf<{ access_token: string; refresh_token: string; grant_id: string; scope: string }>(
      await f("/_control/tokens", json({ persona: "li", scopes: "tweet.read users.read offline.access" })),
    );
    expect(issued.scope).toBe("tweet.read users.read offline.access");
    expect((await me(sandbox, issued.access_token)).status).toBe(200);
    expect(await jsonOf(await f("/_control/tokens/expire", json({ grantId: issued.grant_id })))).toEqual({ expired: 1 });
    expect((await me(sandbox, issued.access_token)).status).toBe(401);
    expect((await refresh(sandbox, issued.refresh_token)).status).toBe(200);

    const grants = await jsonOf<{ data: { id: string; personaId: string; tokens: { kind: string; spentAt?: number }[] }[] }>(await f("/_control/grants?persona=li"));
    expect(grants.data).toHaveLength(1);
    expect(grants.data[0]!.tokens.filter((t) => t.kind === "refresh" && t.spentAt)).toHaveLength(1);
    expect(JSON.stringify(grants)).not.toContain(issued.refresh_token);
    expect(await jsonOf(await f("/_control/revoke", json({ grantId: issued.grant_id })))).toEqual({ revoked: 1 });
    expect((await jsonOf<{ data: { revokedReason: string }[] }>(await f("/_control/grants?persona=li"))).data[0]!.revokedReason).toBe("revoked");

    expect((await f("/_control/revoke", json({})))).toMatchObject({ status: 400 });
    expect((await f("/_control/tokens", json({ persona: "nobody" })))).toMatchObject({ status: 400 });
    expect((await f("/_control/nothing"))).toMatchObject({ status: 404 });
  });

  it("change a persona's counts for the next profile call", async () => {
    const sandbox = createXSandbox({ now: () => T0 });
    const f = inProcessFetch(sandbox, BASE);
    const tok = await link(sandbox);
    await f("/_control/personas", json({ persona: "zoe", followers: 50_001, name: "Zoë Å." }));
    const body = await jsonOf<{ data: { name: string; public_metrics: { followers_count: number; following_count: number } } }>(
      await f("/2/users/me?user.fields=public_metrics", { headers: { authorization: `Bearer ${tok.access_token}` } }),
    );
    expect(body.data.name).toBe("Zoë Å.");
    expect(body.data.public_metrics).toMatchObject({ followers_count: 50_001, following_count: 512 });
  });

  it("an injected invalid_grant refuses the next refresh without spending the token", async () => {
    const sandbox = createXSandbox({ now: () => T0 });
    const tok = await link(sandbox);
    await inProcessFetch(sandbox, BASE)("/_control/faults", json({ kind: "invalid_grant" }));
    expect((await refresh(sandbox, tok.refresh_token)).status).toBe(400);
    expect((await refresh(sandbox, tok.refresh_token)).status).toBe(200);
    expect(sandbox.control.refreshAttempts().map((a) => a.outcome)).toEqual(["injected", "ok"]);
  });

  it("log requests without secrets, with token ids", async () => {
    const sandbox = createXSandbox({ now: () => T0 });
    const tok = await link(sandbox);
    await me(sandbox, `${tok.access_token}`);
    const log = sandbox.control.requestLog();
    expect(JSON.stringify(log)).not.toContain(tok.access_token);
    expect(log.at(-1)).toMatchObject({ method: "GET", path: "/2/users/me", tokenId: sandbox.control.tokenId(tok.access_token), status: 200 });
    expect(sandbox.control.controlLog().some((e) => e.action === "approve")).toBe(true);
  });
});

describe("dialog conveniences", () => {
  it("sandbox_persona refuses an unknown persona with an error page", async () => {
    const f = inProcessFetch(createXSandbox(), BASE);
    const res = await f(
      withQuery(`${BASE}/i/oauth2/authorize`, { response_type: "code", client_id: ID, redirect_uri: REDIRECT, scope: "users.read", state: "s", code_challenge: pkcePair().challenge, code_challenge_method: "S256", sandbox_persona: "nobody" }),
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Unknown sandbox persona");
  });

  it("mounts under a base path: other paths 404, emitted URLs carry the prefix", async () => {
    const sandbox = createXSandbox({ basePath: "/sandbox/x" });
    const f = inProcessFetch(sandbox, BASE);
    expect((await f("/2/users/me")).status).toBe(404);
    const page = await f(
      withQuery(`${BASE}/sandbox/x/i/oauth2/authorize`, { response_type: "code", client_id: ID, redirect_uri: REDIRECT, scope: "users.read", state: "s", code_challenge: pkcePair().challenge, code_challenge_method: "S256" }),
    );
    expect(consentForm(await page.text()).action).toBe(`${BASE}/sandbox/x/i/oauth2/authorize`);
    expect((await jsonOf<{ data: { avatarUrl: string }[] }>(await f("/sandbox/x/_control/personas"))).data[0]!.avatarUrl).toBe(`${BASE}/sandbox/x/_assets/avatar/zoe.svg`);
  });
});

describe("over HTTP: a timeout fault holds the answer until the client gives up", () => {
  let server: SandboxServer<OAuth2Sandbox>;
  beforeAll(async () => {
    server = await startXServer({ port: 0, timeoutMs: 60_000 });
  });
  afterAll(() => server.close());

  it("the client's own timeout fires; the next call is answered", async () => {
    const tok = await link(server.sandbox, server.url);
    server.sandbox.control.injectFault({ kind: "timeout", target: "api" });
    const hung = fetch(`${server.url}/2/users/me`, { headers: { authorization: `Bearer ${tok.access_token}` }, signal: AbortSignal.timeout(100) });
    await expect(hung).rejects.toThrow("The operation was aborted due to timeout");
    // The held handler ends with the client's disconnect, long before its own 60 s limit.
    await vi.waitFor(() => expect(server.sandbox.control.requestLog().some((e) => e.status === 504)).toBe(true), { timeout: 2000 });
    const next = await fetch(`${server.url}/2/users/me`, { headers: { authorization: `Bearer ${tok.access_token}` } });
    expect(next.status).toBe(200);
  });
});
