import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_APP } from "@/emulators/meta";
import { startSandboxServer, type SandboxServer } from "@/emulators/meta/server";
import type { Db } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "@kit/db";
import { useAppEnv } from "@kit/app-env";
import { seedLinkedConnection } from "@kit/seed";

// The generic connection routes in process, against the Meta sandbox over HTTP. The session is
// what Auth.js would read from the cookie (the cookie flow itself: link-flow test and journeys).
const session = vi.hoisted(() => ({ current: null as null | { user: { id: string; email: string; role: string } } }));
vi.mock("@/auth", () => ({ auth: async () => session.current }));

type Get = (request: Request) => Promise<Response>;
type Post = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;
let database: TestDatabase;
let sandbox: SandboxServer;
let db: Db;
const routes = {} as { list: Get; disconnect: Post; sync: Post; refresh: Post };
const people = {} as Record<"ann" | "bob", { userId: string; connectionId: string; token: string }>;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startSandboxServer({ port: 0 });
  useAppEnv(database.url, { META_APP_ID: DEFAULT_APP.appId, META_APP_SECRET: DEFAULT_APP.appSecret, META_GRAPH_URL: sandbox.url, META_WEB_URL: sandbox.url });
  routes.list = (await import("@/app/api/connections/route")).GET;
  routes.disconnect = (await import("@/app/api/connections/[id]/disconnect/route")).POST as unknown as Post;
  routes.sync = (await import("@/app/api/connections/[id]/sync/route")).POST as unknown as Post;
  routes.refresh = (await import("@/app/api/connections/[id]/refresh/route")).POST as unknown as Post;
  db = (await import("@/server/db")).db();
  for (const [who, persona] of [["ann", "agency"], ["bob", "solo"]] as const) {
    people[who] = await seedLinkedConnection(db, { sandbox: sandbox.sandbox }, { persona, email: `${who}@example.com`, adAccounts: 3 });
  }
});
afterAll(async () => {
  await db.$disconnect();
  await sandbox.close();
  await database.close();
});

function as(who: "ann" | "bob" | null) {
  session.current = who ? { user: { id: people[who].userId, email: `${who}@example.com`, role: "USER" } } : null;
}
const post = (route: Post, id: string, action: string, headers: Record<string, string> = { origin: "http://localhost:3000" }) =>
  route(new Request(`http://localhost:3000/api/connections/${id}/${action}`, { method: "POST", headers }), { params: Promise.resolve({ id }) });

describe("GET /api/connections", () => {
  it("401 without a session", async () => {
    as(null);
    const response = await routes.list(new Request("http://localhost:3000/api/connections"));
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("UNAUTHORIZED");
  });

  it("lists the providers and only the signed-in user's connections, with the one status and no token", async () => {
    as("ann");
    const response = await routes.list(new Request("http://localhost:3000/api/connections"));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.providers).toEqual([{ id: "facebook", name: "Facebook", configured: true, sandbox: false }]);
    expect(body.connections).toHaveLength(1);
    expect(body.connections[0]).toMatchObject({
      id: people.ann.connectionId,
      provider: "facebook",
      externalId: sandbox.sandbox.control.userId("agency"),
      status: "connected",
      health: "ok",
      assetCounts: { adAccounts: 3 },
    });
    const text = JSON.stringify(body);
    for (const p of Object.values(people)) expect(text).not.toContain(p.token);
    expect(text).not.toMatch(/vault:|access_token|EAA/);
  });

  it("refuses a query it does not know", async () => {
    as("ann");
    expect((await routes.list(new Request("http://localhost:3000/api/connections?userId=x"))).status).toBe(400);
  });
});

describe("POST /api/connections/{id}/…", () => {
  it.each(["sync", "refresh", "disconnect"] as const)("%s: 401 signed out, 403 cross-site, 404 for another user's id — touching nothing", async (action) => {
    sandbox.sandbox.control.clearRequestLog();
    as(null);
    expect((await post(routes[action], people.bob.connectionId, action)).status).toBe(401);
    as("ann");
    expect((await post(routes[action], people.bob.connectionId, action, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post(routes[action], people.bob.connectionId, action, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    const stranger = await post(routes[action], people.bob.connectionId, action);
    expect(stranger.status).toBe(404);
    expect((await stranger.json()).error.code).toBe("NOT_FOUND");
    expect((await post(routes[action], "bad id!", action)).status).toBe(400);
    expect(await db.connection.count({ where: { id: people.bob.connectionId } })).toBe(1);
    expect(sandbox.sandbox.control.requestLog()).toEqual([]);
  });

  it("refresh answers 409 for a provider without refresh tokens", async () => {
    as("bob");
    const response = await post(routes.refresh, people.bob.connectionId, "refresh");
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatchObject({ code: "CONFLICT", message: "Facebook tokens cannot be refreshed." });
  });

  it("sync re-reads the assets now and records it", async () => {
    as("bob");
    const before = await db.connection.findUniqueOrThrow({ where: { id: people.bob.connectionId } });
    const response = await post(routes.sync, people.bob.connectionId, "sync");
    expect(response.status).toBe(200);
    // The three seeded accounts are not Meta's: the solo persona's one account replaces them.
    expect(await response.json()).toEqual({ connectionId: people.bob.connectionId, assets: { adAccounts: 1, added: 1, removed: 3, updated: 0 } });
    const after = await db.connection.findUniqueOrThrow({ where: { id: people.bob.connectionId } });
    expect(after.lastSyncedAt!.getTime()).toBeGreaterThan((before.lastSyncedAt ?? before.linkedAt).getTime());
    expect(after.assetCounts).toEqual({ adAccounts: 1 });
  });

  it("disconnect revokes at the platform and forgets the connection", async () => {
    as("bob");
    const response = await post(routes.disconnect, people.bob.connectionId, "disconnect");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ disconnected: true, revoked: true });
    expect(await db.connection.count({ where: { userId: people.bob.userId } })).toBe(0);
    expect(await db.account.count({ where: { userId: people.bob.userId } })).toBe(0);
  });
});
