import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { META_APP_LIMIT } from "@/server/integrations/facebook/rate-limit-keys";
import { holdUntil } from "@/server/rate-limits/shared-rate-limits";
import { createTestClient, withTestDb } from "@kit/db";
import { metaSandbox, type MetaSandboxKit } from "@kit/meta-sandbox";
import { seedLinkedConnection } from "@kit/seed";
import { sweepConnections, type SweepOptions } from "./sweep-connections";

const REQUIRED = ["ads_read", "business_management"];
const DAY = 86_400_000;

let db: Db;
let databaseUrl: string;
withTestDb((database, client) => {
  db = client;
  databaseUrl = database.url;
});
// A sweep checks every connection in the database: each test starts from an empty one.
beforeEach(async () => {
  await db.user.deleteMany({});
  await db.auditEvent.deleteMany({});
  await db.rateLimit.deleteMany({});
});

let seed = 500;
function kit(): MetaSandboxKit {
  return metaSandbox({ sandbox: { seed: ++seed } });
}

const sweep = (k: MetaSandboxKit, o: SweepOptions = {}, wrap?: (next: typeof fetch) => typeof fetch) =>
  sweepConnections(db, { trigger: "test", clock: k.clock, registry: k.registry({ wrap, requiredScopes: REQUIRED }), ...o });

const connection = (id: string) => db.connection.findUniqueOrThrow({ where: { id } });
const audit = (connectionId: string) => db.auditEvent.findMany({ where: { connectionId }, orderBy: { createdAt: "asc" } });
const batches = (k: MetaSandboxKit) => k.sandbox.control.requestLog().filter((e) => e.method === "POST" && e.path === "/v25.0/");

