import { describe, expect, it } from "vitest";
import { decodeJwt, xrpcClient } from "../../../tests/helpers/xrpc-client";
import { personaDid } from "./personas";
import { createBlueskySandbox } from "./sandbox";

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const setup = () => {
  const sandbox = createBlueskySandbox({ failedLoginDelayMs: 0, now: () => T0, basePath: "/pds" });
  return { sandbox, x: xrpcClient(sandbox, "http://bsky.test/pds") };
};
const persona = (sandbox: ReturnType<typeof setup>["sandbox"], id: string) => sandbox.control.personas().find((p) => p.id === id)!;
const CREATE = "com.atproto.server.createSession";
const INVALID = { error: "AuthenticationRequired", message: "Invalid identifier or password" };
const graphemes = (s: string) => [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)].length;

describe("checklist 3: createSession takes a handle, email or DID with the account or an app password", () => {
  it("logs in by handle, email (any case) and DID, with the account password or any app password", async () => {
    const { sandbox, x } = setup();
    const zoe = persona(sandbox, "zoe");
    for (const identifier of ["zoe.bsky.social", "ZOE.BSKY.SOCIAL", "Zoe@Example.org", zoe.did]) {
      for (const password of [zoe.password, ...zoe.appPasswords.map((p) => p.password)]) {
        const res = await x.procedure(CREATE, { identifier, password });
        expect(res.status, `${identifier} / ${password}`).toBe(200);
        expect(res.body).toMatchObject({ did: zoe.did, handle: "zoe.bsky.social" });
      }
    }
  });

  it("answers an @handle, an unknown identifier and a wrong password identically", async () => {
    const { x } = setup();
    const answers = await Promise.all([
      x.procedure(CREATE, { identifier: "@zoe.bsky.social", password: "k7dq-m2xa-p4wn-tz6b" }),
      x.procedure(CREATE, { identifier: "nobody.bsky.social", password: "k7dq-m2xa-p4wn-tz6b" }),
      x.procedure(CREATE, { identifier: "zoe.bsky.social", password: "wrong-password" }),
    ]);
    for (const a of answers) expect(a).toMatchObject({ status: 401, body: INVALID });
  });

  it("waits before answering a failed login, as the PDS does", async () => {
    const x = xrpcClient(createBlueskySandbox({ failedLoginDelayMs: 60 }));
    const started = performance.now();
    expect((await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: "wrong" })).status).toBe(401);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("refuses a password over the server's length limit with its own message", async () => {
    const { x } = setup();
    expect((await x.procedure(CREATE, { identifier: "zoe.bsky.social", password: "x".repeat(513) })).body).toEqual({
      error: "AuthenticationRequired",
      message: "Password too long. Consider resetting your password.",
    });
  });
});

describe("checklist 4: seeded accounts", () => {
  it("has app passwords shaped xxxx-xxxx-xxxx-xxxx (a–z, 2–7), one of them privileged", () => {
    const { sandbox } = setup();
    const all = sandbox.control.personas().flatMap((p) => p.appPasswords);
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const p of all) expect(p.password).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    expect(all.filter((p) => p.privileged)).toHaveLength(1);
  });

  it("has a long non-ASCII display name with emoji, CJK, a 2FA, a taken-down and a deactivated account", () => {
    const { sandbox } = setup();
    const zoe = persona(sandbox, "zoe").displayName!;
    expect(graphemes(zoe)).toBeGreaterThan(50);
    expect(graphemes(zoe)).toBeLessThanOrEqual(64);
    expect(zoe).toMatch(/\p{Extended_Pictographic}/u);
    expect(zoe).toContain("\u200d");
    expect(persona(sandbox, "li").displayName).toBe("李小龙");
    expect(persona(sandbox, "ingrid").emailAuthFactor).toBe(true);
    expect(persona(sandbox, "tomas").status).toBe("takendown");
    expect(persona(sandbox, "dagny").status).toBe("deactivated");
    expect(persona(sandbox, "zoe").quickConnect).toEqual({ identifier: "zoe.bsky.social", appPassword: "k7dq-m2xa-p4wn-tz6b" });
  });

  it("gives every account a did:plc of 24 base32 characters", () => {
    const { sandbox } = setup();
    for (const p of sandbox.control.personas()) {
      expect(p.did).toMatch(/^did:plc:[a-z2-7]{24}$/);
      expect(p.did).toBe(personaDid(p.id));
    }
  });
});

describe("checklist 5: the createSession body", () => {
  it("carries the didDoc pointing back at the sandbox, the email fields and active without status", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", "k7dq-m2xa-p4wn-tz6b");
    expect(s).toMatchObject({
      did: persona(sandbox, "zoe").did,
      handle: "zoe.bsky.social",
      email: "zoe@example.org",
      emailConfirmed: true,
      emailAuthFactor: false,
      active: true,
    });
    expect(s).not.toHaveProperty("status");
    expect(s.didDoc.service).toEqual([{ id: "#atproto_pds", type: "AtprotoPersonalDataServer", serviceEndpoint: "http://bsky.test/pds" }]);
    expect(s.didDoc).toMatchObject({ id: s.did, alsoKnownAs: ["at://zoe.bsky.social"] });
  });

  it("says active: false and the status for a deactivated account, which still logs in", async () => {
    const { x } = setup();
    const s = await x.login("dagny.bsky.social", "w5ri-a3kn-g7ep-v2dx");
    expect(s).toMatchObject({ active: false, status: "deactivated" });
  });
});

