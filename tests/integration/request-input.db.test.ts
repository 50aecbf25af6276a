import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "../helpers/test-db";
import { jsonRequest, useAppEnv } from "../helpers/app-env";

// How every JSON route reads its input (src/server/http/read-input.ts): NUL bytes, broken UTF-8,
// wrong content types and oversized bodies are refused as the client's fault, before anything is
// buffered whole or reaches the database.
const session = vi.hoisted(() => ({ current: null as null | { user: { id: string; email: string; role: string } } }));
vi.mock("@/auth", () => ({ auth: async () => session.current }));

type Route = (request: Request, context?: never) => Promise<Response>;
let database: TestDatabase;
let db: Db;
const routes = {} as { register: Route; list: Route; select: Route; ops: Route; deauthorize: Route };

beforeAll(async () => {
  database = await createTestDatabase();
  useAppEnv(database.url, { META_SANDBOX: "1" });
  routes.register = (await import("@/app/api/register/route")).POST;
  routes.list = (await import("@/app/api/meta/ad-accounts/route")).GET;
  routes.select = (await import("@/app/api/meta/ad-accounts/select/route")).POST;
  routes.ops = (await import("@/app/api/ops/connections/route")).GET;
  routes.deauthorize = (await import("@/app/api/meta/deauthorize/route")).POST;
  db = (await import("@/server/db")).db();
  const user = await db.user.create({ data: { email: "ops@example.com", role: "OPS" } });
  session.current = { user: { id: user.id, email: user.email, role: "OPS" } };
});
afterAll(async () => {
  await db.$disconnect();
  await database.close();
});

async function refusal(response: Response) {
  return { status: response.status, body: await response.json() };
}
const validation = { status: 400, body: { error: expect.objectContaining({ code: "VALIDATION_ERROR", message: expect.any(String) }) } };

/** A body stream that counts how much of it was pulled. */
function countedStream(total: number, chunk = 16 * 1024) {
  const seen = { bytes: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.bytes >= total) return controller.close();
      seen.bytes += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x20));
    },
  });
  return { stream, seen };
}

describe("NUL bytes and malformed text", () => {
  it("refuse a NUL in a JSON string or key, and write nothing", async () => {
    const users = await db.user.count();
    for (const body of [
      { email: "nul@example.com", password: "long enough pw", name: "a\u0000b" },
      { email: "nul2@example.com", password: "long enough pw", ["na\u0000me"]: "x" },
    ]) {
      expect(await refusal(await routes.register(jsonRequest("/api/register", body)))).toMatchObject(validation);
    }
    expect(await db.user.count()).toBe(users);
  });

  it("refuse a NUL in a query string", async () => {
    expect(await refusal(await routes.list(new Request("http://localhost:3000/api/meta/ad-accounts?q=%00")))).toMatchObject(validation);
    expect(await refusal(await routes.ops(new Request("http://localhost:3000/api/ops/connections?cursor=a%00b")))).toMatchObject(validation);
  });

  it("refuse a lone surrogate and invalid UTF-8", async () => {
    expect(await refusal(await routes.register(jsonRequest("/api/register", '{"email":"s@example.com","password":"long enough pw","name":"\\ud800"}')))).toMatchObject(validation);
    const broken = new Request("http://localhost:3000/api/register", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: Buffer.concat([Buffer.from('{"email":"u@example.com","password":"long enough pw","name":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    });
    expect(await refusal(await routes.register(broken))).toMatchObject(validation);
  });

  it("refuse a body that is not sent as JSON, and a __proto__ key", async () => {
    const asText = jsonRequest("/api/register", { email: "t@example.com", password: "long enough pw" }, { "content-type": "text/plain" });
    expect(await refusal(await routes.register(asText))).toMatchObject(validation);
    expect(await refusal(await routes.select(jsonRequest("/api/meta/ad-accounts/select", '{"__proto__":{"admin":true},"adAccountId":"act_1"}')))).toMatchObject(validation);
  });
});

describe("body size", () => {
  it("refuses a declared oversized body without reading it", async () => {
    const { stream, seen } = countedStream(10 * 1024 * 1024);
    const request = new Request("http://localhost:3000/api/register", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3000", "content-length": String(10 * 1024 * 1024) },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(await refusal(await routes.register(request))).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
    expect(seen.bytes).toBeLessThanOrEqual(16 * 1024);
  });

  it("stops reading an undeclared body at the cap", async () => {
    for (const route of [routes.register, routes.deauthorize]) {
      const { stream, seen } = countedStream(10 * 1024 * 1024);
      const request = new Request("http://localhost:3000/api/x", {
        method: "POST",
        headers: { "content-type": route === routes.register ? "application/json" : "application/x-www-form-urlencoded", origin: "http://localhost:3000" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(await refusal(await route(request))).toMatchObject({ status: 413, body: { error: { code: "PAYLOAD_TOO_LARGE" } } });
      expect(seen.bytes).toBeLessThan(128 * 1024);
    }
  });
});
