import { describe, expect, it } from "vitest";
import { isEnvelope } from "@/server/crypto";
import type { Db } from "@/server/db";
import { metaSandbox, SANDBOX_GRAPH_URL } from "@kit/meta-sandbox";
import { withTestDb, type TestDatabase } from "@kit/db";
import { createUser, dumpEverything, rawQuery, snapshotUser } from "@kit/db";
import { LinkError } from "@/server/connections/link-error";
import { linkFacebook } from "@/server/integrations/facebook/link-facebook";

const REQUIRED = ["ads_read", "business_management"];

let tdb: TestDatabase;
let db: Db;
withTestDb((database, client) => {
  tdb = database;
  db = client;
});

// Each sandbox gets its own seed: Facebook user ids differ, so tests sharing one database never collide.
let seed = 100;

/** A fresh sandbox, a user and a short-lived token for `persona` (so the exchange runs, as after a real dialog). */
async function setup(persona: string, o: { scopes?: string[]; lifetime?: "short" | "long" } = {}) {
  const kit = metaSandbox({ sandbox: { seed: ++seed } });
  const userId = await createUser(db, persona);
  const issued = kit.sandbox.control.issueToken({ persona, scopes: o.scopes ?? REQUIRED, lifetime: o.lifetime ?? "short" });
  const input = {
    userId,
    providerAccountId: kit.sandbox.control.userId(persona),
    name: persona,
    accessToken: issued.accessToken,
    expiresIn: issued.expiresIn,
  };
  return { ...kit, userId, input, issued, deps: { graph: kit.graph, requiredScopes: REQUIRED } };
}

const storedToken = async (userId: string) =>
  (await db.account.findFirstOrThrow({ where: { userId, provider: "facebook" }, select: { id: true, access_token: true } })).access_token;

