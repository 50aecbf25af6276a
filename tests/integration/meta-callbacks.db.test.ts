import { createHash, createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_APP } from "@/emulators/meta";
import type { Db } from "@/server/db";
import { snapshotUser } from "@/server/connections/db-test-kit";
import { sandboxKit, seedConnection, type SandboxKit, type SeededConnection } from "@/server/health/sandbox-kit";
import { getDataDeletionRequest, hashMetaUserId } from "@/server/meta-callbacks/delete-meta-user-data";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db";
import { useAppEnv } from "../helpers/app-env";

let tdb: TestDatabase;
let db: Db;
let deauthorize: (request: Request) => Promise<Response>;
let dataDeletion: (request: Request) => Promise<Response>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  useAppEnv(tdb.url, { META_SANDBOX: "1", AUTH_URL: "https://app.example.com" });
  ({ POST: deauthorize } = await import("@/app/api/meta/deauthorize/route"));
  ({ POST: dataDeletion } = await import("@/app/api/meta/data-deletion/route"));
  db = (await import("@/server/db")).db();
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.close();
});

const form = (path: string, signed: string | null, extra: Record<string, string> = {}) =>
  new Request(`https://app.example.com${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...extra },
    body: signed === null ? "" : new URLSearchParams({ signed_request: signed }).toString(),
  });

function sign(payload: Record<string, unknown>, secret: string = DEFAULT_APP.appSecret) {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${createHmac("sha256", secret).update(body).digest("base64url")}.${body}`;
}

let seedNo = 40;
/** Owner A has solo + agency linked; owner B has pages. Each test gets its own sandbox ids. */
async function world(): Promise<{ kit: SandboxKit; soloOfA: SeededConnection; agencyOfA: SeededConnection; pagesOfB: SeededConnection }> {
  const kit = sandboxKit({ seed: ++seedNo });
  const soloOfA = await seedConnection(db, kit, { persona: "solo", adAccounts: 3 });
  const agencyOfA = await seedConnection(db, kit, { persona: "agency", adAccounts: 2 });
  // Same Linkboard user for both Facebook identities.
  await db.metaConnection.update({ where: { id: agencyOfA.connectionId }, data: { userId: soloOfA.userId } });
  await db.account.update({ where: { id: agencyOfA.accountId }, data: { userId: soloOfA.userId } });
  await db.metaAdAccount.updateMany({ where: { connectionId: agencyOfA.connectionId }, data: { userId: soloOfA.userId } });
  const pagesOfB = await seedConnection(db, kit, { persona: "pages", adAccounts: 1 });
  return { kit, soloOfA, agencyOfA, pagesOfB: pagesOfB };
}

const rowsOf = async (connectionId: string) => ({
  connection: await db.metaConnection.findUnique({ where: { id: connectionId } }),
  adAccounts: await db.metaAdAccount.count({ where: { connectionId } }),
});

describe("POST /api/meta/deauthorize", () => {
  it("revokes that Facebook user's connection, deletes its tokens and audits it; others untouched", async () => {
    const w = await world();
    const otherBefore = await snapshotUser(tdb.url, w.pagesOfB.userId);
    const response = await deauthorize(form("/api/meta/deauthorize", w.kit.sandbox.control.callbackSignedRequest("solo", "deauthorize")));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect((await rowsOf(w.soloOfA.connectionId)).connection).toMatchObject({ status: "revoked", lastErrorSubcode: 458 });
    const account = await db.account.findUniqueOrThrow({ where: { id: w.soloOfA.accountId } });
    expect(account).toMatchObject({ access_token: null, refresh_token: null, id_token: null });
    expect((await rowsOf(w.agencyOfA.connectionId)).connection?.status).toBe("connected");
    expect((await db.account.findUniqueOrThrow({ where: { id: w.agencyOfA.accountId } })).access_token).toBe(w.agencyOfA.token);
    expect(await snapshotUser(tdb.url, w.pagesOfB.userId)).toEqual(otherBefore);
    const audit = await db.auditEvent.findMany({ where: { connectionId: w.soloOfA.connectionId } });
    expect(audit.map((e) => [e.action, e.actorId, e.userId])).toEqual([["deauthorized", null, w.soloOfA.userId]]);

    // Meta retries: a second delivery changes nothing and audits nothing more.
    const again = await deauthorize(form("/api/meta/deauthorize", w.kit.sandbox.control.callbackSignedRequest("solo", "deauthorize")));
    expect(again.status).toBe(200);
    expect(await db.auditEvent.count({ where: { connectionId: w.soloOfA.connectionId } })).toBe(1);
  });

  const refusals: [string, (w: Awaited<ReturnType<typeof world>>) => string | null, number][] = [
    ["a bad signature", (w) => sign({ algorithm: "HMAC-SHA256", user_id: w.soloOfA.metaUserId, issued_at: Math.floor(Date.now() / 1000) }, "not-the-secret"), 403],
    ["a wrong algorithm", (w) => sign({ algorithm: "HMAC-SHA1", user_id: w.soloOfA.metaUserId, issued_at: Math.floor(Date.now() / 1000) }), 400],
    ["a stale issued_at", (w) => sign({ algorithm: "HMAC-SHA256", user_id: w.soloOfA.metaUserId, issued_at: Math.floor(Date.now() / 1000) - 7200 }), 400],
    ["no signed_request", () => null, 400],
  ];
  it.each(refusals)("refuses %s and changes nothing", async (_label, make, status) => {
    const w = await world();
    const before = await snapshotUser(tdb.url, w.soloOfA.userId);
    const response = await deauthorize(form("/api/meta/deauthorize", make(w)));
    expect(response.status).toBe(status);
    expect((await response.json()).error.code).toBe(status === 403 ? "FORBIDDEN" : "VALIDATION_ERROR");
    expect(await snapshotUser(tdb.url, w.soloOfA.userId)).toEqual(before);
  });

  it("needs no Origin or cookie (Meta calls it server to server) but does need the signature", async () => {
    const w = await world();
    const signed = w.kit.sandbox.control.callbackSignedRequest("pages", "deauthorize");
    const response = await deauthorize(form("/api/meta/deauthorize", signed, { origin: "https://www.facebook.com" }));
    expect(response.status).toBe(200);
  });
});

