import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_APP } from "@/emulators/meta";
import { startSandboxServer, type SandboxServer } from "@/emulators/meta/server";
import type { Db } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "@kit/db";
import { jsonRequest, useAppEnv } from "@kit/app-env";

// The JSON routes in process. The session is what Auth.js would read from the cookie (the real
// cookie flow is covered by the link-flow test and the browser journeys).
const session = vi.hoisted(() => ({ current: null as null | { user: { id: string; email: string; role: string } } }));
vi.mock("@/auth", () => ({ auth: async () => session.current }));

type Route = (request: Request) => Promise<Response>;
let database: TestDatabase;
let sandbox: SandboxServer;
let db: Db;
const routes = {} as { status: Route; list: Route; select: Route; sync: Route; disconnect: Route };
const people = {} as Record<"ann" | "bob", { userId: string; connectionId: string; adAccountId: string; token: string }>;

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startSandboxServer({ port: 0 });
  useAppEnv(database.url, {
    META_APP_ID: DEFAULT_APP.appId,
    META_APP_SECRET: DEFAULT_APP.appSecret,
    META_GRAPH_URL: sandbox.url,
    META_WEB_URL: sandbox.url,
  });
  routes.status = (await import("@/app/api/meta/status/route")).GET;
  routes.list = (await import("@/app/api/meta/ad-accounts/route")).GET;
  routes.select = (await import("@/app/api/meta/ad-accounts/select/route")).POST;
  routes.sync = (await import("@/app/api/meta/ad-accounts/sync/route")).POST;
  routes.disconnect = (await import("@/app/api/meta/disconnect/route")).POST;
  db = (await import("@/server/db")).db();
  const { linkFacebook } = await import("@/server/integrations/facebook/link-facebook");
  for (const [who, persona] of [["ann", "solo"], ["bob", "disabled"]] as const) {
    const user = await db.user.create({ data: { email: `${who}@example.com` } });
    const issued = sandbox.sandbox.control.issueToken({ persona, scopes: ["public_profile", "ads_read", "business_management"] });
    const linked = await linkFacebook(db, {
      userId: user.id,
      providerAccountId: sandbox.sandbox.control.userId(persona),
      name: persona,
      accessToken: issued.accessToken,
      expiresIn: 7200,
    });
    const account = await db.metaAdAccount.findFirstOrThrow({ where: { connectionId: linked.connectionId } });
    const stored = await db.account.findFirstOrThrow({ where: { userId: user.id } });
    people[who] = { userId: user.id, connectionId: linked.connectionId, adAccountId: account.adAccountId, token: stored.access_token! };
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
const get = (route: Route, path: string) => route(new Request(`http://localhost:3000${path}`));
const post = (route: Route, path: string, body: unknown, headers: Record<string, string> = {}) => route(jsonRequest(path, body, headers));

describe("Meta JSON routes", () => {
  it("answer 401 in the standard shape without a session", async () => {
    as(null);
    const responses = [
      await get(routes.status, "/api/meta/status"),
      await get(routes.list, "/api/meta/ad-accounts"),
      await post(routes.select, "/api/meta/ad-accounts/select", { adAccountId: people.ann.adAccountId }),
      await post(routes.sync, "/api/meta/ad-accounts/sync", { connectionId: people.ann.connectionId }),
      await post(routes.disconnect, "/api/meta/disconnect", { connectionId: people.ann.connectionId }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe("UNAUTHORIZED");
    }
  });

  it("refuse cross-site mutations even with a session", async () => {
    as("ann");
    const evil = { origin: "https://evil.example" };
    for (const [route, path, body] of [
      [routes.select, "/api/meta/ad-accounts/select", { adAccountId: people.ann.adAccountId }],
      [routes.sync, "/api/meta/ad-accounts/sync", { connectionId: people.ann.connectionId }],
      [routes.disconnect, "/api/meta/disconnect", { connectionId: people.ann.connectionId }],
    ] as const) {
      const response = await post(route, path, body, evil);
      expect(response.status).toBe(403);
    }
    expect(await db.connection.count({ where: { id: people.ann.connectionId } })).toBe(1);
  });

  it("answer NOT_FOUND for another user's connection or ad account, and change nothing", async () => {
    as("bob");
    const attempts = [
      await get(routes.list, `/api/meta/ad-accounts?connectionId=${people.ann.connectionId}`),
      await post(routes.select, "/api/meta/ad-accounts/select", { adAccountId: people.ann.adAccountId }),
      await post(routes.sync, "/api/meta/ad-accounts/sync", { connectionId: people.ann.connectionId }),
      await post(routes.disconnect, "/api/meta/disconnect", { connectionId: people.ann.connectionId }),
    ];
    for (const response of attempts) {
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe("NOT_FOUND");
    }
    expect(await db.connection.count({ where: { id: people.ann.connectionId } })).toBe(1);
    expect(await db.metaAdAccount.count({ where: { userId: people.ann.userId, isSelected: true } })).toBe(0);
  });

  it.each([
    ["malformed JSON", "{oops", undefined],
    ["a wrong ad account id", { adAccountId: "123" }, "adAccountId"],
    ["an unknown field", { adAccountId: "act_1", admin: true }, undefined],
  ])("refuse %s with VALIDATION_ERROR", async (_label, body, field) => {
    as("ann");
    const response = await post(routes.select, "/api/meta/ad-accounts/select", body);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("VALIDATION_ERROR");
    if (field) expect(error.field).toBe(field);
  });

  it("serve the owner: status without tokens, search, select, sync, disconnect", async () => {
    as("ann");
    const status = await get(routes.status, "/api/meta/status");
    const text = await status.text();
    expect(JSON.parse(text)).toMatchObject({ status: "connected", connections: [{ id: people.ann.connectionId, provider: "facebook" }] });
    expect(text).not.toContain(people.ann.token);
    expect(text).not.toMatch(/access_token|vault:v1/);

    const list = await (await get(routes.list, `/api/meta/ad-accounts?q=${people.ann.adAccountId}`)).json();
    expect(list.data.map((a: { adAccountId: string }) => a.adAccountId)).toEqual([people.ann.adAccountId]);

    const selected = await post(routes.select, "/api/meta/ad-accounts/select", { adAccountId: people.ann.adAccountId });
    expect((await selected.json()).selected).toMatchObject({ adAccountId: people.ann.adAccountId, isSelected: true });

    const synced = await post(routes.sync, "/api/meta/ad-accounts/sync", { connectionId: people.ann.connectionId });
    expect(await synced.json()).toMatchObject({ adAccountCount: 1, added: 0, removed: 0 });

    const gone = await post(routes.disconnect, "/api/meta/disconnect", { connectionId: people.ann.connectionId });
    expect(await gone.json()).toEqual({ disconnected: true, revoked: true });
    expect((await (await get(routes.status, "/api/meta/status")).json()).status).toBe("not_connected");
  });
});
