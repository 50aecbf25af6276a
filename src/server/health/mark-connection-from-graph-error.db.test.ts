import { describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { MetaThrottleError, MetaTransientError, toMetaError } from "@/server/integrations/facebook/errors";
import { withTestDb } from "../../../tests/helpers/test-db";
import { markConnectionFromGraphError } from "./mark-connection-from-graph-error";
import { sandboxKit, seedConnection } from "./sandbox-kit";

let db: Db;
withTestDb((_database, client) => {
  db = client;
});

let n = 0;
const seed = () => seedConnection(db, sandboxKit({ seed: 900 + n }), { metaUserId: `880000${++n}` });
const graphError = (code: number, error_subcode?: number, httpStatus = 400) => toMetaError({ code, error_subcode, message: "Error validating access token" }, { httpStatus });
const row = (id: string) => db.metaConnection.findUniqueOrThrow({ where: { id } });
const actions = async (connectionId: string) => (await db.auditEvent.findMany({ where: { connectionId } })).map((e) => e.action);

describe("markConnectionFromGraphError (on-use check)", () => {
  it("marks the connection expired on 190/463 and audits once, however many calls fail", async () => {
    const c = await seed();
    expect((await markConnectionFromGraphError(db, { connectionId: c.connectionId, error: graphError(190, 463) })).changed).toBe(true);
    expect((await markConnectionFromGraphError(db, { connectionId: c.connectionId, error: graphError(190, 463) })).changed).toBe(false);
    expect(await row(c.connectionId)).toMatchObject({ status: "expired", lastErrorCode: 190, lastErrorSubcode: 463 });
    expect(await actions(c.connectionId)).toEqual(["token_expired"]);
  });

  it("marks revoked on 190/458 even after an earlier expiry, and audits revoked", async () => {
    const c = await seed();
    await markConnectionFromGraphError(db, { connectionId: c.connectionId, error: graphError(190, 463) });
    await markConnectionFromGraphError(db, { connectionId: c.connectionId, error: graphError(190, 458) });
    expect((await row(c.connectionId)).status).toBe("revoked");
    expect(await actions(c.connectionId)).toEqual(["token_expired", "revoked"]);
  });

  it("marks an unknown token (190 or 102 without subcode) needs_relink, a checkpoint error, a revoked permission permissions_missing", async () => {
    const [a, b, c, d] = [await seed(), await seed(), await seed(), await seed()];
    await markConnectionFromGraphError(db, { connectionId: a.connectionId, error: graphError(190) });
    await markConnectionFromGraphError(db, { connectionId: b.connectionId, error: graphError(102) });
    await markConnectionFromGraphError(db, { connectionId: c.connectionId, error: graphError(190, 459) });
    await markConnectionFromGraphError(db, { connectionId: d.connectionId, error: graphError(200, undefined, 403) });
    expect(await row(a.connectionId)).toMatchObject({ status: "needs_relink", lastErrorCode: 190, lastErrorSubcode: null });
    expect((await row(b.connectionId)).status).toBe("needs_relink");
    expect((await row(c.connectionId)).status).toBe("error");
    expect((await row(d.connectionId)).status).toBe("permissions_missing");
    expect(await actions(a.connectionId)).toEqual(["token_expired"]);
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
      expect((await markConnectionFromGraphError(db, { connectionId: c.connectionId, error })).changed).toBe(false);
    }
    expect(await row(c.connectionId)).toEqual(before);
    expect(await actions(c.connectionId)).toEqual([]);
  });
});
