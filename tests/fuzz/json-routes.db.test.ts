import fc from "fast-check";
import { afterAll, beforeAll, describe, it, vi } from "vitest";
import { DEFAULT_APP, signRequest } from "@/emulators/meta";
import { startSandboxServer, type SandboxServer } from "@/emulators/meta/server";
import type { Db } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db";
import { useAppEnv } from "../helpers/app-env";
import { contentType, expectWellFormed, hostileBody, hostileHeaders, hostileQuery, hostileString, hostileValue, report, rowCounter, runs, safeHeaders, SEED } from "./hostile-input";

// Every JSON route against hostile input, signed in (as the owner, as someone else, as ops) or not:
// never a 5xx, always the standard error shape, and a refused request writes nothing.
const session = vi.hoisted(() => ({ current: null as null | { user: { id: string; email: string; role: string } } }));
vi.mock("@/auth", () => ({ auth: async () => session.current }));

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;
let database: TestDatabase;
let sandbox: SandboxServer;
let db: Db;
let counter: Awaited<ReturnType<typeof rowCounter>>;
const routes = {} as Record<"register" | "status" | "list" | "select" | "sync" | "disconnect" | "insights" | "ops" | "relink" | "deauthorize" | "dataDeletion", Handler>;
const people = {} as Record<"ann" | "bob" | "olga", { id: string; role: string }>;
const ids = { connections: [] as string[], adAccounts: [] as string[], metaUsers: [] as string[] };

beforeAll(async () => {
  database = await createTestDatabase();
  sandbox = await startSandboxServer({ port: 0 });
  useAppEnv(database.url, { META_APP_ID: DEFAULT_APP.appId, META_APP_SECRET: DEFAULT_APP.appSecret, META_GRAPH_URL: sandbox.url, META_WEB_URL: sandbox.url });
  const load = async (path: string, method: "GET" | "POST") => ((await import(path)) as Record<string, Handler>)[method]!;
  Object.assign(routes, {
    register: await load("@/app/api/register/route", "POST"),
    status: await load("@/app/api/meta/status/route", "GET"),
    list: await load("@/app/api/meta/ad-accounts/route", "GET"),
    select: await load("@/app/api/meta/ad-accounts/select/route", "POST"),
    sync: await load("@/app/api/meta/ad-accounts/sync/route", "POST"),
    disconnect: await load("@/app/api/meta/disconnect/route", "POST"),
    insights: await load("@/app/api/meta/insights/route", "GET"),
    ops: await load("@/app/api/ops/connections/route", "GET"),
    relink: await load("@/app/api/ops/connections/[id]/request-relink/route", "POST"),
    deauthorize: await load("@/app/api/meta/deauthorize/route", "POST"),
    dataDeletion: await load("@/app/api/meta/data-deletion/route", "POST"),
  });
  db = (await import("@/server/db")).db();
  const { linkFacebook } = await import("@/server/connections/link-facebook");
  for (const [who, persona, role] of [["ann", "solo", "USER"], ["bob", "disabled", "USER"], ["olga", null, "OPS"]] as const) {
    const user = await db.user.create({ data: { email: `${who}@example.com`, role } });
    people[who] = { id: user.id, role };
    if (!persona) continue;
    const issued = sandbox.sandbox.control.issueToken({ persona, scopes: ["public_profile", "ads_read", "business_management"] });
    const metaUserId = sandbox.sandbox.control.userId(persona);
    const linked = await linkFacebook(db, { userId: user.id, providerAccountId: metaUserId, name: persona, accessToken: issued.accessToken, expiresIn: 7200 });
    ids.connections.push(linked.connectionId);
    ids.metaUsers.push(metaUserId);
    ids.adAccounts.push(...(await db.metaAdAccount.findMany({ where: { connectionId: linked.connectionId } })).map((a) => a.adAccountId));
  }
  counter = await rowCounter(database.url);
});
afterAll(async () => {
  await counter.close();
  await db.$disconnect();
  await sandbox.close();
  await database.close();
});

const who = fc.constantFrom<keyof typeof people | null>("ann", "bob", "olga", null);
const opsOrNot = fc.oneof({ weight: 3, arbitrary: fc.constant<keyof typeof people>("olga") }, { weight: 1, arbitrary: who });
const signInAs = (name: keyof typeof people | null) => {
  session.current = name ? { user: { id: people[name].id, email: `${name}@example.com`, role: people[name].role } } : null;
};
const known = (list: () => string[]) => fc.oneof(hostileString, fc.constantFrom(...list()));

