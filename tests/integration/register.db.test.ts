import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { parseDatabaseUrl } from "@/server/db/client";
import { createTestDatabase, type TestDatabase } from "@kit/db";
import { jsonRequest, useAppEnv } from "@kit/app-env";

let db: TestDatabase;
let POST: (request: Request) => Promise<Response>;

beforeAll(async () => {
  db = await createTestDatabase();
  useAppEnv(db.url);
  ({ POST } = await import("@/app/api/register/route"));
});
afterAll(async () => {
  const { db: appDb } = await import("@/server/db");
  await appDb().$disconnect();
  await db.close();
});

async function rawQuery<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: parseDatabaseUrl(db.url).connectionString });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe("POST /api/register", () => {
  it("creates the user with a case-folded email and returns 201 without secrets", async () => {
    const response = await POST(jsonRequest("/api/register", { email: "  Mixed.Case@Example.COM ", password: "long enough pw", name: "Mia" }));
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({ user: { id: expect.any(String), email: "mixed.case@example.com", name: "Mia" } });
  });

  it("never stores the password in clear", async () => {
    await POST(jsonRequest("/api/register", { email: "hash@example.com", password: "my secret password" }));
    const rows = await rawQuery<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = $1`, ["hash@example.com"]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const everything = await rawQuery(`SELECT * FROM users`);
    expect(JSON.stringify(everything)).not.toContain("my secret password");
  });

  it("answers CONFLICT for an email registered in another case", async () => {
    await POST(jsonRequest("/api/register", { email: "dup@example.com", password: "long enough pw" }));
    const response = await POST(jsonRequest("/api/register", { email: "DUP@example.com", password: "another password" }));
    expect(response.status).toBe(409);
    expect((await response.json()).error).toMatchObject({ code: "CONFLICT", field: "email" });
  });

  const long = (n: number) => "a".repeat(n);
  const badInputs: [string, unknown, string | undefined][] = [
    ["malformed JSON", "{not json", undefined],
    ["a JSON array", [], undefined],
    ["missing email", { password: "long enough pw" }, "email"],
    ["email of the wrong type", { email: 42, password: "long enough pw" }, "email"],
    ["an invalid email", { email: "nope", password: "long enough pw" }, "email"],
    ["an email over 254 characters", { email: `${long(250)}@x.com`, password: "long enough pw" }, "email"],
    ["missing password", { email: "p1@example.com" }, "password"],
    ["a password under 8 characters", { email: "p2@example.com", password: "short" }, "password"],
    ["a password over 200 characters", { email: "p3@example.com", password: long(201) }, "password"],
    ["a password of the wrong type", { email: "p4@example.com", password: 12345678 }, "password"],
    ["a name over 100 characters", { email: "n1@example.com", password: "long enough pw", name: long(101) }, "name"],
    ["an unknown field", { email: "u1@example.com", password: "long enough pw", role: "ADMIN" }, undefined],
  ];
  it.each(badInputs)("refuses %s with VALIDATION_ERROR naming the field", async (_label, body, field) => {
    const response = await POST(jsonRequest("/api/register", body));
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(typeof error.message).toBe("string");
    if (field) expect(error.field).toBe(field);
  });

  it("names the unknown field in the message", async () => {
    const response = await POST(jsonRequest("/api/register", { email: "u2@example.com", password: "long enough pw", role: "ADMIN" }));
    expect((await response.json()).error.message).toContain("role");
    expect(await rawQuery(`SELECT 1 FROM users WHERE email = 'u2@example.com'`)).toHaveLength(0);
  });

  it("refuses a cross-site request (foreign Origin, or Sec-Fetch-Site cross-site)", async () => {
    const attempts: Record<string, string>[] = [{ origin: "https://evil.example" }, { origin: "", "sec-fetch-site": "cross-site" }];
    for (const headers of attempts) {
      const request = jsonRequest("/api/register", { email: "csrf@example.com", password: "long enough pw" }, headers);
      if (!headers.origin) request.headers.delete("origin");
      const response = await POST(request);
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe("FORBIDDEN");
    }
    expect(await rawQuery(`SELECT 1 FROM users WHERE email = 'csrf@example.com'`)).toHaveLength(0);
  });
});
