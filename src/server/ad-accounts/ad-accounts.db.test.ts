import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, rawQuery, snapshotUser } from "@kit/db";
import { linkFacebook } from "@/server/integrations/facebook/link-facebook";
import type { Db } from "@/server/db";
import { metaSandbox } from "@kit/meta-sandbox";
import { createTestClient, createTestDatabase, type TestDatabase } from "@kit/db";
import { listAdAccounts } from "./list-ad-accounts";
import { selectAdAccount } from "./select-ad-account";
import { syncAdAccounts } from "./sync-ad-accounts";

const SCOPES = ["ads_read", "business_management"];

let tdb: TestDatabase;
let db: Db;
let agency: Awaited<ReturnType<typeof linked>>;
let stranger: string;
beforeAll(async () => {
  tdb = await createTestDatabase();
  db = createTestClient(tdb.url);
  agency = await linked("agency");
  stranger = await createUser(db, "stranger");
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.close();
});

let seed = 1300;
async function linked(persona: string) {
  const kit = metaSandbox({ sandbox: { seed: ++seed } });
  const userId = await createUser(db, persona);
  const t = kit.sandbox.control.issueToken({ persona, scopes: SCOPES });
  const result = await linkFacebook(
    db,
    { userId, providerAccountId: kit.sandbox.control.userId(persona), name: persona, accessToken: t.accessToken, expiresIn: t.expiresIn },
    { graph: kit.graph, requiredScopes: SCOPES },
  );
  return { ...kit, userId, connectionId: result.connectionId, token: t.accessToken, deps: { registry: kit.registry({ requiredScopes: SCOPES }) } };
}

