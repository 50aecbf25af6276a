import { describe, expect, it } from "vitest";
import { z } from "zod";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { metaSandbox } from "@kit/meta-sandbox";
import { withTestDb, type TestDatabase } from "@kit/db";
import { createUser, rawQuery } from "@kit/db";
import { disconnectConnection } from "./disconnect-connection";
import { getMetaStatus } from "@/server/integrations/facebook/get-meta-status";
import { listConnections } from "./list-connections";
import { readConnectionTokens } from "./read-connection-tokens";
import { linkFacebook } from "@/server/integrations/facebook/link-facebook";

const SCOPES = ["ads_read", "business_management"];

let tdb: TestDatabase;
let db: Db;
withTestDb((database, client) => {
  tdb = database;
  db = client;
});

let seed = 900;
async function linked(persona = "solo", scopes = SCOPES) {
  const kit = metaSandbox({ sandbox: { seed: ++seed } });
  const userId = await createUser(db, persona);
  const t = kit.sandbox.control.issueToken({ persona, scopes });
  const result = await linkFacebook(
    db,
    { userId, providerAccountId: kit.sandbox.control.userId(persona), name: persona, accessToken: t.accessToken, expiresIn: t.expiresIn },
    { graph: kit.graph, requiredScopes: SCOPES },
  );
  const token = (await db.account.findFirstOrThrow({ where: { userId }, select: { id: true, access_token: true } })).access_token!;
  return { ...kit, userId, connectionId: result.connectionId, token, deps: { registry: kit.registry({ requiredScopes: SCOPES }) } };
}

// Status questions read no token and call no platform: any sandbox's registry gives the scopes.
const opts = { registry: metaSandbox().registry({ requiredScopes: SCOPES }) };

describe("getMetaStatus", () => {
  it("is not_connected without connections", async () => {
    const userId = await createUser(db, "nobody");
    expect(await getMetaStatus(db, userId, opts)).toEqual({ status: "not_connected", connections: [], selectedAdAccount: null });
  });

  it("shows the connection and the selected account in the contract's shapes, never a token", async () => {
    const { userId, connectionId, token, sandbox } = await linked("disabled");
    await db.metaAdAccount.updateMany({ where: { userId }, data: { isSelected: true } });
    const status = await getMetaStatus(db, userId, opts);
    expect(status.status).toBe("connected");
    expect(status.connections).toEqual([
      {
        id: connectionId,
        provider: "facebook",
        externalId: sandbox.control.userId("disabled"),
        metaUserId: sandbox.control.userId("disabled"),
        name: "disabled",
        handle: null,
        avatarUrl: null,
        status: "connected",
        verdict: "connected",
        health: "ok",
        grantedScopes: ["ads_read", "business_management", "public_profile"],
        declinedScopes: [],
        missingScopes: [],
        tokenExpiresAt: expect.stringMatching(/^\d{4}-/),
        refreshExpiresAt: null,
        dataAccessExpiresAt: expect.stringMatching(/^\d{4}-/),
        daysLeft: expect.any(Number),
        endingKind: "token",
        linkedAt: expect.stringMatching(/^\d{4}-/),
        lastCheckedAt: expect.stringMatching(/^\d{4}-/),
        lastSyncedAt: expect.stringMatching(/^\d{4}-/),
        lastError: null,
        stats: null,
        assetCounts: { adAccounts: 1 },
        adAccountCount: 1,
        relinkRequestedAt: null,
      },
    ]);
    expect(status.selectedAdAccount).toEqual({
      id: expect.any(String),
      adAccountId: "act_1230000000000",
      accountId: "1230000000000",
      name: "Dana Disabled",
      currency: expect.any(String),
      timezoneName: expect.any(String),
      status: "DISABLED",
      disableReason: 3,
      business: null,
      connectionId,
      isSelected: true,
    });
    const json = JSON.stringify(status);
    expect(json).not.toContain(token);
    expect(json).not.toMatch(/vault:|access_token|EAA/);
  });

  it("permissions_missing when a needed scope is not granted", async () => {
    const { userId } = await linked("solo", ["business_management"]);
    const status = await getMetaStatus(db, userId, opts);
    expect(status.status).toBe("permissions_missing");
    expect(status.connections[0]!.missingScopes).toEqual(["ads_read"]);
  });

  it("needs_relink once a use found the stored token unreadable — answering the status never opens a token", async () => {
    const a = await linked();
    await rawQuery(tdb.url, `UPDATE accounts SET access_token = 'vault:test:AAAA' WHERE user_id = $1`, [a.userId]);
    // The status question reads no token, so it cannot know yet.
    expect((await getMetaStatus(db, a.userId, opts)).status).toBe("connected");
    const row = await db.connection.findUniqueOrThrow({ where: { id: a.connectionId }, select: { id: true, accountId: true } });
    expect(await readConnectionTokens(db, row)).toBeNull();
    expect(await getMetaStatus(db, a.userId, opts)).toMatchObject({ status: "needs_relink", connections: [{ status: "needs_relink" }] });
  });

  it("needs_relink past the token's expiry; revoked keeps its cause; an ops request is told but is not a status", async () => {
    const b = await linked();
    await db.connection.updateMany({ where: { userId: b.userId }, data: { tokenExpiresAt: new Date(Date.now() - 1000) } });
    expect(await getMetaStatus(db, b.userId, opts)).toMatchObject({ status: "needs_relink", connections: [{ status: "needs_relink", verdict: "needs_relink" }] });

    const c = await linked();
    await db.connection.updateMany({ where: { userId: c.userId }, data: { relinkRequestedAt: new Date() } });
    expect(await getMetaStatus(db, c.userId, opts)).toMatchObject({ status: "connected", connections: [{ relinkRequestedAt: expect.stringMatching(/^\d{4}-/) }] });

    const d = await linked();
    await db.connection.updateMany({ where: { userId: d.userId }, data: { state: "revoked", lastErrorCode: "190/458", lastErrorMessage: "gone" } });
    expect(await getMetaStatus(db, d.userId, opts)).toMatchObject({ status: "revoked", connections: [{ status: "revoked", lastError: { code: "190/458", message: "gone" } }] });
  });

  it("reads the same instants through its raw query as the model does", async () => {
    const e = await linked("solo");
    const [view] = await listConnections(db, e.userId, opts);
    const row = await db.connection.findUniqueOrThrow({ where: { id: e.connectionId } });
    expect(view).toMatchObject({
      tokenExpiresAt: row.tokenExpiresAt!.toISOString(),
      dataAccessExpiresAt: row.dataAccessExpiresAt!.toISOString(),
      linkedAt: row.linkedAt.toISOString(),
      grantedScopes: row.grantedScopes,
    });
  });

  it("the generic list and the Meta status agree on every connection", async () => {
    const e = await linked("agency");
    await db.connection.updateMany({ where: { userId: e.userId }, data: { dataAccessExpiresAt: new Date(Date.now() + 2 * 86_400_000) } });
    const [list, meta] = [await listConnections(db, e.userId, opts), await getMetaStatus(db, e.userId, opts)];
    expect(list.map((c) => c.status)).toEqual(["expiring"]);
    expect(meta.connections.map((c) => c.status)).toEqual(["expiring"]);
    expect(meta.status).toBe("expiring");
  });
});

