import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { createTestClient, createTestDatabase, type TestDatabase } from "@kit/db";
import { FREE_FAILURES, recordFailedSignIn, secondsUntilAllowed } from "./login-throttle";
import { registerUser } from "./register-user";
import { verifyCredentials } from "./verify-credentials";

let db: TestDatabase;
let prisma: Db;
beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createTestClient(db.url);
  await registerUser(prisma, { email: "throttle@example.com", password: "right password" });
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.close();
});

describe("failed sign-in limiter", () => {
  it("allows the free failures, then blocks the email with a growing delay", async () => {
    const now = new Date("2026-01-01T00:00:00Z");
    for (let i = 0; i < FREE_FAILURES; i++) await recordFailedSignIn(prisma, "x@example.com", now);
    expect(await secondsUntilAllowed(prisma, "x@example.com", now)).toBe(0);
    await recordFailedSignIn(prisma, "x@example.com", now);
    expect(await secondsUntilAllowed(prisma, "x@example.com", now)).toBe(30);
    await recordFailedSignIn(prisma, "x@example.com", now);
    expect(await secondsUntilAllowed(prisma, "x@example.com", now)).toBe(60);
    expect(await secondsUntilAllowed(prisma, "x@example.com", new Date(now.getTime() + 61_000))).toBe(0);
  });

  it("treats a wrong password and an unknown email the same, and refuses while blocked even with the right password", async () => {
    expect(await verifyCredentials(prisma, { email: "nobody@example.com", password: "whatever1" })).toBeNull();
    for (let i = 0; i < FREE_FAILURES + 1; i++) {
      expect(await verifyCredentials(prisma, { email: "THROTTLE@example.com", password: "wrong password" })).toBeNull();
    }
    const blocked = verifyCredentials(prisma, { email: "throttle@example.com", password: "right password" });
    await expect(blocked).rejects.toBeInstanceOf(AppError);
    await expect(blocked).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("clears the counter on success", async () => {
    await recordFailedSignIn(prisma, "clear@example.com");
    await registerUser(prisma, { email: "clear@example.com", password: "right password" });
    const user = await verifyCredentials(prisma, { email: "clear@example.com", password: "right password" });
    expect(user).toMatchObject({ email: "clear@example.com", role: "USER" });
    expect(await prisma.loginThrottle.findUnique({ where: { key: "clear@example.com" } })).toBeNull();
  });
});
