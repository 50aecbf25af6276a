import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xrpcClient } from "../../../tests/helpers/xrpc-client";
import { createBlueskySandbox } from "./sandbox";
import { startBlueskyServer, type BlueskyServer } from "./server";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const setup = () => {
  const sandbox = createBlueskySandbox({ failedLoginDelayMs: 0, now: () => T0 });
  return { sandbox, x: xrpcClient(sandbox) };
};
const CREATE = "com.atproto.server.createSession";
const ZOE_APP = "k7dq-m2xa-p4wn-tz6b";
const rate = (h: Headers) => ({
  limit: h.get("ratelimit-limit"),
  remaining: h.get("ratelimit-remaining"),
  reset: h.get("ratelimit-reset"),
  policy: h.get("ratelimit-policy"),
});

describe("checklist 16: rate limits", () => {
  it("puts RateLimit-* headers on every answer, describing the tightest limit", async () => {
    const { x } = setup();
    const profile = await x.query("app.bsky.actor.getProfile", { actor: "zoe.bsky.social" });
    expect(rate(profile.headers)).toEqual({ limit: "3000", remaining: "2999", reset: String(T0 / 1000 + 300), policy: "3000;w=300" });
    expect(rate((await x.query("no.such.method")).headers).remaining).toBe("2998");
    expect(rate((await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: ZOE_APP })).headers)).toEqual({ limit: "30", remaining: "29", reset: String(T0 / 1000 + 300), policy: "30;w=300" });
  });

  it("allows 30 logins per 5 minutes per identifier and IP, failed ones included, then 429 with Retry-After", async () => {
    const { sandbox, x } = setup();
    for (let i = 0; i < 30; i++) expect((await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: "wrong" })).status).toBe(401);
    const over = await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: ZOE_APP });
    expect(over).toMatchObject({ status: 429, body: { error: "RateLimitExceeded", message: "Rate Limit Exceeded" } });
    expect(rate(over.headers)).toMatchObject({ remaining: "0", policy: "30;w=300" });
    expect(over.headers.get("retry-after")).toBe("300");
    // Another identifier, or the same one from another address, has its own budget.
    expect((await x.procedure(CREATE, { identifier: "li.bsky.social", password: "m4ne-b2xq-t7ho-s3ia" })).status).toBe(200);
    expect((await x.call(CREATE, { method: "POST", body: { identifier: "zoe.bsky.social", password: ZOE_APP }, headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(200);
    sandbox.control.advanceClock(120_000);
    expect((await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: ZOE_APP })).headers.get("retry-after")).toBe("180");
    sandbox.control.advanceClock(180_000);
    expect((await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: ZOE_APP })).status).toBe(200);
  });

  it("allows 300 logins per day per identifier and IP", async () => {
    const { sandbox, x } = setup();
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 30; i++) await x.procedure(CREATE, { identifier: "li.bsky.social", password: "wrong" });
      sandbox.control.advanceClock(300_000);
    }
    const over = await x.procedure(CREATE, { identifier: "li.bsky.social", password: "m4ne-b2xq-t7ho-s3ia" });
    expect(over.status).toBe(429);
    expect(rate(over.headers)).toMatchObject({ remaining: "0", policy: "300;w=86400" });
  });

  it("enforces a global per-IP budget of 3000 calls per 5 minutes", async () => {
    const { sandbox, x } = setup();
    for (let i = 0; i < 3000; i++) await x.query("com.atproto.server.describeServer");
    const over = await x.query("com.atproto.server.describeServer");
    expect(over).toMatchObject({ status: 429, body: { error: "RateLimitExceeded" } });
    expect(rate(over.headers)).toMatchObject({ remaining: "0", policy: "3000;w=300" });
    expect((await x.call("com.atproto.server.describeServer", { headers: { "x-forwarded-for": "198.51.100.7" } })).status).toBe(200);
    sandbox.control.advanceClock(300_000);
    expect((await x.query("com.atproto.server.describeServer")).status).toBe(200);
  });
});