describe("disconnectConnection", () => {
  it("revokes at Meta (the token then fails with 190) and deletes the account, connection and ad accounts", async () => {
    const { userId, connectionId, token, graph, deps } = await linked("agency");
    const result = await disconnectConnection(db, { userId, connectionId }, deps);
    expect(result).toEqual({ disconnected: true, revoked: true });
    await expect(graph.get("me", z.unknown(), token)).rejects.toMatchObject({ metaCode: 190 });
    expect(await db.account.count({ where: { userId } })).toBe(0);
    expect(await db.connection.count({ where: { userId } })).toBe(0);
    expect(await db.metaAdAccount.count({ where: { userId } })).toBe(0);
    const audit = await db.auditEvent.findMany({ where: { userId, action: "disconnected" }, select: { detail: true, connectionId: true } });
    expect(audit).toEqual([{ detail: { provider: "facebook", revoked: true }, connectionId }]);
    expect((await getMetaStatus(db, userId, opts)).status).toBe("not_connected");
  });

  it("still deletes locally when Meta fails, and says revoked: false", async () => {
    const { userId, connectionId, deps, sandbox } = await linked();
    sandbox.control.injectFault({ path: "/me/permissions", method: "DELETE", code: 2 });
    expect(await disconnectConnection(db, { userId, connectionId }, deps)).toEqual({ disconnected: true, revoked: false });
    expect(await db.account.count({ where: { userId } })).toBe(0);
  });

  it("still deletes locally when the stored token does not decrypt", async () => {
    const { userId, connectionId, deps, sandbox } = await linked();
    await rawQuery(tdb.url, `UPDATE accounts SET access_token = 'vault:test:AAAA' WHERE user_id = $1`, [userId]);
    sandbox.control.clearRequestLog();
    expect(await disconnectConnection(db, { userId, connectionId }, deps)).toEqual({ disconnected: true, revoked: false });
    expect(sandbox.control.requestLog()).toEqual([]);
    expect(await db.connection.count({ where: { userId } })).toBe(0);
  });

  it("answers NOT_FOUND for another user's connection and touches nothing", async () => {
    const owner = await linked();
    const attacker = await createUser(db, "attacker");
    const attempt = disconnectConnection(db, { userId: attacker, connectionId: owner.connectionId }, owner.deps);
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.connection.count({ where: { id: owner.connectionId } })).toBe(1);
    expect(owner.sandbox.control.requestLog().some((e) => e.method === "DELETE")).toBe(false);
  });
});

describe("recordAuditEvent", () => {
  it("refuses a detail that carries a token, under any key or as a value", async () => {
    const userId = await createUser(db, "audit");
    const write = (detail: Record<string, string | number | boolean | null>) =>
      db.$transaction((tx) => recordAuditEvent(tx, { actorId: userId, userId, action: "linked", detail }));
    await expect(write({ access_token: "x" })).rejects.toThrow(/a detail key names a secret/);
    await expect(write({ accessToken: "x" })).rejects.toThrow(/a detail key names a secret/);
    await expect(write({ note: `EAAG${"a".repeat(80)}` })).rejects.toThrow(/a detail value looks like a token/);
    await expect(write({ note: "vault:k1:abc" })).rejects.toThrow(/a detail value looks like a token/);
    await write({ revoked: true, adAccounts: 3 });
    expect(await db.auditEvent.findMany({ where: { userId }, select: { detail: true } })).toEqual([{ detail: { revoked: true, adAccounts: 3 } }]);
  });

  it("no audit row anywhere holds a token after link and disconnect", async () => {
    const { userId, connectionId, token, deps } = await linked("agency");
    await disconnectConnection(db, { userId, connectionId }, deps);
    const rows = await rawQuery(tdb.url, `SELECT * FROM audit_events`);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toMatch(/vault:|EAA/);
  });
});
