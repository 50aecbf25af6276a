import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { createTestDatabase, type TestDatabase } from "@kit/db";
import { useAppEnv } from "@kit/app-env";

// Auth.js's real handlers, in process, with a production (https) public URL.
let db: TestDatabase;
let handlers: { GET: (r: Request) => Promise<Response>; POST: (r: Request) => Promise<Response> };
const BASE = "https://linkboard.example";

beforeAll(async () => {
  db = await createTestDatabase();
  useAppEnv(db.url, { AUTH_URL: BASE });
  const { registerUser } = await import("@/server/users/register-user");
  const { db: appDb } = await import("@/server/db");
  await registerUser(appDb(), { email: "cookie@example.com", password: "long enough pw" });
  ({ handlers } = (await import("@/auth")) as unknown as { handlers: typeof handlers });
});
afterAll(async () => {
  const { db: appDb } = await import("@/server/db");
  await appDb().$disconnect();
  await db.close();
});

function cookiesOf(response: Response) {
  return response.headers.getSetCookie();
}

async function signInWith(password: string) {
  const csrf = await handlers.GET(new NextRequest(`${BASE}/api/auth/csrf`));
  const { csrfToken } = await csrf.json();
  const csrfCookie = cookiesOf(csrf).map((c) => c.split(";")[0]).join("; ");
  return handlers.POST(
    new NextRequest(`${BASE}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: BASE },
      body: new URLSearchParams({ csrfToken, email: "cookie@example.com", password, callbackUrl: `${BASE}/dashboard` }),
    }),
  );
}

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax and Secure when the app is served over https", async () => {
    const response = await signInWith("long enough pw");
    const session = cookiesOf(response).find((c) => c.startsWith("__Secure-authjs.session-token="));
    expect(session).toBeDefined();
    expect(session).toMatch(/;\s*HttpOnly/i);
    expect(session).toMatch(/;\s*SameSite=Lax/i);
    expect(session).toMatch(/;\s*Secure/i);
  });

  it("is not set for a wrong password", async () => {
    const response = await signInWith("wrong password");
    expect(cookiesOf(response).some((c) => c.includes("session-token=") && !c.includes("session-token=;"))).toBe(false);
    expect(response.headers.get("location")).toContain("error=CredentialsSignin");
  });
});