describe("linkFacebook: first link", () => {
  it("links the solo persona in 2 round trips: exchange, then one batch (no businesses)", async () => {
    const { sandbox, input, deps, userId, issued } = await setup("solo");
    const result = await linkFacebook(db, input, deps);
    expect(result).toMatchObject({ status: "connected", adAccountCount: 1, relinked: false, missingScopes: [], roundTrips: 2, graphRequests: 2 });
    const log = sandbox.control.requestLog();
    expect(log.map((e) => `${e.method} ${e.path}`)).toEqual(["POST /v25.0/oauth/access_token", "POST /v25.0/"]);
    expect(log[1]!.batchSize).toBe(4);

    const token = await storedToken(userId);
    expect(token).not.toBe(issued.accessToken);
    expect(sandbox.control.tokenId(token!)).not.toBeNull();
    const [raw] = await rawQuery<{ access_token: string; expires_at: number }>(tdb.url, `SELECT access_token, expires_at FROM accounts WHERE user_id = $1`, [userId]);
    expect(isEnvelope(raw!.access_token)).toBe(true);
    expect(raw!.expires_at).toBeGreaterThan(Date.now() / 1000 + 50 * 86400);

    const connection = await db.connection.findFirstOrThrow({ where: { userId } });
    expect(connection).toMatchObject({ provider: "facebook", state: "connected", externalId: input.providerAccountId, grantedScopes: ["ads_read", "business_management", "public_profile"] });
    expect(connection.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 50 * 86400_000);
    expect(connection.dataAccessExpiresAt).not.toBeNull();
    const rows = await db.metaAdAccount.findMany({ where: { userId } });
    expect(rows).toEqual([expect.objectContaining({ adAccountId: "act_1210000000000", accountId: "1210000000000", businessId: null, isSelected: false })]);
    expect(await db.auditEvent.findMany({ where: { userId }, select: { action: true } })).toEqual([{ action: "linked" }]);
  });

  it("skips the exchange when the token already lives longer than 7 days (1 round trip)", async () => {
    const { sandbox, input, deps } = await setup("solo", { lifetime: "long" });
    const result = await linkFacebook(db, input, deps);
    expect(result.roundTrips).toBe(1);
    expect(sandbox.control.requestLog().map((e) => e.path)).toEqual(["/v25.0/"]);
  });

  it("links the agency persona: 1,200 distinct accounts over overlapping edges in 3 round trips", async () => {
    const { sandbox, input, deps, userId } = await setup("agency");
    const started = performance.now();
    const result = await linkFacebook(db, input, deps);
    console.info(`link agency (1,200 accounts): ${Math.round(performance.now() - started)} ms, ${result.roundTrips} round trips`);
    expect(result).toMatchObject({ status: "connected", adAccountCount: 1200, roundTrips: 3, graphRequests: 3 });
    const log = sandbox.control.requestLog();
    expect(log).toHaveLength(3);
    expect(log[2]!.batchSize).toBe(6);
    const rows = await db.metaAdAccount.findMany({ where: { userId }, select: { adAccountId: true, businessName: true } });
    expect(new Set(rows.map((r) => r.adAccountId)).size).toBe(1200);
    // The owner comes from the business edge even when /me/adaccounts listed the account first.
    expect(rows.find((r) => r.adAccountId === "act_1220000000001")?.businessName).toBe("Northwind Media");
    expect(rows.filter((r) => r.businessName === null).map((r) => r.adAccountId)).toEqual(["act_1220000000000"]);
  });

  it("follows paging on every edge when pages are small", async () => {
    const { input, deps, userId } = await setup("agency");
    const result = await linkFacebook(db, input, { ...deps, pageSize: 60 });
    expect(result.adAccountCount).toBe(1200);
    expect(result.roundTrips).toBeGreaterThan(3);
    expect(await db.metaAdAccount.count({ where: { userId } })).toBe(1200);
  });

  it("links the empty persona with no ad accounts", async () => {
    const { input, deps, userId } = await setup("empty");
    expect(await linkFacebook(db, input, deps)).toMatchObject({ status: "connected", adAccountCount: 0 });
    expect(await db.connection.count({ where: { userId } })).toBe(1);
  });

  it("links the 5,000-account scale persona", async () => {
    const { input, deps, userId } = await setup("scale");
    const started = performance.now();
    const result = await linkFacebook(db, input, deps);
    const ms = Math.round(performance.now() - started);
    console.info(`link scale (5,000 accounts): ${ms} ms, ${result.roundTrips} round trips, ${result.graphRequests} requests (${tdb.backend})`);
    expect(result.adAccountCount).toBe(5000);
    expect(await db.metaAdAccount.count({ where: { userId } })).toBe(5000);
    // Re-linking unchanged accounts rewrites none of them.
    const again = performance.now();
    await linkFacebook(db, input, deps);
    console.info(`re-link scale (unchanged): ${Math.round(performance.now() - again)} ms`);
    expect(await db.metaAdAccount.count({ where: { userId } })).toBe(5000);
  });
});