describe("listAdAccounts", () => {
  it("pages through all 1,200 accounts with a keyset cursor: no gaps, no repeats, business A→Z, personal last", async () => {
    const seen: string[] = [];
    const businessOrder: (string | null)[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAdAccounts(db, agency.userId, { cursor, limit: 200 });
      pages++;
      for (const a of page.data) {
        seen.push(a.adAccountId);
        if (businessOrder.at(-1) !== (a.business?.name ?? null)) businessOrder.push(a.business?.name ?? null);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toBe(6);
    expect(seen).toHaveLength(1200);
    expect(new Set(seen).size).toBe(1200);
    // The same order the database gives in one query (collation-independent check).
    const all = await db.metaAdAccount.findMany({
      where: { userId: agency.userId },
      orderBy: [{ businessName: { sort: "asc", nulls: "last" } }, { name: "asc" }, { adAccountId: "asc" }, { id: "asc" }],
      select: { adAccountId: true },
    });
    expect(seen).toEqual(all.map((a) => a.adAccountId));
    expect(businessOrder.at(-1)).toBeNull();
    expect(new Set(businessOrder).size).toBe(businessOrder.length);
  });

  it("defaults to 50 and caps the limit at 200", async () => {
    expect((await listAdAccounts(db, agency.userId)).data).toHaveLength(50);
    await expect(listAdAccounts(db, agency.userId, { limit: 500 })).rejects.toMatchObject({ name: "ZodError", issues: [expect.objectContaining({ code: "too_big", path: ["limit"] })] });
    expect((await listAdAccounts(db, agency.userId, { limit: "200" as unknown as number })).data).toHaveLength(200);
  });

  it("searches by name (case-insensitive) and by id, with or without act_", async () => {
    const byName = await listAdAccounts(db, agency.userId, { q: "avery AGENCY" });
    expect(byName.data.map((a) => a.adAccountId)).toEqual(["act_1220000000000"]);
    const byAct = await listAdAccounts(db, agency.userId, { q: "act_1220000000042" });
    expect(byAct.data.map((a) => a.adAccountId)).toEqual(["act_1220000000042"]);
    const byDigits = await listAdAccounts(db, agency.userId, { q: "122000000004" });
    expect(byDigits.data.map((a) => a.adAccountId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `act_122000000004${i}`));
    expect((await listAdAccounts(db, agency.userId, { q: "no such account" })).data).toEqual([]);
  });

  it("filters by the user's own connection; another user's connectionId is NOT_FOUND", async () => {
    const page = await listAdAccounts(db, agency.userId, { connectionId: agency.connectionId, limit: 10 });
    expect(page.data.every((a) => a.connectionId === agency.connectionId)).toBe(true);
    await expect(listAdAccounts(db, stranger, { connectionId: agency.connectionId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listAdAccounts(db, stranger)).data).toEqual([]);
  });

  it("rejects a tampered cursor as a validation error", async () => {
    await expect(listAdAccounts(db, agency.userId, { cursor: "bm90LWpzb24" })).rejects.toMatchObject({ code: "VALIDATION_ERROR", field: "cursor" });
  });

  it("answers quickly for 5,000 accounts", async () => {
    const scale = await linked("scale");
    const started = performance.now();
    const first = await listAdAccounts(db, scale.userId, { limit: 200 });
    const searched = await listAdAccounts(db, scale.userId, { q: "acme" });
    const ms = performance.now() - started;
    console.info(`list 5,000: first page + search in ${Math.round(ms)} ms`);
    expect(first.data).toHaveLength(200);
    expect(searched.data.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(2000);
  });
});

describe("selectAdAccount", () => {
  it("selects one account, moves the selection, and audits it; disabled accounts can be selected", async () => {
    const first = await selectAdAccount(db, agency.userId, { adAccountId: "act_1220000000001" });
    expect(first).toMatchObject({ adAccountId: "act_1220000000001", isSelected: true });
    // act_…005 is disabled in the agency persona (i % 97 === 5).
    const disabled = await selectAdAccount(db, agency.userId, { adAccountId: "act_1220000000005" });
    expect(disabled).toMatchObject({ status: "DISABLED", isSelected: true });
    const selected = await db.metaAdAccount.findMany({ where: { userId: agency.userId, isSelected: true }, select: { adAccountId: true } });
    expect(selected).toEqual([{ adAccountId: "act_1220000000005" }]);
    const audit = await db.auditEvent.findMany({ where: { userId: agency.userId, action: "selected" }, orderBy: { createdAt: "asc" }, select: { detail: true } });
    expect(audit.map((a) => a.detail)).toEqual([{ adAccountId: "act_1220000000001" }, { adAccountId: "act_1220000000005" }]);
  });

  it("answers NOT_FOUND for an account the user cannot see (another user's) and changes nothing", async () => {
    const before = await snapshotUser(tdb.url, agency.userId);
    await expect(selectAdAccount(db, stranger, { adAccountId: "act_1220000000001" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(selectAdAccount(db, agency.userId, { adAccountId: "act_1999999999999" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await snapshotUser(tdb.url, agency.userId)).toEqual(before);
  });

  it("keeps at most one selection under concurrent selects", async () => {
    const ids = ["act_1220000000010", "act_1220000000011", "act_1220000000012", "act_1220000000013"];
    await Promise.all(ids.map((adAccountId) => selectAdAccount(db, agency.userId, { adAccountId })));
    expect(await db.metaAdAccount.count({ where: { userId: agency.userId, isSelected: true } })).toBe(1);
  });
});

describe("syncAdAccounts", () => {
  it("re-reads accounts with the stored token: removes vanished ones, restores changed ones, keeps the selection", async () => {
    const kit = await linked("agency");
    await selectAdAccount(db, kit.userId, { adAccountId: "act_1220000000100" });
    await db.metaAdAccount.updateMany({ where: { userId: kit.userId, adAccountId: "act_1220000000200" }, data: { name: "Stale name", accountStatus: 2 } });
    await db.metaAdAccount.create({
      data: { connectionId: kit.connectionId, userId: kit.userId, adAccountId: "act_1228888888888", accountId: "1228888888888", name: "Gone", currency: "EUR", timezoneName: "UTC", accountStatus: 1 },
    });
    await db.metaAdAccount.deleteMany({ where: { userId: kit.userId, adAccountId: "act_1220000000300" } });
    const result = await syncAdAccounts(db, kit.userId, { connectionId: kit.connectionId }, kit.deps);
    expect(result).toEqual({ adAccountCount: 1200, added: 1, removed: 1, updated: 1 });
    const restored = await db.metaAdAccount.findFirstOrThrow({ where: { userId: kit.userId, adAccountId: "act_1220000000200" } });
    expect(restored.name).not.toBe("Stale name");
    const selected = await db.metaAdAccount.findMany({ where: { userId: kit.userId, isSelected: true }, select: { adAccountId: true } });
    expect(selected).toEqual([{ adAccountId: "act_1220000000100" }]);
  });

  it("marks the connection needs_relink (190/463) or revoked (190/460) and asks to reconnect", async () => {
    const a = await linked("solo");
    a.sandbox.control.expireToken(a.sandbox.control.tokenId((await db.account.findFirstOrThrow({ where: { userId: a.userId }, select: { id: true, access_token: true } })).access_token!)!);
    await expect(syncAdAccounts(db, a.userId, { connectionId: a.connectionId }, a.deps)).rejects.toMatchObject({ code: "MISSING_PREREQUISITE" });
    expect(await db.connection.findUniqueOrThrow({ where: { id: a.connectionId } })).toMatchObject({ state: "needs_relink", lastErrorCode: "190/463" });
    expect(await db.auditEvent.count({ where: { userId: a.userId, action: "token_expired" } })).toBe(1);

    const b = await linked("solo");
    b.sandbox.control.invalidateTokens("solo", "password_changed");
    await expect(syncAdAccounts(db, b.userId, { connectionId: b.connectionId }, b.deps)).rejects.toMatchObject({ code: "MISSING_PREREQUISITE" });
    expect(await db.connection.findUniqueOrThrow({ where: { id: b.connectionId } })).toMatchObject({ state: "revoked", lastErrorCode: "190/460" });
  });

  it("keeps accounts and records a transient error (status error, previous verdict kept) when Meta is throttling", async () => {
    const kit = await linked("solo");
    kit.sandbox.control.injectFault({ path: "/me/adaccounts", code: 80004, subcode: 2446079 });
    await expect(syncAdAccounts(db, kit.userId, { connectionId: kit.connectionId }, kit.deps)).rejects.toMatchObject({ name: "MetaThrottleError" });
    expect(await db.metaAdAccount.count({ where: { userId: kit.userId } })).toBe(1);
    expect(await db.connection.findUniqueOrThrow({ where: { id: kit.connectionId } })).toMatchObject({ state: "connected", lastErrorCode: "80004/2446079", lastErrorTransient: true });
  });

  it("an undecryptable token asks to reconnect without calling Meta", async () => {
    const kit = await linked("solo");
    await rawQuery(tdb.url, `UPDATE accounts SET access_token = 'vault:test:AAAA' WHERE user_id = $1`, [kit.userId]);
    kit.sandbox.control.clearRequestLog();
    await expect(syncAdAccounts(db, kit.userId, { connectionId: kit.connectionId }, kit.deps)).rejects.toMatchObject({ code: "MISSING_PREREQUISITE" });
    expect(kit.sandbox.control.requestLog()).toEqual([]);
    // Recorded as a fact: status questions say "needs re-link" without opening the token.
    expect((await db.connection.findUniqueOrThrow({ where: { id: kit.connectionId } })).tokenUnreadableAt).not.toBeNull();
  });

  it("answers NOT_FOUND for another user's connection", async () => {
    await expect(syncAdAccounts(db, stranger, { connectionId: agency.connectionId }, agency.deps)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("syncs the 5,000-account persona", async () => {
    const kit = await linked("scale");
    const started = performance.now();
    const result = await syncAdAccounts(db, kit.userId, { connectionId: kit.connectionId }, kit.deps);
    console.info(`sync 5,000 (unchanged): ${Math.round(performance.now() - started)} ms`);
    expect(result).toEqual({ adAccountCount: 5000, added: 0, removed: 0, updated: 0 });
  });
});