describe("checklist 17: fault injection", () => {
  it.each([
    [500, "InternalServerError", "Internal Server Error"],
    [502, "UpstreamFailure", "Upstream Failure"],
    [503, "NotEnoughResources", "Not Enough Resources"],
    [504, "UpstreamTimeout", "Upstream Timeout"],
    [401, "AuthenticationRequired", "Authentication Required"],
  ])("fails the next call with %i and the default name %s", async (status, error, message) => {
    const { sandbox, x } = setup();
    sandbox.control.injectFault({ nsid: "app.bsky.actor.getProfile", status });
    expect(await x.query("app.bsky.actor.getProfile", { actor: "zoe.bsky.social" })).toMatchObject({ status, body: { error, message } });
    expect((await x.query("app.bsky.actor.getProfile", { actor: "zoe.bsky.social" })).status).toBe(200);
  });

  it("counts down, matches by method, and takes a custom name and message", async () => {
    const { sandbox, x } = setup();
    sandbox.control.injectFault({ nsid: "com.atproto.server.refreshSession", status: 400, error: "ExpiredToken", message: "Token has been revoked", count: 2 });
    expect((await x.query("com.atproto.server.describeServer")).status).toBe(200);
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    for (let i = 0; i < 2; i++) expect((await x.procedure("com.atproto.server.refreshSession", undefined, s.refreshJwt)).body).toEqual({ error: "ExpiredToken", message: "Token has been revoked" });
    expect((await x.procedure("com.atproto.server.refreshSession", undefined, s.refreshJwt)).status).toBe(200);
  });

  it("a 429 fault carries the rate-limit headers and Retry-After", async () => {
    const { sandbox, x } = setup();
    sandbox.control.injectFault({ nsid: CREATE, status: 429 });
    const res = await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: ZOE_APP });
    expect(res).toMatchObject({ status: 429, body: { error: "RateLimitExceeded", message: "Rate Limit Exceeded" } });
    expect(rate(res.headers)).toMatchObject({ remaining: "0", policy: "30;w=300" });
    expect(res.headers.get("retry-after")).toBe("300");
  });

  it("delays an answer, and holds a timed-out one until the client gives up", async () => {
    const { sandbox } = setup();
    sandbox.control.injectFault({ nsid: "com.atproto.server.describeServer", delayMs: 40 });
    const started = performance.now();
    expect((await sandbox(new Request("http://bsky.test/xrpc/com.atproto.server.describeServer"))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    sandbox.control.injectFault({ nsid: "com.atproto.server.describeServer", timeout: true });
    const controller = new AbortController();
    const pending = sandbox(new Request("http://bsky.test/xrpc/com.atproto.server.describeServer", { signal: controller.signal }));
    controller.abort();
    expect((await pending).status).toBe(504);
  });
});

describe("checklist 18: secrets are listed and never logged", () => {
  it("lists every password and token it knows, and keeps them out of the request and control logs", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const next = await x.procedure("com.atproto.server.refreshSession", undefined, s.refreshJwt);
    await x.procedure(CREATE, { identifier: "ingrid.bsky.social", password: "sandbox-ingrid-account-password" });
    const account = await x.login("li.bsky.social", "sandbox-li-account-password");
    const created = await x.procedure("com.atproto.server.createAppPassword", { name: "New" }, account.accessJwt);
    sandbox.control.changePassword("nora");
    await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: "wrong-password-typed" });

    const secrets = sandbox.control.secrets();
    const expected = [ZOE_APP, s.accessJwt, s.refreshJwt, String(next.body?.refreshJwt), String(created.body?.password), sandbox.control.signInCode("ingrid")!];
    for (const secret of expected) expect(secrets).toContain(secret);
    const logs = JSON.stringify([sandbox.control.requestLog(), sandbox.control.controlLog()]);
    expect(sandbox.control.requestLog().length).toBeGreaterThan(5);
    for (const secret of [...secrets, "wrong-password-typed"]) expect(logs).not.toContain(secret);
    expect(JSON.stringify(sandbox.exportState().accessTokens)).not.toContain(s.accessJwt);
  });
});

describe("over HTTP", () => {
  let server: BlueskyServer;
  beforeAll(async () => {
    server = await startBlueskyServer({ port: 0, failedLoginDelayMs: 0 });
  });
  afterAll(() => server.close());

  it("links with a real fetch, and a held answer ends when the client times out", async () => {
    const x = xrpcClient((r) => fetch(r), server.url);
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    expect(s.didDoc.service[0]?.serviceEndpoint).toBe(server.url);
    server.sandbox.control.injectFault({ nsid: "app.bsky.actor.getProfile", timeout: true });
    await expect(fetch(`${server.url}/xrpc/app.bsky.actor.getProfile?actor=zoe.bsky.social`, { signal: AbortSignal.timeout(100) })).rejects.toThrow(/aborted due to timeout/);
    expect((await x.query("app.bsky.actor.getProfile", { actor: "zoe.bsky.social" })).status).toBe(200);
  });
});