describe("linkFacebook: permissions", () => {
  it("declined ads_read → permissions_missing with the missing scope, and no ad accounts", async () => {
    const kit = metaSandbox({ sandbox: { seed: ++seed } });
    const userId = await createUser(db, "declined");
    kit.sandbox.control.setDialogBehaviour("solo", "decline:ads_read");
    const dialog = new URL(`${SANDBOX_GRAPH_URL}/v25.0/dialog/oauth`);
    const app = kit.sandbox.apps[0]!;
    Object.entries({ client_id: app.appId, redirect_uri: app.redirectUris[0]!, state: "s", scope: REQUIRED.join(",") }).forEach(([k, v]) => dialog.searchParams.set(k, v));
    const redirect = await kit.sandbox(new Request(dialog, { redirect: "manual" }));
    const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!;
    const exchange = await kit.sandbox(
      new Request(`${SANDBOX_GRAPH_URL}/v25.0/oauth/access_token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: app.appId, client_secret: app.appSecret, redirect_uri: app.redirectUris[0]!, code }).toString(),
      }),
    );
    const { access_token } = (await exchange.json()) as { access_token: string };

    const result = await linkFacebook(
      db,
      { userId, providerAccountId: kit.sandbox.control.userId("solo"), name: "Sam", accessToken: access_token },
      { graph: kit.graph, requiredScopes: REQUIRED },
    );
    expect(result).toMatchObject({ status: "permissions_missing", missingScopes: ["ads_read"], adAccountCount: 0 });
    const connection = await db.connection.findFirstOrThrow({ where: { userId } });
    expect(connection).toMatchObject({ state: "permissions_missing", declinedScopes: ["ads_read"] });
    expect(connection.grantedScopes).not.toContain("ads_read");
  });
});

describe("linkFacebook: re-link", () => {
  it("replaces the token everywhere, keeps a still-visible selection and removes vanished accounts", async () => {
    const first = await setup("agency");
    const linked = await linkFacebook(db, first.input, first.deps);
    const oldToken = await storedToken(first.userId);
    const keep = "act_1220000000005";
    await db.metaAdAccount.updateMany({ where: { userId: first.userId, adAccountId: keep }, data: { isSelected: true } });
    await db.metaAdAccount.create({
      data: { connectionId: linked.connectionId, userId: first.userId, adAccountId: "act_1229999999999", accountId: "1229999999999", name: "Gone", currency: "EUR", timezoneName: "UTC", accountStatus: 1 },
    });

    const fresh = first.sandbox.control.issueToken({ persona: "agency", scopes: REQUIRED, lifetime: "short" });
    const relinked = await linkFacebook(db, { ...first.input, accessToken: fresh.accessToken, expiresIn: fresh.expiresIn }, first.deps);
    expect(relinked).toMatchObject({ connectionId: linked.connectionId, relinked: true, adAccountCount: 1200 });

    const newToken = await storedToken(first.userId);
    expect(newToken).not.toBe(oldToken);
    const everything = await dumpEverything(tdb.url);
    for (const t of [oldToken!, newToken!, fresh.accessToken, first.issued.accessToken]) expect(everything).not.toContain(t);
    expect(await db.account.count({ where: { userId: first.userId } })).toBe(1);
    const selected = await db.metaAdAccount.findMany({ where: { userId: first.userId, isSelected: true }, select: { adAccountId: true } });
    expect(selected).toEqual([{ adAccountId: keep }]);
    expect(await db.metaAdAccount.count({ where: { userId: first.userId, adAccountId: "act_1229999999999" } })).toBe(0);
    const audit = await db.auditEvent.findMany({ where: { userId: first.userId }, orderBy: { createdAt: "asc" }, select: { action: true, detail: true } });
    expect(audit.map((a) => a.action)).toEqual(["linked", "relinked"]);
    expect(audit[1]!.detail).toMatchObject({ removed: 1, added: 0 });
  });

  it("refuses a Facebook identity linked to another user and changes nothing", async () => {
    const a = await setup("solo");
    await linkFacebook(db, a.input, a.deps);
    const intruder = await createUser(db, "intruder");
    const before = [await snapshotUser(tdb.url, a.userId), await snapshotUser(tdb.url, intruder)];
    a.sandbox.control.clearRequestLog();
    const other = a.sandbox.control.issueToken({ persona: "solo", scopes: REQUIRED });
    const attempt = linkFacebook(db, { ...a.input, userId: intruder, accessToken: other.accessToken }, a.deps);
    await expect(attempt).rejects.toBeInstanceOf(LinkError);
    await expect(attempt).rejects.toMatchObject({ reason: "identity_in_use", code: "CONFLICT" });
    expect([await snapshotUser(tdb.url, a.userId), await snapshotUser(tdb.url, intruder)]).toEqual(before);
    expect(a.sandbox.control.requestLog()).toEqual([]);
  });

  it("refuses a token that belongs to a different Facebook user than the one signing in", async () => {
    const { sandbox, input, deps, userId } = await setup("solo");
    await expect(linkFacebook(db, { ...input, providerAccountId: sandbox.control.userId("agency") }, deps)).rejects.toMatchObject({ reason: "token_invalid" });
    expect(await db.account.count({ where: { userId } })).toBe(0);
  });
});