describe("sweepConnections", () => {
  it("confirms a healthy connection with one batch request and records the check", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    k.advance(3_600_000);
    const before = k.clock.now().getTime();
    const summary = await sweep(k);
    expect(summary).toMatchObject({ checked: 1, changed: 0, unchanged: 1, failed: 0, graphRequests: 1 });
    const row = await connection(c.connectionId);
    expect(row.state).toBe("connected");
    // The sweep's clock is the sandbox's (virtual, an hour ahead of the seed time).
    expect(row.lastCheckedAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(row.lastCheckedAt!.getTime()).toBeLessThanOrEqual(k.clock.now().getTime());
    expect(row.tokenExpiresAt).not.toBeNull();
    const run = await db.healthSweepRun.findUniqueOrThrow({ where: { id: summary.runId! } });
    expect(run).toMatchObject({ outcome: "completed", checked: 1, graphRequests: 1 });
  });

  it("marks a connection needs_relink once the sandbox clock passes the token's expiry, and audits token_expired", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    k.advance(61 * DAY);
    const summary = await sweep(k);
    expect(summary.transitions).toEqual({ "connected->needs_relink": 1 });
    const row = await connection(c.connectionId);
    expect(row).toMatchObject({ state: "needs_relink", lastErrorCode: "190/463" });
    expect((await audit(c.connectionId)).map((e) => e.action)).toEqual(["token_expired"]);
  });

  it("marks a token revoked in the sandbox as revoked, and audits it", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    const other = await seedLinkedConnection(db, k, { persona: "agency" });
    k.sandbox.control.revokeToken(c.token, "app_removed");
    await sweep(k);
    expect(await connection(c.connectionId)).toMatchObject({ state: "revoked", lastErrorCode: "190/458" });
    expect((await connection(other.connectionId)).state).toBe("connected");
    expect((await audit(c.connectionId)).map((e) => e.action)).toEqual(["revoked"]);
    expect(await audit(other.connectionId)).toEqual([]);
  });

  it("marks a password change as revoked", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    k.sandbox.control.invalidateTokens("solo", "password_changed");
    await sweep(k);
    expect(await connection(c.connectionId)).toMatchObject({ state: "revoked", lastErrorCode: "190/460" });
  });

  it("marks permissions_missing when a required permission is no longer granted", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k, { scopes: ["business_management"] });
    await sweep(k);
    expect(await connection(c.connectionId)).toMatchObject({ state: "permissions_missing", lastErrorMessage: "Missing permission: ads_read" });
  });

  it("leaves every connection exactly as it was when Meta answers 5xx, however often", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    k.sandbox.control.revokeToken(c.token, "app_removed");
    const before = await connection(c.connectionId);
    k.sandbox.control.injectFault({ path: "/", method: "POST", code: 2, status: 503, count: 10 });
    const summary = await sweep(k);
    expect(summary).toMatchObject({ checked: 0, changed: 0, failed: 1 });
    // Tried, then retried, then given up: no status change even though the token is in fact dead.
    expect(batches(k).length).toBe(3);
    expect(await connection(c.connectionId)).toEqual(before);
    expect(await audit(c.connectionId)).toEqual([]);
  });

  it("leaves connections unchanged when a batch times out part-way", async () => {
    const k = kit();
    const a = await seedLinkedConnection(db, k);
    const b = await seedLinkedConnection(db, k, { persona: "agency" });
    k.advance(61 * DAY);
    const before = [await connection(a.connectionId), await connection(b.connectionId)];
    k.sandbox.control.injectFault({ path: "/debug_token", timeout: true, count: 20 });
    const summary = await sweep(k);
    expect(summary).toMatchObject({ checked: 0, failed: 2 });
    expect([await connection(a.connectionId), await connection(b.connectionId)]).toEqual(before);
  });

  it("recovers from one transient failure by retrying the batch", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    k.sandbox.control.injectFault({ path: "/", method: "POST", code: 1, status: 500, count: 1 });
    const summary = await sweep(k);
    expect(summary).toMatchObject({ checked: 1, failed: 0, graphRequests: 2 });
    expect((await connection(c.connectionId)).state).toBe("connected");
  });

  it("waits out estimated_time_to_regain_access from the usage headers before the next batch", async () => {
    const k = kit();
    await seedLinkedConnection(db, k);
    await seedLinkedConnection(db, k, { persona: "agency" });
    let first = true;
    const throttleHeaders = (next: typeof fetch): typeof fetch => async (input, init) => {
      const response = await next(input, init);
      if (!first) return response;
      first = false;
      const headers = new Headers(response.headers);
      headers.set("x-business-use-case-usage", JSON.stringify({ "1": [{ type: "ads_management", call_count: 100, estimated_time_to_regain_access: 7 }] }));
      return new Response(response.body, { status: response.status, headers });
    };
    const summary = await sweep(k, { batchSize: 1, concurrency: 1 }, throttleHeaders);
    expect(summary).toMatchObject({ checked: 2, waitedMs: 7 * 60_000 });
    expect(k.clock.sleeps).toEqual([7 * 60_000]);
    const [one, two] = batches(k);
    expect(two!.at - one!.at).toBeGreaterThanOrEqual(7 * 60_000);
  });

  it("slows down before a throttle when usage nears the limit", async () => {
    const k = kit();
    await seedLinkedConnection(db, k);
    await seedLinkedConnection(db, k, { persona: "agency" });
    const busy = (next: typeof fetch): typeof fetch => async (input, init) => {
      const response = await next(input, init);
      const headers = new Headers(response.headers);
      headers.set("x-app-usage", JSON.stringify({ call_count: 96, total_cputime: 10, total_time: 10 }));
      return new Response(response.body, { status: response.status, headers });
    };
    await sweep(k, { batchSize: 1, concurrency: 1 }, busy);
    expect(k.clock.sleeps).toEqual([60_000]);
  });

  it("retries items Meta throttled after the wait, and they count as checked", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    k.sandbox.control.injectFault({ path: "/debug_token", code: 4, message: "(#4) Application request limit reached", count: 1 });
    const summary = await sweep(k);
    expect(k.clock.sleeps).toEqual([60_000]);
    expect(summary).toMatchObject({ checked: 1, failed: 0, graphRequests: 2 });
    expect((await connection(c.connectionId)).state).toBe("connected");
  });

  it("sends at most 50 tokens per batch request, all with the app token", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    // 119 more connections (distinct identities) sharing one sandbox persona's tokens.
    for (let i = 0; i < 119; i++) await seedLinkedConnection(db, k, { externalId: `77${String(i).padStart(8, "0")}` });
    const summary = await sweep(k);
    expect(summary.checked).toBe(120);
    const sizes = batches(k).map((e) => e.batchSize);
    expect(sizes.sort()).toEqual([20, 50, 50]);
    const appTokenId = batches(k)[0]!.tokenId;
    expect(appTokenId).not.toBe(k.sandbox.control.tokenId(c.token));
  });

  it("stops after the current page when its signal is aborted (the worker is stopping), and records the run as stopped", async () => {
    const k = kit();
    for (const persona of ["solo", "agency", "disabled"]) await seedLinkedConnection(db, k, { persona });
    const stopping = new AbortController();
    const stopDuringFirstPage = (next: typeof fetch): typeof fetch => async (input, init) => {
      stopping.abort();
      return next(input, init);
    };
    const summary = await sweep(k, { pageSize: 1, signal: stopping.signal }, stopDuringFirstPage);
    expect(summary).toMatchObject({ reason: "stopped", checked: 1, graphRequests: 1 });
    expect(await db.healthSweepRun.findUniqueOrThrow({ where: { id: summary.runId! } })).toMatchObject({ outcome: "stopped", checked: 1 });
  });

  it("shares Meta's app budget with other processes: a stop seen here is stored, and one stored by another server is waited out", async () => {
    const k = kit();
    await seedLinkedConnection(db, k);
    await seedLinkedConnection(db, k, { persona: "agency" });
    // Another app server (its own client) saw Meta throttle the app 5 minutes from now.
    const otherServer = createTestClient(databaseUrl);
    const t0 = k.clock.now();
    await holdUntil(otherServer, META_APP_LIMIT, new Date(t0.getTime() + 5 * 60_000), { now: t0, reason: "throttled" });
    await otherServer.$disconnect();
    const summary = await sweep(k, { batchSize: 1, concurrency: 1 });
    expect(k.clock.sleeps).toEqual([5 * 60_000]);
    expect(batches(k)[0]!.at).toBeGreaterThanOrEqual(t0.getTime() + 5 * 60_000);
    expect(summary.checked).toBe(2);

    // And the other way round: app usage at 97 % seen by this sweep holds every process for a minute.
    const busy = (next: typeof fetch): typeof fetch => async (input, init) => {
      const response = await next(input, init);
      const headers = new Headers(response.headers);
      headers.set("x-app-usage", JSON.stringify({ call_count: 97 }));
      return new Response(response.body, { status: response.status, headers });
    };
    await sweep(k, { batchSize: 1, concurrency: 1 }, busy);
    const stored = await db.rateLimit.findUniqueOrThrow({ where: { key: META_APP_LIMIT } });
    expect(stored).toMatchObject({ reason: "near_limit", usagePercent: 97 });
    expect(stored.blockedUntil!.getTime()).toBe(k.clock.now().getTime() + 60_000);
  });

  it("does not overwrite a connection re-linked while the sweep was reading", async () => {
    const k = kit();
    const c = await seedLinkedConnection(db, k);
    k.sandbox.control.revokeToken(c.token, "app_removed");
    const relinkDuringSweep = (next: typeof fetch): typeof fetch => async (input, init) => {
      await db.connection.update({ where: { id: c.connectionId }, data: { name: "relinked" } });
      return next(input, init);
    };
    await sweep(k, {}, relinkDuringSweep);
    expect(await connection(c.connectionId)).toMatchObject({ state: "connected", name: "relinked" });
  });
});
