import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/server/db";
import { computeHealth, HEALTH_STATES } from "@/server/health/health-state";
import { getUserHealthNotices } from "@/server/health/get-user-health-notices";
import { sandboxKit, seedConnection, type SeededConnection } from "@/server/health/sandbox-kit";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db";
import { useAppEnv } from "../helpers/app-env";

// The session Auth.js would read from the cookie; the role itself is re-read from the database.
const session = vi.hoisted(() => ({ current: null as null | { user: { id: string; email: string; role: string } } }));
vi.mock("@/auth", () => ({ auth: async () => session.current }));

type Handler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;
let tdb: TestDatabase;
let db: Db;
let list: (request: Request) => Promise<Response>;
let relink: Handler;
const DAY = 86_400_000;
const users: Record<"ops" | "admin" | "plain", string> = { ops: "", admin: "", plain: "" };
const conns: Record<string, SeededConnection> = {};

beforeAll(async () => {
  tdb = await createTestDatabase();
  useAppEnv(tdb.url, { META_SANDBOX: "1", HEALTH_EXPIRING_DAYS: "7" });
  ({ GET: list } = await import("@/app/api/ops/connections/route"));
  ({ POST: relink } = (await import("@/app/api/ops/connections/[id]/request-relink/route")) as unknown as { POST: Handler });
  db = (await import("@/server/db")).db();
  for (const role of ["OPS", "ADMIN", "USER"] as const) {
    const u = await db.user.create({ data: { email: `${role.toLowerCase()}@example.com`, role }, select: { id: true } });
    users[role === "USER" ? "plain" : (role.toLowerCase() as "ops" | "admin")] = u.id;
  }
  const kit = sandboxKit({ seed: 77 });
  const now = Date.now();
  const specs: [string, Parameters<typeof seedConnection>[2], Record<string, unknown>][] = [
    ["healthy", {}, { tokenExpiresAt: new Date(now + 50 * DAY), dataAccessExpiresAt: new Date(now + 80 * DAY) }],
    ["expiring", {}, { tokenExpiresAt: new Date(now + 3 * DAY + 3_600_000) }],
    ["dataEnding", {}, { dataAccessExpiresAt: new Date(now + 5 * DAY) }],
    ["lapsed", {}, { tokenExpiresAt: new Date(now - DAY) }],
    ["expired", { status: "expired" }, {}],
    ["revoked", { status: "revoked" }, { lastErrorCode: 190, lastErrorSubcode: 458, lastErrorMessage: "The user has not authorized application" }],
    ["missing", { status: "permissions_missing" }, {}],
    ["unknown", { status: "needs_relink" }, { lastErrorCode: 190, lastErrorMessage: "Invalid OAuth access token - Cannot parse access token" }],
    ["broken", { status: "error" }, { lastErrorCode: 190, lastErrorSubcode: 459, lastErrorMessage: "You cannot access the app till you log in to www.facebook.com" }],
  ];
  let i = 0;
  for (const [label, seedOptions, fields] of specs) {
    const c = await seedConnection(db, kit, { ...seedOptions, metaUserId: `66${String(++i).padStart(8, "0")}`, name: `FB ${label}`, email: `${label}@example.com`, adAccounts: 2 });
    await db.metaConnection.update({ where: { id: c.connectionId }, data: fields });
    conns[label] = c;
  }
  await db.metaAdAccount.updateMany({ where: { connectionId: conns.healthy!.connectionId }, data: { accountStatus: 2 } });
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.close();
});

function as(who: keyof typeof users | null) {
  session.current = who ? { user: { id: users[who], email: `${who}@example.com`, role: "USER" } } : null;
}
const get = (query = "") => list(new Request(`http://localhost:3000/api/ops/connections${query}`));
const post = (id: string, headers: Record<string, string> = { origin: "http://localhost:3000" }) =>
  relink(new Request(`http://localhost:3000/api/ops/connections/${id}/request-relink`, { method: "POST", headers }), { params: Promise.resolve({ id }) });
const ids = (body: { data: { id: string }[] }) => body.data.map((c) => c.id).sort();
const idsOf = (...labels: string[]) => labels.map((l) => conns[l]!.connectionId).sort();

