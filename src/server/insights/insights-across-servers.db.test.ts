import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { createTestClient, withTestDb, type TestDatabase } from "@kit/db";
import { addDays, localDate } from "@/lib/insights/date-range";
import { getInsights } from "./get-insights";
import { linkedUser, MINUTE, ready, running } from "@kit/insights";
import type { RangeInput } from "@/lib/insights/schema";

/**
 * Two app servers on one database — each with its own database client (its own connection pool),
 * as two processes would be — sharing Meta's rate limits and the async report runs in flight.
 */
let db: Db;
let database: TestDatabase;
withTestDb((created, client) => {
  db = client;
  database = created;
});
let serverB: Db;
beforeAll(() => {
  // Same vault key as server A: both servers read the same stored tokens.
  serverB = createTestClient(database.url, database.encryptionKeys);
});
afterAll(async () => {
  await serverB.$disconnect();
});

type User = Awaited<ReturnType<typeof linkedUser>>;
/** The same user's request, answered by server B. */
const onServerB = (t: User, range: RangeInput, o: { force?: boolean; runId?: string } = {}) =>
  getInsights(serverB, t.userId, t.adAccountId, range, { ...o, deps: { graph: t.graph, now: t.now } });

const ninetyDays = (t: User): RangeInput => {
  const today = localDate(t.timeZone, t.now());
  return { custom: { since: addDays(today, -90), until: addDays(today, -1) } };
};

describe("insights across app servers", () => {
  it("after Meta throttles an ad account on one server, the other serves the cache with the same notice and asks Meta nothing", async () => {
    const t = await linkedUser(db);
    const cached = ready(await t.insights({ preset: "last_7d" }));
    t.sandbox.control.throttle({ scope: "ads_insights", minutes: 12 });
    const onA = ready(await t.insights({ preset: "last_7d" }, { force: true }));
    expect(onA.notice?.code).toBe("throttled");
    t.requests();

    const onB = ready(await onServerB(t, { preset: "last_7d" }, { force: true }));
    expect(onB).toMatchObject({ source: "cache", totals: cached.totals, notice: { code: "throttled", retryAt: onA.notice!.retryAt } });
    expect(t.requests()).toEqual([]);

    t.sandbox.control.advanceClock(13 * MINUTE);
    expect(ready(await onServerB(t, { preset: "last_7d" }, { force: true })).source).toBe("meta");
  });

  it("Meta's app-wide limit (code 4) seen for one account holds every account, on every server", async () => {
    const first = await linkedUser(db, "solo");
    const second = await linkedUser(db, "agency");
    first.sandbox.control.injectFault({ path: "/act_*/insights", code: 4, message: "(#4) Application request limit reached" });
    expect(ready(await first.insights({ preset: "last_7d" })).notice?.code).toBe("throttled");

    const other = ready(await onServerB(second, { preset: "last_7d" }));
    expect(other).toMatchObject({ source: "cache", daily: [], notice: { code: "throttled" } });
    expect(second.requests()).toEqual([]);
    expect(await db.rateLimit.findUniqueOrThrow({ where: { key: "meta:app" } })).toMatchObject({ reason: "throttled" });
  });

  it("a request for a range whose report run is in flight joins it — another server, a reload — instead of starting a second Meta job", async () => {
    const t = await linkedUser(db);
    const range = ninetyDays(t);
    const started = running(await t.insights(range));
    expect(t.requests()).toEqual(["POST /", `GET /${started.runId}`]);

    t.sandbox.control.advanceClock(10_000);
    const joined = running(await onServerB(t, range));
    expect(joined.runId).toBe(started.runId);
    expect(joined.percent).toBeGreaterThan(0);
    expect(t.requests()).toEqual([`GET /${started.runId}`]);

    t.sandbox.control.advanceClock(20_000);
    const done = ready(await onServerB(t, range));
    expect(done).toMatchObject({ source: "meta" });
    expect(done.daily).toHaveLength(90);
    expect(t.requests()).toEqual([`GET /${started.runId}`, `GET /${started.runId}/insights`]);
    expect(await db.insightsReportRun.findFirstOrThrow({ where: { runId: started.runId } })).toMatchObject({ status: "completed" });

    // Server A now answers from the cache the joined run filled.
    expect(ready(await t.insights(range)).source).toBe("cache");
    // A forced refresh starts a new run: the finished one is not joined.
    running(await t.insights(range, { force: true }));
    expect(t.requests().filter((r) => r === "POST /")).toHaveLength(1);
  });

  it("two servers asking at the same moment start one Meta job between them", async () => {
    const t = await linkedUser(db);
    const range = ninetyDays(t);
    const [a, b] = await Promise.all([t.insights(range), onServerB(t, range)]);
    expect(t.requests().filter((r) => r === "POST /")).toHaveLength(1);
    const runIds = [running(a).runId, running(b).runId].filter(Boolean);
    expect(runIds.length).toBeGreaterThanOrEqual(1);
    expect(new Set(runIds).size).toBe(1);
    // Whoever was told "starting" (no runId yet) joins the same run on its next ask.
    expect(running(await onServerB(t, range)).runId).toBe(runIds[0]);
    expect(t.requests().filter((r) => r === "POST /")).toHaveLength(0);
  });

  it("a run whose starter died before Meta answered is started again after two minutes, not waited on forever", async () => {
    const t = await linkedUser(db);
    const range = ninetyDays(t);
    const span = (range as { custom: { since: string; until: string } }).custom;
    const row = await db.metaAdAccount.findFirstOrThrow({ where: { userId: t.userId }, select: { id: true } });
    await db.insightsReportRun.create({
      data: { adAccountRowId: row.id, since: span.since, until: span.until, status: "starting", claim: "crashed", startedAt: t.now(), updatedAt: t.now() },
    });
    const waiting = running(await t.insights(range));
    expect(waiting.runId).toBeUndefined();
    expect(t.requests()).toEqual([]);

    t.sandbox.control.advanceClock(3 * MINUTE);
    const restarted = running(await t.insights(range));
    expect(restarted.runId).toMatch(/^\d+$/);
    expect(t.requests()).toEqual(["POST /", `GET /${restarted.runId}`]);
  });
});
