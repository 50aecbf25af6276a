import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db";
import { useAppEnv } from "../helpers/app-env";
import { serveRoutes, type HttpApp, type RouteTable } from "../helpers/http-app";

// Sign-in and registration limits under truly concurrent requests: real sockets from distinct
// loopback addresses (127.0.0.x) to Auth.js's credentials callback and POST /api/register.
const EMAIL_LIMIT = 5;
const IP_LIMIT = 20;
const GLOBAL_LIMIT = 45;
const REGISTER_LIMIT = 20;
const PASSWORD = "long enough pw";

let database: TestDatabase;
let app: HttpApp;
let prisma: Db;
const routes: RouteTable = {};

beforeAll(async () => {
  database = await createTestDatabase();
  app = await serveRoutes(routes);
  useAppEnv(database.url, { AUTH_URL: app.url, SIGN_IN_MAX_PER_MINUTE: String(GLOBAL_LIMIT) });
  const auth = await import("@/app/api/auth/[...nextauth]/route");
  const register = await import("@/app/api/register/route");
  routes["/api/auth"] = { GET: auth.GET, POST: auth.POST };
  routes["/api/register"] = { POST: register.POST };
  prisma = (await import("@/server/db")).db();
  const { registerUser } = await import("@/server/users/register-user");
  await registerUser(prisma, { email: "target@example.com", password: PASSWORD });
});
beforeEach(() => prisma.loginThrottle.deleteMany());
afterAll(async () => {
  await app.close();
  await prisma.$disconnect();
  await database.close();
});

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** One request over its own socket from `from` (a 127.0.0.0/8 address). */
function send(method: string, path: string, o: { from: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${app.url}${path}`, { method, localAddress: o.from, agent: false, headers: { origin: app.url, ...o.headers } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(o.body);
  });
}

async function csrf(from: string) {
  const reply = await send("GET", "/api/auth/csrf", { from });
  const cookie = ([] as string[]).concat(reply.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ");
  return { cookie, token: (JSON.parse(reply.body) as { csrfToken: string }).csrfToken };
}

/** A credentials sign-in; "credentials" when the password was checked, "rate_limited" when refused first. */
async function signIn(from: string, email: string, password: string, session: { cookie: string; token: string }) {
  const reply = await send("POST", "/api/auth/callback/credentials", {
    from,
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: session.cookie },
    body: new URLSearchParams({ csrfToken: session.token, email, password, callbackUrl: "/dashboard" }).toString(),
  });
  const location = new URL(String(reply.headers.location), app.url);
  if (location.pathname === "/dashboard") return "signed_in";
  return location.searchParams.get("code") ?? `unexpected ${reply.status} ${location}`;
}

const tally = (outcomes: string[]) => outcomes.reduce<Record<string, number>>((t, o) => ({ ...t, [o]: (t[o] ?? 0) + 1 }), {});

describe("sign-in limits under concurrent attempts", () => {
  it("20 parallel guesses at one email: only the allowance reaches the password check", async () => {
    const session = await csrf("127.0.0.2");
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => signIn("127.0.0.2", "target@example.com", "wrong password", session)));
    expect(tally(outcomes)).toEqual({ credentials: EMAIL_LIMIT, rate_limited: 20 - EMAIL_LIMIT });
    // Blocked now, even with the right password.
    expect(await signIn("127.0.0.3", "target@example.com", PASSWORD, await csrf("127.0.0.3"))).toBe("rate_limited");
  });

  it("30 parallel guesses at 30 emails from one address: the per-address limit holds; another address is unaffected", async () => {
    const session = await csrf("127.0.0.4");
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn("127.0.0.4", `spray-${i}@example.com`, "wrong password", session)));
    expect(tally(outcomes)).toEqual({ credentials: IP_LIMIT, rate_limited: 30 - IP_LIMIT });
    expect(await signIn("127.0.0.5", "target@example.com", PASSWORD, await csrf("127.0.0.5"))).toBe("signed_in");
  });

  it("60 parallel attempts from 60 addresses: the global ceiling holds", async () => {
    const sessions = await Promise.all(Array.from({ length: 60 }, (_, i) => csrf(`127.0.1.${i + 1}`)));
    const outcomes = await Promise.all(sessions.map((s, i) => signIn(`127.0.1.${i + 1}`, `many-${i}@example.com`, "wrong password", s)));
    expect(tally(outcomes)).toEqual({ credentials: GLOBAL_LIMIT, rate_limited: 60 - GLOBAL_LIMIT });
  });

  it("a success clears the email's count and gives the address its attempt back", async () => {
    const session = await csrf("127.0.0.6");
    for (let i = 0; i < EMAIL_LIMIT - 1; i++) expect(await signIn("127.0.0.6", "target@example.com", "wrong password", session)).toBe("credentials");
    expect(await signIn("127.0.0.6", "target@example.com", PASSWORD, session)).toBe("signed_in");
    const rows = await prisma.loginThrottle.findMany({ orderBy: { key: "asc" } });
    expect(rows.find((r) => r.key.includes("target@example.com"))).toBeUndefined();
    expect(rows.find((r) => r.key.endsWith("127.0.0.6"))?.failures).toBe(EMAIL_LIMIT - 1);
  });
});

describe("registration limit per address", () => {
  it("30 parallel registrations from one address: the allowance is created, the rest answer 429 and write nothing", async () => {
    const before = await prisma.user.count();
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        send("POST", "/api/register", { from: "127.0.0.7", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: `new-${i}@example.com`, password: PASSWORD }) }),
      ),
    );
    expect(tally(replies.map((r) => String(r.status)))).toEqual({ 201: REGISTER_LIMIT, 429: 30 - REGISTER_LIMIT });
    const refused = replies.find((r) => r.status === 429)!;
    expect(JSON.parse(refused.body)).toEqual({ error: { code: "RATE_LIMITED", message: expect.any(String), hint: expect.stringMatching(/minute/) } });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(await prisma.user.count()).toBe(before + REGISTER_LIMIT);
    // Another address still registers.
    const other = await send("POST", "/api/register", { from: "127.0.0.8", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "other@example.com", password: PASSWORD }) });
    expect(other.status).toBe(201);
  });
});
