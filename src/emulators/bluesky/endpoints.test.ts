import { describe, expect, it } from "vitest";
import { decodeJwt, xrpcClient } from "../../../tests/helpers/xrpc-client";
import { createBlueskySandbox } from "./sandbox";

const setup = () => {
  const sandbox = createBlueskySandbox({ failedLoginDelayMs: 0 });
  return { sandbox, x: xrpcClient(sandbox) };
};
const ZOE_APP = "k7dq-m2xa-p4wn-tz6b";
const post = (text: string, extra: Record<string, unknown> = {}) => ({ $type: "app.bsky.feed.post", text, createdAt: "2026-11-30T12:00:00.000Z", ...extra });

describe("checklist 13: session and account endpoints", () => {
  it("getSession returns the account without tokens", async () => {
    const { x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const res = await x.query("com.atproto.server.getSession", {}, s.accessJwt);
    expect(res.body).toMatchObject({ did: s.did, handle: "zoe.bsky.social", email: "zoe@example.org", active: true });
    expect(res.body).not.toHaveProperty("accessJwt");
  });

  it("deleteSession answers an empty 200, also for an expired refresh token", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    sandbox.control.advanceClock(91 * 86_400_000);
    const res = await x.procedure("com.atproto.server.deleteSession", undefined, s.refreshJwt);
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
    expect((await x.procedure("com.atproto.server.deleteSession", undefined, s.accessJwt)).body).toEqual({ error: "InvalidToken", message: "Token could not be verified" });
  });

  it("describeServer and resolveHandle", async () => {
    const { sandbox, x } = setup();
    expect((await x.query("com.atproto.server.describeServer")).body).toMatchObject({ did: "did:web:pds.bsky.sandbox", availableUserDomains: [".bsky.social"], inviteCodeRequired: false });
    expect((await x.query("com.atproto.identity.resolveHandle", { handle: "li.bsky.social" })).body).toEqual({ did: sandbox.control.personas().find((p) => p.id === "li")!.did });
    expect(await x.query("com.atproto.identity.resolveHandle", { handle: "ghost.bsky.social" })).toMatchObject({ status: 400, body: { error: "InvalidRequest", message: "Unable to resolve handle" } });
  });

  it("creates app passwords only from account-password logins; lists without secrets; revokes", async () => {
    const { x } = setup();
    const account = await x.login("zoe.bsky.social", "sandbox-zoe-account-password");
    const created = await x.procedure("com.atproto.server.createAppPassword", { name: "Scheduler", privileged: true }, account.accessJwt);
    expect(created.body).toMatchObject({ name: "Scheduler", privileged: true, password: expect.stringMatching(/^([a-z2-7]{4}-){3}[a-z2-7]{4}$/) });
    const login = await x.login("zoe.bsky.social", String(created.body?.password));
    expect(decodeJwt(login.accessJwt).payload.scope).toBe("com.atproto.appPassPrivileged");
    const list = await x.query("com.atproto.server.listAppPasswords", {}, login.accessJwt);
    expect((list.body?.passwords as { name: string }[]).map((p) => p.name)).toEqual(["Linkboard", "Linkboard (privileged)", "Scheduler"]);
    expect(JSON.stringify(list.body)).not.toContain(String(created.body?.password));
    expect((await x.procedure("com.atproto.server.revokeAppPassword", { name: "Scheduler" }, login.accessJwt)).status).toBe(200);
    expect((await x.procedure("com.atproto.server.createSession", { identifier: "zoe.bsky.social", password: String(created.body?.password) })).status).toBe(401);
    expect((await x.procedure("com.atproto.server.createAppPassword", { name: "again" }, login.accessJwt)).body).toEqual({ error: "InvalidToken", message: "Bad token scope" });
  });
});