describe("POST /api/meta/data-deletion", () => {
  it("deletes that Facebook user's tokens, connection and ad accounts, nothing of anyone else's, and answers {url, confirmation_code}", async () => {
    const w = await world();
    const otherBefore = await snapshotUser(tdb.url, w.pagesOfB.userId);
    const agencyBefore = await rowsOf(w.agencyOfA.connectionId);
    const response = await dataDeletion(form("/api/meta/data-deletion", w.kit.sandbox.control.callbackSignedRequest("solo", "data_deletion")));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ url: `https://app.example.com/meta/data-deletion/${body.confirmation_code}`, confirmation_code: expect.stringMatching(/^[a-f0-9]{24}$/) });

    expect(await rowsOf(w.soloOfA.connectionId)).toEqual({ connection: null, adAccounts: 0 });
    expect(await db.account.findUnique({ where: { id: w.soloOfA.accountId } })).toBeNull();
    expect(await db.account.count({ where: { provider: "facebook", providerAccountId: w.soloOfA.metaUserId } })).toBe(0);
    // The same Linkboard user's other Facebook identity, the user row, and the other user: intact.
    expect(await rowsOf(w.agencyOfA.connectionId)).toEqual(agencyBefore);
    expect(await db.user.findUnique({ where: { id: w.soloOfA.userId } })).not.toBeNull();
    expect(await snapshotUser(tdb.url, w.pagesOfB.userId)).toEqual(otherBefore);

    const status = await getDataDeletionRequest(db, body.confirmation_code);
    expect(status).toMatchObject({ status: "completed", connectionsDeleted: 1, adAccountsDeleted: 3, tokensDeleted: 1 });
    const stored = await db.metaDataDeletionRequest.findUniqueOrThrow({ where: { confirmationCode: body.confirmation_code } });
    expect(JSON.stringify(stored)).not.toContain(w.soloOfA.metaUserId);
    // Keyed with a server secret: not the plain hash anyone could compute from a guessed id.
    expect(stored.metaUserIdHash).not.toBe(createHash("sha256").update(`meta-user:${w.soloOfA.metaUserId}`).digest("hex"));
    expect(stored.metaUserIdHash).toMatch(/^hmac-sha256:[a-f0-9]{64}$/);
    expect(stored.metaUserIdHash).toBe(hashMetaUserId(w.soloOfA.metaUserId, process.env.AUTH_SECRET!));
    expect(hashMetaUserId(w.soloOfA.metaUserId, "another-secret-of-at-least-32-characters")).not.toBe(stored.metaUserIdHash);
    const audit = await db.auditEvent.findMany({ where: { connectionId: w.soloOfA.connectionId } });
    expect(audit.map((e) => e.action)).toEqual(["data_deleted"]);
  });

  it("refuses a bad signature and deletes nothing", async () => {
    const w = await world();
    const before = await snapshotUser(tdb.url, w.soloOfA.userId);
    const bad = sign({ algorithm: "HMAC-SHA256", user_id: w.soloOfA.metaUserId, issued_at: Math.floor(Date.now() / 1000) }, "wrong");
    expect((await dataDeletion(form("/api/meta/data-deletion", bad))).status).toBe(403);
    expect(await snapshotUser(tdb.url, w.soloOfA.userId)).toEqual(before);
  });

  it("shows the request on its status page and 404s an unknown code", async () => {
    const w = await world();
    const response = await dataDeletion(form("/api/meta/data-deletion", w.kit.sandbox.control.callbackSignedRequest("agency", "data_deletion")));
    const { confirmation_code } = await response.json();
    const { default: Page } = await import("@/app/meta/data-deletion/[code]/page");
    const html = JSON.stringify(await Page({ params: Promise.resolve({ code: confirmation_code }) }));
    expect(html).toContain(confirmation_code);
    expect(html).toContain("Completed");
    await expect(Page({ params: Promise.resolve({ code: "0".repeat(24) }) })).rejects.toThrow();
    await expect(Page({ params: Promise.resolve({ code: "../../etc" }) })).rejects.toThrow();
  });
});

