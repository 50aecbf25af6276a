import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_APP } from "@/emulators/meta";
import { startSandboxServer, type SandboxServer } from "@/emulators/meta/server";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { createGraphClient } from "@/server/integrations/facebook/client";
import { useAppEnv } from "@kit/app-env";
import { createTestDatabase, type TestDatabase } from "@kit/db";
import { seedLinkedConnection } from "@kit/seed";

// The real route handler in process (session stubbed) against the sandbox over HTTP.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("@/server/users/require-user", () => ({
  requireUserId: async () => {
    if (!session.userId) throw new AppError({ code: "UNAUTHORIZED", message: "Sign in first." });
    return session.userId;
  },
}));

let database: TestDatabase;
let sandbox: SandboxServer;
let prisma: Db;
let GET: (request: Request) => Promise<Response>;
type Linked = { userId: string; adAccountId: string; currency: string; timeZone: string; token: string };
let solo: Linked;
let other: Linked;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startSandboxServer({ port: 0 });
  useAppEnv(database.url, { META_APP_ID: DEFAULT_APP.appId, META_APP_SECRET: DEFAULT_APP.appSecret, META_GRAPH_URL: sandbox.url, META_SANDBOX: "0" });
  ({ GET } = (await import("@/app/api/meta/insights/route")) as unknown as { GET: typeof GET });
  prisma = (await import("@/server/db")).db();
  const graph = createGraphClient({ appId: DEFAULT_APP.appId, appSecret: DEFAULT_APP.appSecret, graphUrl: sandbox.url, graphVersion: "v25.0" });
  const linked = async (persona: string): Promise<Linked> => {
    const seeded = await seedLinkedConnection(prisma, { sandbox: sandbox.sandbox, graph }, { persona, selectAdAccount: 0 });
    return { userId: seeded.userId, token: seeded.token, ...seeded.adAccount! };
  };
  solo = await linked("solo");
  other = await linked("pages");
});
afterAll(async () => {
  await prisma.$disconnect();
  await sandbox.close();
  await database.close();
});
beforeEach(() => {
  session.userId = solo.userId;
});

const get = (query: Record<string, string>) => GET(new Request(`http://localhost:3000/api/meta/insights?${new URLSearchParams(query)}`));

describe("GET /api/meta/insights", () => {
  it("answers the documented shape with numbers as numbers", async () => {
    const response = await get({ adAccountId: solo.adAccountId, datePreset: "last_7d" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown> & { totals: Record<string, unknown>; daily: Record<string, unknown>[] };
    expect(Object.keys(body).sort()).toEqual(["adAccountId", "currency", "daily", "fetchedAt", "range", "source", "status", "timezone", "totals"]);
    expect(body).toMatchObject({ status: "ready", adAccountId: solo.adAccountId, currency: solo.currency, timezone: solo.timeZone, source: "meta" });
    const metricKeys = ["clicks", "conversions", "cpc", "cpm", "ctr", "impressions", "purchaseRoas", "reach", "spend"];
    expect(Object.keys(body.totals).sort()).toEqual(metricKeys);
    expect(body.daily).toHaveLength(7);
    expect(Object.keys(body.daily[0]!).sort()).toEqual(["date", ...metricKeys].sort());
    for (const v of Object.values(body.totals)) expect(["number", "object"]).toContain(typeof v);
    expect(typeof body.totals.spend).toBe("number");
    expect(JSON.stringify(body)).not.toContain(solo.token);

    const cached = await get({ adAccountId: solo.adAccountId, datePreset: "last_7d" });
    expect(((await cached.json()) as { source: string }).source).toBe("cache");
    const refreshed = await get({ adAccountId: solo.adAccountId, datePreset: "last_7d", refresh: "1" });
    expect(((await refreshed.json()) as { source: string }).source).toBe("meta");
  });

  it.each([
    ["no ad account", {}],
    ["an unknown preset", { adAccountId: "act_1210000000000", datePreset: "last_90d" }],
    ["since after until", { adAccountId: "act_1210000000000", since: "2026-03-10", until: "2026-03-01" }],
    ["a future until", { adAccountId: "act_1210000000000", since: "2026-03-01", until: "2099-01-01" }],
    ["more than 37 months back", { adAccountId: "act_1210000000000", since: "2019-01-01", until: "2019-01-31" }],
    ["a bad date", { adAccountId: "act_1210000000000", since: "yesterday", until: "today" }],
  ])("400 VALIDATION_ERROR for %s", async (_name, query) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_ERROR");
  });

  it("404 NOT_FOUND for another user's ad account", async () => {
    const response = await get({ adAccountId: other.adAccountId });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("401 when signed out", async () => {
    session.userId = null;
    expect((await get({ adAccountId: solo.adAccountId })).status).toBe(401);
  });

  it("409 'Reconnect Facebook to see insights' once the token is dead", async () => {
    session.userId = other.userId;
    sandbox.sandbox.control.expireToken(other.token);
    const response = await get({ adAccountId: other.adAccountId, datePreset: "yesterday" });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: "MISSING_PREREQUISITE", message: "Reconnect Facebook to see insights.", hint: expect.stringContaining("Reconnect") },
    });
  });
});