describe("checklist 14: getProfile", () => {
  it("reads a profile by DID or handle without auth, with counts and working image URLs", async () => {
    const { sandbox, x } = setup();
    const zoe = sandbox.control.personas().find((p) => p.id === "zoe")!;
    const byHandle = await x.query("app.bsky.actor.getProfile", { actor: "zoe.bsky.social" });
    const byDid = await x.query("app.bsky.actor.getProfile", { actor: zoe.did });
    expect(byDid.body).toEqual(byHandle.body);
    expect(byHandle.body).toMatchObject({ did: zoe.did, handle: "zoe.bsky.social", displayName: zoe.displayName, followersCount: 1204, followsCount: 311, postsCount: 87, labels: [] });
    expect(byHandle.body).not.toHaveProperty("viewer");
    for (const kind of ["avatar", "banner"]) {
      const url = String(byHandle.body?.[kind]);
      expect(url).toMatch(new RegExp(`^http://bsky.test/img/${kind}/plain/${zoe.did}/bafkrei[a-z2-7]+@svg$`));
      const img = await sandbox(new Request(url));
      expect(img.status).toBe(200);
      expect(img.headers.get("content-type")).toBe("image/svg+xml");
    }
  });

  it("adds viewer with auth, and leaves out what a bare profile lacks", async () => {
    const { x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    expect((await x.query("app.bsky.actor.getProfile", { actor: "li.bsky.social" }, s.accessJwt)).body).toMatchObject({ displayName: "李小龙", viewer: { muted: false, blockedBy: false } });
    const nora = (await x.query("app.bsky.actor.getProfile", { actor: "nora.example.com" })).body!;
    expect(Object.keys(nora)).not.toEqual(expect.arrayContaining(["displayName"]));
    expect(nora).not.toHaveProperty("avatar");
    expect(nora).toMatchObject({ handle: "nora.example.com", postsCount: 0 });
  });

  it("counts new posts", async () => {
    const { x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    await x.procedure("com.atproto.repo.createRecord", { repo: s.did, collection: "app.bsky.feed.post", record: post("Olá 👋") }, s.accessJwt);
    expect((await x.query("app.bsky.actor.getProfile", { actor: s.did })).body?.postsCount).toBe(88);
  });

  it.each([
    ["ghost.bsky.social", "InvalidRequest", "Profile not found"],
    ["not a handle!", "InvalidRequest", "Error: actor must be a valid did or a handle"],
    ["tomas.bsky.social", "AccountTakedown", "Account has been suspended"],
    ["dagny.bsky.social", "AccountDeactivated", "Account is deactivated"],
  ])("refuses %s with 400 %s", async (actor, error, message) => {
    const { x } = setup();
    expect(await x.query("app.bsky.actor.getProfile", { actor })).toMatchObject({ status: 400, body: { error, message } });
  });
});

describe("checklist 15: createRecord and listRecords", () => {
  it("creates a post with a TID rkey, an at:// URI, CIDs, a commit and validationStatus", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const res = await x.procedure("com.atproto.repo.createRecord", { repo: "zoe.bsky.social", collection: "app.bsky.feed.post", record: { text: "Olá 👋", createdAt: "2026-11-30T12:00:00.000Z" } }, s.accessJwt);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      uri: expect.stringMatching(new RegExp(`^at://${s.did}/app\\.bsky\\.feed\\.post/[234567abcdefghij][234567a-z]{12}$`)),
      cid: expect.stringMatching(/^bafyrei[a-z2-7]{52}$/),
      commit: { cid: expect.stringMatching(/^bafyrei/), rev: expect.stringMatching(/^[234567a-z]{13}$/) },
      validationStatus: "valid",
    });
    const [record] = sandbox.control.records("zoe");
    expect(record?.value).toEqual({ text: "Olá 👋", createdAt: "2026-11-30T12:00:00.000Z", $type: "app.bsky.feed.post" });
  });

  it("checks the post lexicon: required fields, 300 graphemes, 3000 UTF-8 bytes, $type", async () => {
    const { x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const create = (record: unknown) => x.procedure("com.atproto.repo.createRecord", { repo: s.did, collection: "app.bsky.feed.post", record }, s.accessJwt);
    const family = "👩‍👩‍👧‍👦";
    const cases: [unknown, string][] = [
      [{ text: "hi" }, 'Invalid app.bsky.feed.post record: Record must have the property "createdAt"'],
      [{ createdAt: "2026-11-30T12:00:00.000Z" }, 'Invalid app.bsky.feed.post record: Record must have the property "text"'],
      [post("a".repeat(301)), "Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"],
      [post(family.repeat(200)), "Invalid app.bsky.feed.post record: Record/text must not be longer than 3000 characters"],
      [post("hi", { $type: "app.bsky.feed.like" }), "Invalid $type: expected app.bsky.feed.post, got app.bsky.feed.like"],
    ];
    for (const [record, message] of cases) expect((await create(record)).body).toEqual({ error: "InvalidRequest", message });
    expect((await create(post("a".repeat(300)))).status).toBe(200);
    expect((await create(post(family.repeat(100)))).status).toBe(200);
  });

  it("writes only to the token's own repo", async () => {
    const { x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    const to = (repo: string) => x.procedure("com.atproto.repo.createRecord", { repo, collection: "app.bsky.feed.post", record: post("hi") }, s.accessJwt);
    expect(await to("li.bsky.social")).toMatchObject({ status: 401, body: { error: "AuthenticationRequired" } });
    expect(await to("ghost.bsky.social")).toMatchObject({ status: 403, body: { error: "AccountNotFound" } });
  });

  it("refuses writes from deactivated and taken-down accounts", async () => {
    const { sandbox, x } = setup();
    const dagny = await x.login("dagny.bsky.social", "w5ri-a3kn-g7ep-v2dx");
    expect((await x.procedure("com.atproto.repo.createRecord", { repo: dagny.did, collection: "app.bsky.feed.post", record: post("hi") }, dagny.accessJwt)).body).toEqual({
      error: "AccountDeactivated",
      message: "Account is deactivated",
    });
    const zoe = await x.login("zoe.bsky.social", ZOE_APP);
    sandbox.control.takeDown("zoe");
    expect(await x.procedure("com.atproto.repo.createRecord", { repo: zoe.did, collection: "app.bsky.feed.post", record: post("hi") }, zoe.accessJwt)).toMatchObject({
      status: 401,
      body: { error: "AccountTakedown" },
    });
  });

  it("lists records newest first with a cursor, and a chosen rkey makes a retry fail instead of duplicating", async () => {
    const { sandbox, x } = setup();
    const s = await x.login("zoe.bsky.social", ZOE_APP);
    for (const text of ["one", "two", "three"]) {
      await x.procedure("com.atproto.repo.createRecord", { repo: s.did, collection: "app.bsky.feed.post", record: post(text) }, s.accessJwt);
      sandbox.control.advanceClock(1000);
    }
    const page1 = await x.query("com.atproto.repo.listRecords", { repo: s.did, collection: "app.bsky.feed.post", limit: "2" });
    expect((page1.body?.records as { value: { text: string } }[]).map((r) => r.value.text)).toEqual(["three", "two"]);
    const page2 = await x.query("com.atproto.repo.listRecords", { repo: s.did, collection: "app.bsky.feed.post", limit: "2", cursor: String(page1.body?.cursor) });
    expect((page2.body?.records as { value: { text: string } }[]).map((r) => r.value.text)).toEqual(["one"]);
    expect(page2.body).not.toHaveProperty("cursor");
    const rkey = "3lbq2xyzabc22";
    const body = { repo: s.did, collection: "app.bsky.feed.post", rkey, record: post("once") };
    expect((await x.procedure("com.atproto.repo.createRecord", body, s.accessJwt)).status).toBe(200);
    expect((await x.procedure("com.atproto.repo.createRecord", body, s.accessJwt)).body).toEqual({ error: "InvalidRequest", message: "Record already exists" });
    expect((await x.query("com.atproto.repo.listRecords", { repo: s.did, collection: "app.bsky.feed.post", limit: "101" })).body?.message).toBe("Params/limit can not be greater than 100");
  });
});
