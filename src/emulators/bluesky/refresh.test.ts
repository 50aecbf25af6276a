import { describe, expect, it } from "vitest";
import { decodeJwt, xrpcClient } from "../../../tests/helpers/xrpc-client";
import { createBlueskySandbox, type BlueskySandboxOptions } from "./sandbox";

const REFRESH = "com.atproto.server.refreshSession";
const REVOKED = { error: "ExpiredToken", message: "Token has been revoked" };
const ZOE_APP = "k7dq-m2xa-p4wn-tz6b";
const HOUR = 3600_000;

const setup = (o: BlueskySandboxOptions = {}) => {
  const sandbox = createBlueskySandbox({ failedLoginDelayMs: 0, ...o });
  return { sandbox, x: xrpcClient(sandbox) };
};
const jti = (token: string) => decodeJwt(token).payload.jti;

describe("checklist 10: refreshSession rotation", () => {
  it("rotates to a new jti, keeps the login's scope, and replays the same next jti within the grace period", async () => {
    const { x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const first = await x.procedure(REFRESH, undefined, s.refreshJwt);
    expect(first.status).toBe(200);
    const next = first.body as { accessJwt: string; refreshJwt: string; did: string; handle: string; didDoc: unknown; active: boolean };
    expect(next).toMatchObject({ did: s.did, handle: "zoe.bsky.social", active: true });
    expect(jti(next.refreshJwt)).not.toBe(jti(s.refreshJwt));
    expect(decodeJwt(next.accessJwt).payload.scope).toBe("com.atproto.appPass");
    // A racing second worker with the old token lands on the same lineage.
    const replay = await x.procedure(REFRESH, undefined, s.refreshJwt);
    expect(replay.status).toBe(200);
    expect(jti(String(replay.body?.refreshJwt))).toBe(jti(next.refreshJwt));
    // The new token rotates onwards as usual.
    expect((await x.procedure(REFRESH, undefined, next.refreshJwt)).status).toBe(200);
  });

  it("revokes the used token once the grace period (default 2 h) has passed", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const next = String((await x.procedure(REFRESH, undefined, s.refreshJwt)).body?.refreshJwt);
    sandbox.control.advanceClock(2 * HOUR + 1000);
    expect(await x.procedure(REFRESH, undefined, s.refreshJwt)).toMatchObject({ status: 400, body: REVOKED });
    expect((await x.procedure(REFRESH, undefined, next)).status).toBe(200);
  });

  it("in strict mode (grace 0) a refresh token works exactly once", async () => {
    const { x } = setup({ refreshGraceMs: 0 });
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    expect((await x.procedure(REFRESH, undefined, s.refreshJwt)).status).toBe(200);
    expect(await x.procedure(REFRESH, undefined, s.refreshJwt)).toMatchObject({ status: 400, body: REVOKED });
  });

  it("says revoked after deleteSession, app-password revocation and a password change", async () => {
    const { sandbox, x } = setup();
    const a = await x.login("zoe.bsky.social", ZOE_APP);
    expect((await x.procedure("com.atproto.server.deleteSession", undefined, a.refreshJwt)).status).toBe(200);
    expect((await x.procedure(REFRESH, undefined, a.refreshJwt)).body).toEqual(REVOKED);

    const b = await x.login("zoe.bsky.social", ZOE_APP);
    const other = await x.login("zoe.bsky.social", "q3vr-h5ke-w2ny-c7lf");
    sandbox.control.revokeAppPassword("zoe", "Linkboard");
    expect((await x.procedure(REFRESH, undefined, b.refreshJwt)).body).toEqual(REVOKED);
    // Only that app password's sessions die.
    expect((await x.procedure(REFRESH, undefined, other.refreshJwt)).status).toBe(200);

    const c = await x.login("li.bsky.social", "m4ne-b2xq-t7ho-s3ia");
    sandbox.control.changePassword("li");
    expect((await x.procedure(REFRESH, undefined, c.refreshJwt)).body).toEqual(REVOKED);
  });

  it("answers AccountTakedown while taken down, and revoked after the account is restored", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    sandbox.control.takeDown("zoe");
    expect(await x.procedure(REFRESH, undefined, s.refreshJwt)).toMatchObject({ status: 401, body: { error: "AccountTakedown", message: "Account has been taken down" } });
    sandbox.control.restore("zoe");
    expect((await x.procedure(REFRESH, undefined, s.refreshJwt)).body).toEqual(REVOKED);
  });

  it("says expired (not revoked) after 90 days", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    sandbox.control.advanceClock(90 * 24 * HOUR);
    expect(await x.procedure(REFRESH, undefined, s.refreshJwt)).toMatchObject({ status: 400, body: { error: "ExpiredToken", message: "Token has expired" } });
  });

  it("refuses a refresh token the server never issued", async () => {
    const { x } = setup();
    const foreign = (await xrpcClient(createBlueskySandbox({ failedLoginDelayMs: 0 })).login("zoe.bsky.social", ZOE_APP)).refreshJwt;
    expect((await x.procedure(REFRESH, undefined, foreign)).body).toEqual({ error: "InvalidToken", message: "Token could not be verified" });
  });
});