describe("checklist 6: JWTs", () => {
  it("signs access tokens at+jwt with the login kind's scope, 120 minutes, no jti", async () => {
    const { sandbox, x } = setup();
    const zoe = persona(sandbox, "zoe");
    const kinds: [string, string][] = [
      [zoe.password, "com.atproto.access"],
      ["k7dq-m2xa-p4wn-tz6b", "com.atproto.appPass"],
      ["q3vr-h5ke-w2ny-c7lf", "com.atproto.appPassPrivileged"],
    ];
    for (const [password, scope] of kinds) {
      const s = await x.login("zoe.bsky.social", password);
      const { header, payload } = decodeJwt(s.accessJwt);
      expect(header).toEqual({ typ: "at+jwt", alg: "HS256" });
      expect(payload).toEqual({ scope, aud: "did:web:pds.bsky.sandbox", sub: zoe.did, iat: T0 / 1000, exp: T0 / 1000 + 7200 });
    }
  });

  it("signs refresh tokens refresh+jwt with a jti and a 90-day expiry, on the virtual clock", async () => {
    const { sandbox, x } = setup();
    sandbox.control.advanceClock(86_400_000);
    const s = await x.login("zoe.bsky.social", "k7dq-m2xa-p4wn-tz6b");
    const { header, payload } = decodeJwt(s.refreshJwt);
    expect(header).toEqual({ typ: "refresh+jwt", alg: "HS256" });
    const iat = T0 / 1000 + 86_400;
    expect(payload).toMatchObject({ scope: "com.atproto.refresh", aud: "did:web:pds.bsky.sandbox", sub: persona(sandbox, "zoe").did, iat, exp: iat + 90 * 86_400 });
    expect(payload.jti).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/));
    const again = decodeJwt((await x.login("zoe.bsky.social", "k7dq-m2xa-p4wn-tz6b")).refreshJwt).payload;
    expect(again.jti).not.toBe(payload.jti);
  });
});

describe("checklist 7: email 2FA", () => {
  it("asks for a sign-in code on the account password, checks it, and lets app passwords through", async () => {
    const { sandbox, x } = setup();
    const ingrid = persona(sandbox, "ingrid");
    const first = await x.procedure(CREATE, { identifier: "ingrid.bsky.social", password: ingrid.password });
    expect(first).toMatchObject({ status: 401, body: { error: "AuthFactorTokenRequired", message: "A sign in code has been sent to your email address" } });
    const code = sandbox.control.signInCode("ingrid");
    expect(code).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    const wrong = await x.procedure(CREATE, { identifier: "ingrid.bsky.social", password: ingrid.password, authFactorToken: "AAAAA-BBBBB" });
    expect(wrong).toMatchObject({ status: 400, body: { error: "InvalidToken", message: "Token is invalid" } });
    const ok = await x.procedure(CREATE, { identifier: "ingrid.bsky.social", password: ingrid.password, authFactorToken: code!.toLowerCase() });
    expect(ok.status).toBe(200);
    expect(decodeJwt(String(ok.body?.accessJwt)).payload.scope).toBe("com.atproto.access");
    // An app password never sees 2FA.
    expect((await x.procedure(CREATE, { identifier: "ingrid.bsky.social", password: "d2sa-x7jc-o3ve-n5gr" })).status).toBe(200);
  });

  it("refuses an expired sign-in code", async () => {
    const { sandbox, x } = setup();
    const { password } = persona(sandbox, "ingrid");
    await x.procedure(CREATE, { identifier: "ingrid.bsky.social", password });
    const code = sandbox.control.signInCode("ingrid")!;
    sandbox.control.advanceClock(16 * 60_000);
    expect(await x.procedure(CREATE, { identifier: "ingrid.bsky.social", password, authFactorToken: code })).toMatchObject({
      status: 400,
      body: { error: "ExpiredToken", message: "Token is expired" },
    });
  });
});

describe("checklist 8: taken-down accounts", () => {
  it("refuses the account password with AccountTakedown and the app password as invalid", async () => {
    const { sandbox, x } = setup();
    const tomas = persona(sandbox, "tomas");
    expect(await x.procedure(CREATE, { identifier: "tomas.bsky.social", password: tomas.password })).toMatchObject({
      status: 401,
      body: { error: "AccountTakedown", message: "Account has been taken down" },
    });
    expect(await x.procedure(CREATE, { identifier: "tomas.bsky.social", password: "h3lt-p6ma-e2zu-c4wy" })).toMatchObject({ status: 401, body: INVALID });
  });

  it("gives narrow com.atproto.takendown tokens with allowTakendown, refused elsewhere with Bad token scope", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("tomas.bsky.social", persona(sandbox, "tomas").password, { allowTakendown: true });
    expect(decodeJwt(s.accessJwt).payload.scope).toBe("com.atproto.takendown");
    expect(s).toMatchObject({ active: false, status: "takendown" });
    expect((await x.query("com.atproto.server.getSession", {}, s.accessJwt)).body).toMatchObject({ status: "takendown", active: false });
    expect((await x.query("com.atproto.server.listAppPasswords", {}, s.accessJwt)).body).toEqual({ error: "InvalidToken", message: "Bad token scope" });
  });
});