describe("GET /api/ops/connections", () => {
  it("refuses anonymous (401) and USER (403)", async () => {
    as(null);
    expect((await get()).status).toBe(401);
    as("plain");
    const response = await get();
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("FORBIDDEN");
  });

  it("lists every connection with owner, health, expiries, last error and ad-account counts for OPS and ADMIN", async () => {
    for (const who of ["ops", "admin"] as const) {
      as(who);
      const response = await get();
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.data).toHaveLength(9);
      expect(body.counts).toEqual({ total: 9, connected: 1, expiring: 2, expired: 2, needs_relink: 1, revoked: 1, permissions_missing: 1, error: 1 });
      const revoked = body.data.find((c: { id: string }) => c.id === conns.revoked!.connectionId);
      expect(revoked).toMatchObject({
        owner: { email: "revoked@example.com" },
        name: "FB revoked",
        health: "revoked",
        lastError: { code: 190, subcode: 458 },
        adAccountCount: 2,
      });
      expect(body.data.find((c: { id: string }) => c.id === conns.healthy!.connectionId)).toMatchObject({ health: "connected", adAccountsNotActive: 2 });
    }
  });

  it("filters by health and by 'ending within N days', in agreement with the health model", async () => {
    as("ops");
    expect(ids(await (await get("?health=expiring")).json())).toEqual(idsOf("expiring", "dataEnding"));
    expect(ids(await (await get("?health=expired")).json())).toEqual(idsOf("lapsed", "expired"));
    expect(ids(await (await get("?withinDays=4")).json())).toEqual(idsOf("expiring"));
    expect(ids(await (await get("?health=expiring&withinDays=7d")).json())).toEqual(idsOf("expiring", "dataEnding"));
    const now = new Date();
    const rows = await db.metaConnection.findMany();
    for (const health of HEALTH_STATES) {
      const expected = rows.filter((r) => computeHealth(r, { now, expiringDays: 7 }).health === health).map((r) => r.id).sort();
      expect(ids(await (await get(`?health=${health}`)).json())).toEqual(expected);
    }
  });

  it("pages with a cursor", async () => {
    as("ops");
    const first = await (await get("?limit=5")).json();
    const second = await (await get(`?limit=5&cursor=${first.nextCursor}`)).json();
    expect(first.data).toHaveLength(5);
    expect(second.data).toHaveLength(4);
    expect(second.nextCursor).toBeNull();
  });

  it.each([["?health=sick"], ["?withinDays=soon"], ["?withinDays=9999"], ["?limit=0"], ["?role=ADMIN"]])("refuses %s with VALIDATION_ERROR", async (query) => {
    as("ops");
    const response = await get(query);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("VALIDATION_ERROR");
  });

  it("never returns a token", async () => {
    as("ops");
    const text = await (await get()).text();
    for (const c of Object.values(conns)) expect(text).not.toContain(c.token);
    expect(text).not.toMatch(/access_token|EAA|vault:/);
  });
});

describe("POST /api/ops/connections/{id}/request-relink", () => {
  it("refuses anonymous (401), USER (403) and cross-site requests (403), recording nothing", async () => {
    const id = conns.healthy!.connectionId;
    as(null);
    expect((await post(id)).status).toBe(401);
    as("plain");
    expect((await post(id)).status).toBe(403);
    as("ops");
    expect((await post(id, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post(id, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await db.metaConnection.findUniqueOrThrow({ where: { id } })).relinkRequestedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { connectionId: id, action: "relink_requested" } })).toBe(0);
  });

  it("records who asked and when, audits it, and shows the banner to the owner only", async () => {
    const c = conns.healthy!;
    as("ops");
    const response = await post(c.connectionId);
    expect(response.status).toBe(200);
    expect((await response.json()).connection).toMatchObject({ id: c.connectionId, relinkRequestedBy: users.ops });
    const row = await db.metaConnection.findUniqueOrThrow({ where: { id: c.connectionId } });
    expect(row.relinkRequestedBy).toBe(users.ops);
    const audit = await db.auditEvent.findMany({ where: { connectionId: c.connectionId, action: "relink_requested" } });
    expect(audit.map((e) => [e.actorId, e.userId])).toEqual([[users.ops, c.userId]]);

    const o = { now: new Date(), expiringDays: 7 };
    expect((await getUserHealthNotices(db, c.userId, o)).map((n) => n.kind)).toEqual(["relink_requested"]);
    for (const other of [users.ops, users.admin, users.plain, conns.expiring!.userId]) {
      expect((await getUserHealthNotices(db, other, o)).some((n) => n.kind === "relink_requested")).toBe(false);
    }
    const { HealthBanner } = await import("@/components/health/health-banner");
    const { renderToStaticMarkup } = await import("react-dom/server");
    const html = renderToStaticMarkup(await HealthBanner({ userId: c.userId }));
    expect(html).toContain("Our team asked you to reconnect Facebook");
    expect(html).toMatch(/<a [^>]*href="\/settings\/connections"[^>]*>Reconnect<\/a>/);
    expect(renderToStaticMarkup(await HealthBanner({ userId: users.ops }))).toBe("");

    const listed = (await (await get()).json()).data.find((x: { id: string }) => x.id === c.connectionId);
    expect(listed.relinkRequestedBy).toEqual({ id: users.ops, email: "ops@example.com" });
  });

  it("answers NOT_FOUND for an unknown connection and VALIDATION_ERROR for a malformed id", async () => {
    as("admin");
    expect((await post("doesnotexist")).status).toBe(404);
    expect((await post("bad id!")).status).toBe(400);
  });

  it("applies a demotion at once: the role is read from the database, not the session", async () => {
    const demoted = await db.user.create({ data: { email: "was-ops@example.com", role: "OPS" }, select: { id: true } });
    session.current = { user: { id: demoted.id, email: "was-ops@example.com", role: "OPS" } };
    expect((await get()).status).toBe(200);
    await db.user.update({ where: { id: demoted.id }, data: { role: "USER" } });
    expect((await get()).status).toBe(403);
  });
});