describe("checklist 11: access tokens outlive revocation until exp (unless told otherwise)", () => {
  it("keeps an access token working after its app password is revoked, until its 2 h are up", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    sandbox.control.revokeAppPassword("zoe", "Linkboard");
    expect((await x.query("com.atproto.server.getSession", {}, s.accessJwt)).status).toBe(200);
    sandbox.control.advanceClock(2 * HOUR);
    expect((await x.query("com.atproto.server.getSession", {}, s.accessJwt)).body).toEqual({ error: "ExpiredToken", message: "Token has expired" });
  });

  it("kills access tokens at once with killAccessOnRevoke", async () => {
    const { sandbox, x } = setup({ killAccessOnRevoke: true });
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const other = await x.login("li.bsky.social", "m4ne-b2xq-t7ho-s3ia");
    sandbox.control.revokeAppPassword("zoe", "Linkboard");
    expect((await x.query("com.atproto.server.getSession", {}, s.accessJwt)).body).toEqual({ error: "ExpiredToken", message: "Token has expired" });
    expect((await x.query("com.atproto.server.getSession", {}, other.accessJwt)).status).toBe(200);
  });
});

describe("checklist 12: control actions", () => {
  it("deleting an app password stops it logging in", async () => {
    const { sandbox, x } = setup();
    expect(sandbox.control.revokeAppPassword("zoe", "Linkboard")).toBe(true);
    expect(await x.procedure("com.atproto.server.createSession", { identifier: "zoe.bsky.social", password: ZOE_APP })).toMatchObject({
      status: 401,
      body: { error: "AuthenticationRequired", message: "Invalid identifier or password" },
    });
    expect(sandbox.control.personas().find((p) => p.id === "zoe")?.quickConnect?.appPassword).toBe("q3vr-h5ke-w2ny-c7lf");
  });

  it("a password change kills every refresh token but app passwords still log in", async () => {
    const { sandbox, x } = setup();
    const byAccount = await x.login("li.bsky.social", "sandbox-li-account-password");
    const byApp = await x.login("li.bsky.social", "m4ne-b2xq-t7ho-s3ia");
    const fresh = sandbox.control.changePassword("li", "a-new-password-for-li");
    expect(fresh).toBe("a-new-password-for-li");
    for (const s of [byAccount, byApp]) expect((await x.procedure(REFRESH, undefined, s.refreshJwt)).body).toEqual(REVOKED);
    expect((await x.procedure("com.atproto.server.createSession", { identifier: "li.bsky.social", password: "sandbox-li-account-password" })).status).toBe(401);
    expect((await x.procedure("com.atproto.server.createSession", { identifier: "li.bsky.social", password: "m4ne-b2xq-t7ho-s3ia" })).status).toBe(200);
    expect((await x.procedure("com.atproto.server.createSession", { identifier: "li.bsky.social", password: fresh })).status).toBe(200);
  });

  it("a takedown refuses logins and profile reads", async () => {
    const { sandbox, x } = setup();
    sandbox.control.takeDown("li");
    expect((await x.procedure("com.atproto.server.createSession", { identifier: "li.bsky.social", password: "sandbox-li-account-password" })).body?.error).toBe("AccountTakedown");
    expect((await x.query("app.bsky.actor.getProfile", { actor: "li.bsky.social" })).body).toEqual({ error: "AccountTakedown", message: "Account has been suspended" });
  });
});
