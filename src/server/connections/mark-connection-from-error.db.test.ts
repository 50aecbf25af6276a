import { describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { MetaThrottleError, MetaTransientError, toMetaError } from "@/server/integrations/facebook/errors";
import { withTestDb } from "@kit/db";
import { metaSandbox } from "@kit/meta-sandbox";
import { seedLinkedConnection } from "@kit/seed";
import { markConnectionFromError } from "./mark-connection-from-error";

let db: Db;
withTestDb((_database, client) => {
  db = client;
});

let n = 0;
const kit = metaSandbox({ sandbox: { seed: 900 } });
const registry = kit.registry();
const seed = () => seedLinkedConnection(db, kit, { externalId: `880000${++n}` });
const mark = (connectionId: string, error: unknown, o: { note?: boolean } = {}) => markConnectionFromError(db, { connectionId, error, registry, ...o });
const graphError = (code: number, error_subcode?: number, httpStatus = 400) => toMetaError({ code, error_subcode, message: "Error validating access token" }, { httpStatus });
const row = (id: string) => db.connection.findUniqueOrThrow({ where: { id } });
const actions = async (connectionId: string) => (await db.auditEvent.findMany({ where: { connectionId } })).map((e) => e.action);

describe("markConnectionFromError (on-use check, Facebook verdicts)", () => {
  it("marks the connection needs_relink on 190/463 and audits once, however many calls fail", async () => {
    const c = await seed();
    expect((await mark(c.connectionId, graphError(190, 463))).changed).toBe(true);
    expect((await mark(c.connectionId, graphError(190, 463))).changed).toBe(false);
    expect(await row(c.connectionId)).toMatchObject({ state: "needs_relink", lastErrorCode: "190/463" });
    expect(await actions(c.connectionId)).toEqual(["token_expired"]);
  });

  it("marks revoked on 190/458 even after an earlier expiry, and audits revoked", async () => {
    const c = await seed();
    await mark(c.connectionId, graphError(190, 463));
    await mark(c.connectionId, graphError(190, 458));
    expect((await row(c.connectionId)).state).toBe("revoked");
    expect(await actions(c.connectionId)).toEqual(["token_expired", "revoked"]);
  });

  it("marks 102 as needs_relink and a revoked permission as permissions_missing", async () => {
    const a = await seed();
    const b = await seed();
    await mark(a.connectionId, graphError(102));
    await mark(b.connectionId, graphError(200, undefined, 403));
    expect((await row(a.connectionId)).state).toBe("needs_relink");
    expect((await row(b.connectionId)).state).toBe("permissions_missing");
  });

  it("changes nothing for throttles, 5xx, timeouts and non-Meta errors", async () => {
    const c = await seed();
    const before = await row(c.connectionId);
    for (const error of [
      new MetaThrottleError({ message: "slow down", metaCode: 80004, retryAfterSeconds: 60 }),
      new MetaTransientError({ message: "Facebook did not answer in time." }),
      graphError(2, undefined, 503),
      new Error("boom"),
    ]) {
      expect((await mark(c.connectionId, error)).changed).toBe(false);
    }
    expect(await row(c.connectionId)).toEqual(before);
    expect(await actions(c.connectionId)).toEqual([]);
  });

  it("with note, remembers a transient failure as the last error (status error) without moving the state", async () => {
    const c = await seed();
    const result = await mark(c.connectionId, graphError(2, undefined, 503), { note: true });
    expect(result).toMatchObject({ changed: false, verdict: { verdict: "retry_later" } });
    expect(await row(c.connectionId)).toMatchObject({ state: "connected", lastErrorTransient: true, lastErrorCode: "2" });
    expect(await actions(c.connectionId)).toEqual([]);
  });
});