describe("replayed callbacks", () => {
  afterEach(() => vi.useRealTimers());
  const nowSec = () => Math.floor(Date.now() / 1000);

  it("ignore a deauthorize signed before the connection was last linked, keeping the newer link", async () => {
    const w = await world();
    // Signed ten minutes ago (still within the accepted age); the owner re-linked since.
    const old = sign({ algorithm: "HMAC-SHA256", user_id: w.soloOfA.metaUserId, issued_at: nowSec() - 600 });
    await db.metaConnection.update({ where: { id: w.soloOfA.connectionId }, data: { linkedAt: new Date(Date.now() - 60_000) } });
    const before = await snapshotUser(tdb.url, w.soloOfA.userId);
    const response = await deauthorize(form("/api/meta/deauthorize", old));
    expect(response.status).toBe(200);
    expect(await snapshotUser(tdb.url, w.soloOfA.userId)).toEqual(before);
    expect((await db.account.findUniqueOrThrow({ where: { id: w.soloOfA.accountId } })).access_token).toBe(w.soloOfA.token);
  });

  it("ignore a data deletion signed before the last link: the newer link and its data stay", async () => {
    const w = await world();
    const old = sign({ algorithm: "HMAC-SHA256", user_id: w.soloOfA.metaUserId, issued_at: nowSec() - 600, expires: nowSec() + 3000 });
    await db.metaConnection.update({ where: { id: w.soloOfA.connectionId }, data: { linkedAt: new Date(Date.now() - 60_000) } });
    const before = await rowsOf(w.soloOfA.connectionId);
    const response = await dataDeletion(form("/api/meta/data-deletion", old));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(await rowsOf(w.soloOfA.connectionId)).toEqual(before);
    expect(await getDataDeletionRequest(db, body.confirmation_code)).toMatchObject({ connectionsDeleted: 0, adAccountsDeleted: 0, tokensDeleted: 0 });
  });

  it("run a signed_request once: the same one again answers as the first time and changes nothing", async () => {
    const w = await world();
    const signed = w.kit.sandbox.control.callbackSignedRequest("solo", "data_deletion");
    const first = await (await dataDeletion(form("/api/meta/data-deletion", signed))).json();
    const requests = await db.metaDataDeletionRequest.count();
    const audits = await db.auditEvent.count();
    const again = await dataDeletion(form("/api/meta/data-deletion", signed));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(await db.metaDataDeletionRequest.count()).toBe(requests);
    expect(await db.auditEvent.count()).toBe(audits);

    const deauth = w.kit.sandbox.control.callbackSignedRequest("agency", "deauthorize");
    expect(await (await deauthorize(form("/api/meta/deauthorize", deauth))).json()).toEqual({ ok: true });
    // The owner re-links; the recorded deauthorize replayed later leaves the new link alone.
    await db.metaConnection.update({ where: { id: w.agencyOfA.connectionId }, data: { status: "connected", linkedAt: new Date() } });
    await db.account.update({ where: { id: w.agencyOfA.accountId }, data: { access_token: "EAAB-new-token" } });
    expect((await deauthorize(form("/api/meta/deauthorize", deauth))).status).toBe(200);
    expect((await db.metaConnection.findUniqueOrThrow({ where: { id: w.agencyOfA.connectionId } })).status).toBe("connected");
    expect((await db.account.findUniqueOrThrow({ where: { id: w.agencyOfA.accountId } })).access_token).toBe("EAAB-new-token");
  });

  it("forget processed signatures once they are too old to be accepted anyway", async () => {
    const w = await world();
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = Date.now();
    await deauthorize(form("/api/meta/deauthorize", w.kit.sandbox.control.callbackSignedRequest("pages", "deauthorize")));
    const remembered = await db.metaCallbackReceipt.count();
    expect(remembered).toBeGreaterThan(0);
    // Past the maximum age (and the allowed clock skew), a later callback clears the old receipts.
    vi.setSystemTime(start + (3600 + 300 + 60) * 1000);
    const fresh = sign({ algorithm: "HMAC-SHA256", user_id: w.soloOfA.metaUserId, issued_at: Math.floor(Date.now() / 1000) });
    expect((await deauthorize(form("/api/meta/deauthorize", fresh))).status).toBe(200);
    expect(await db.metaCallbackReceipt.count()).toBe(1);
  });
});