/** Calls `handler` with each generated request; checks the answer and, on a refusal, that nothing changed. */
async function fuzz(family: string, numRuns: number, arbitrary: fc.Arbitrary<{ as: keyof typeof people | null; request: () => Request; handler: Handler; params?: Record<string, string> }>) {
  const statuses: number[] = [];
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ as, request, handler, params }) => {
      signInAs(as);
      const before = await counter.snapshot();
      const response = await handler(request(), params ? { params: Promise.resolve(params) } : undefined);
      const { status } = await expectWellFormed(response, `${family} as ${as}`);
      statuses.push(status);
      if (status >= 400) {
        const after = await counter.snapshot();
        if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`${family}: a ${status} changed rows: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      }
    }),
    { seed: SEED, numRuns, endOnFailure: true },
  );
  report(family, statuses);
}

const post = (path: string, body: string | Buffer, type: string, extra: Record<string, string>) => () =>
  new Request(`http://localhost:3000${path}`, {
    method: "POST",
    headers: safeHeaders({ origin: "http://localhost:3000", "content-type": type, ...extra }),
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
const get = (path: string, query: string, extra: Record<string, string>) => () => new Request(`http://localhost:3000${path}?${query}`, { headers: safeHeaders(extra) });

describe("fuzz: JSON routes", () => {
  it("POST /api/register", async () => {
    const shaped = fc.record(
      {
        email: fc.oneof(hostileString, fc.emailAddress(), fc.stringMatching(/^[a-z]{1,12}$/).map((local) => `${local}@example.com`)),
        password: fc.oneof(hostileString, fc.string({ minLength: 8, maxLength: 30 })),
        name: fc.oneof(fc.string({ maxLength: 120 }), hostileValue),
      },
      { requiredKeys: ["email", "password"] },
    );
    await fuzz("register", runs(150), fc.record({ as: fc.constant(null), body: hostileBody(shaped), type: contentType, extra: hostileHeaders }).map((c) => ({ as: c.as, handler: routes.register, request: post("/api/register", c.body, c.type, c.extra) })));
  });

  it("the signed-in user's Meta routes (status, ad accounts, select, sync, disconnect, insights)", async () => {
    const body = fc.record({ connectionId: known(() => ids.connections.slice(1)), adAccountId: known(() => ids.adAccounts), extra: hostileValue }, { requiredKeys: [] });
    const mutation = (route: "select" | "sync" | "disconnect", path: string) =>
      fc.record({ as: who, body: hostileBody(body), type: contentType, extra: hostileHeaders }).map((c) => ({ as: c.as, handler: routes[route], request: post(path, c.body, c.type, c.extra) }));
    const query = (route: "status" | "list" | "insights", path: string, keys: string[]) =>
      fc.record({ as: who, query: hostileQuery(keys), extra: hostileHeaders }).map((c) => ({ as: c.as, handler: routes[route], request: get(path, c.query, c.extra) }));
    await fuzz(
      "meta routes",
      runs(300),
      fc.oneof(
        query("status", "/api/meta/status", ["x"]),
        query("list", "/api/meta/ad-accounts", ["q", "connectionId", "cursor", "limit"]),
        query("insights", "/api/meta/insights", ["adAccountId", "datePreset", "since", "until", "refresh", "runId"]),
        mutation("select", "/api/meta/ad-accounts/select"),
        mutation("sync", "/api/meta/ad-accounts/sync"),
        mutation("disconnect", "/api/meta/disconnect"),
      ),
    );
  });

  it("ops routes (list, request re-link)", async () => {
    await fuzz(
      "ops routes",
      runs(150),
      fc.oneof(
        fc.record({ as: opsOrNot, query: hostileQuery(["health", "withinDays", "cursor", "limit"]), extra: hostileHeaders }).map((c) => ({ as: c.as, handler: routes.ops, request: get("/api/ops/connections", c.query, c.extra) })),
        fc.record({ as: opsOrNot, id: fc.oneof(hostileString, fc.constantFrom(...ids.connections)), body: hostileBody(fc.record({ x: hostileValue })), type: contentType, extra: hostileHeaders }).map((c) => ({
          as: c.as,
          handler: routes.relink,
          params: { id: c.id },
          request: post("/api/ops/connections/x/request-relink", c.body, c.type, c.extra),
        })),
      ),
    );
  });

  it("Meta callbacks (deauthorize, data deletion), unsigned and correctly signed", async () => {
    const mostly = <T,>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: bad });
    const payload = fc.record(
      {
        algorithm: mostly(fc.constant("HMAC-SHA256"), hostileString),
        user_id: mostly(fc.oneof(fc.constantFrom(...ids.metaUsers), fc.bigInt({ min: 1n, max: 10n ** 20n }).map(String)), hostileString),
        issued_at: mostly(fc.integer({ min: -600, max: 0 }).map((d) => Math.floor(Date.now() / 1000) + d), fc.oneof(fc.integer(), fc.double())),
        expires: fc.integer(),
        extra: hostileValue,
      },
      { requiredKeys: ["algorithm", "user_id", "issued_at"] },
    );
    const signed = fc.oneof({ weight: 1, arbitrary: hostileString }, { weight: 4, arbitrary: payload.map((p) => signRequest(p, DEFAULT_APP.appSecret)) });
    const form = fc.oneof(
      { weight: 4, arbitrary: signed.map((s) => new URLSearchParams({ signed_request: s }).toString()) },
      { weight: 1, arbitrary: hostileBody(fc.record({ signed_request: hostileValue })).map(String) },
    );
    await fuzz(
      "meta callbacks",
      runs(150),
      fc.record({ route: fc.constantFrom("deauthorize" as const, "dataDeletion" as const), form, type: fc.oneof({ weight: 4, arbitrary: fc.constant("application/x-www-form-urlencoded") }, { weight: 1, arbitrary: contentType }), extra: hostileHeaders }).map((c) => ({
        as: null,
        handler: routes[c.route],
        request: post(`/api/meta/${c.route === "deauthorize" ? "deauthorize" : "data-deletion"}`, c.form, c.type, c.extra),
      })),
    );
  });
});
