import { describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { createRegistry } from "@/server/integrations/registry";
import type { ClassifiedError, ProviderAdapter, RefreshedTokens, StoredTokens } from "@/server/integrations/types";
import { withTestDb } from "@kit/db";
import { metaSandbox } from "@kit/meta-sandbox";
import { seedLinkedConnection } from "@kit/seed";
import { refreshConnection } from "./refresh-connection";

let db: Db;
withTestDb((_database, client) => {
  db = client;
});

/**
 * The shared refresh step with an adapter standing in for a platform that rotates refresh tokens
 * (X's behaviour: every refresh returns a new refresh token; the old one is refused afterwards).
 */
class Refused extends Error {}
function rotatingPlatform() {
  let current = "rt-0";
  let n = 0;
  const spent: string[] = [];
  const adapter: ProviderAdapter = {
    id: "rotating",
    name: "Rotating",
    brandColor: "#000",
    assetKinds: [],
    settings: () => ({ configured: true, sandbox: false, missing: [] }),
    requiredScopes: () => [],
    link: { kind: "form", readGrant: async () => Promise.reject(new Error("not used")) },
    async refresh(tokens: StoredTokens): Promise<RefreshedTokens> {
      spent.push(tokens.refreshToken!);
      if (tokens.refreshToken !== current) throw new Refused("invalid_request: refresh token was already used");
      current = `rt-${++n}`;
      return { accessToken: `at-${n}`, refreshToken: current, expiresAt: Math.floor(Date.now() / 1000) + 7200 };
    },
    classifyError: (error): ClassifiedError =>
      error instanceof Refused ? { verdict: "needs_relink", state: "refresh_failed", code: "invalid_request", message: error.message } : { verdict: "retry_later", code: null, message: "down" },
  };
  return { adapter, spent, current: () => current };
}

const kit = metaSandbox({ sandbox: { seed: 321 } });
let n = 0;
const seed = (refreshToken: string) => seedLinkedConnection(db, kit, { provider: "rotating", externalId: `rot-${++n}`, refreshToken });

describe("refreshConnection", () => {
  it("stores the new access token and the rotated refresh token, sealed, and audits it", async () => {
    const p = rotatingPlatform();
    const c = await seed("rt-0");
    const result = await refreshConnection(db, { userId: c.userId, connectionId: c.connectionId }, { registry: createRegistry([p.adapter]) });
    expect(result.tokenExpiresAt).toMatch(/^\d{4}-/);
    const account = await db.account.findUniqueOrThrow({ where: { id: c.accountId } });
    expect(account).toMatchObject({ access_token: "at-1", refresh_token: "rt-1" });
    const again = await refreshConnection(db, { userId: c.userId, connectionId: c.connectionId }, { registry: createRegistry([p.adapter]) });
    expect(again.connectionId).toBe(c.connectionId);
    expect(p.spent).toEqual(["rt-0", "rt-1"]);
    expect((await db.auditEvent.findMany({ where: { connectionId: c.connectionId } })).map((e) => e.action)).toEqual(["refreshed", "refreshed"]);
  });

  it("never spends one refresh token twice when two refreshes race: the second is refused with CONFLICT", async () => {
    const p = rotatingPlatform();
    const c = await seed("rt-0");
    const registry = createRegistry([p.adapter]);
    const results = await Promise.allSettled([0, 1].map(() => refreshConnection(db, { userId: c.userId, connectionId: c.connectionId }, { registry })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(AppError);
    expect(refused.reason).toMatchObject({ code: "CONFLICT" });
    expect(p.spent).toEqual(["rt-0"]);
  });

  it("marks refresh_failed when the platform refuses the refresh token, and asks to reconnect", async () => {
    const p = rotatingPlatform();
    const c = await seed("rt-stale");
    const attempt = refreshConnection(db, { userId: c.userId, connectionId: c.connectionId }, { registry: createRegistry([p.adapter]) });
    await expect(attempt).rejects.toMatchObject({ code: "MISSING_PREREQUISITE", message: "Rotating refused to renew this connection." });
    expect(await db.connection.findUniqueOrThrow({ where: { id: c.connectionId } })).toMatchObject({ state: "refresh_failed", lastErrorCode: "invalid_request" });
    expect((await db.auditEvent.findMany({ where: { connectionId: c.connectionId } })).map((e) => e.action)).toEqual(["refresh_failed"]);
  });

  it("answers NOT_FOUND for another user's connection and spends nothing", async () => {
    const p = rotatingPlatform();
    const c = await seed("rt-0");
    const other = await seed("rt-x");
    await expect(refreshConnection(db, { userId: other.userId, connectionId: c.connectionId }, { registry: createRegistry([p.adapter]) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(p.spent).toEqual([]);
  });
});
