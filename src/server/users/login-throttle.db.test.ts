import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { AppError } from "@/server/errors";
import { createTestClient, createTestDatabase, type TestDatabase } from "../../../tests/helpers/test-db";
import { refundAttempt, reserveAttempt, SIGN_IN_PER_EMAIL, type AttemptPolicy } from "./login-throttle";
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

const policy: AttemptPolicy = { name: "test", limit: 3, windowMs: 60_000, pauseMs: 10_000, maxPauseMs: 25_000 };
const at = (start: Date, seconds: number) => new Date(start.getTime() + seconds * 1000);

describe("attempt reservations", () => {
  it("allows `limit` attempts, then pauses with a doubling, capped wait; the window starts over", async () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    for (let i = 0; i < 3; i++) expect(await reserveAttempt(prisma, policy, "a", t0)).toEqual({ allowed: true });
    expect(await reserveAttempt(prisma, policy, "a", t0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
    // A refused attempt does not lengthen the pause.
    expect(await reserveAttempt(prisma, policy, "a", at(t0, 9))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await reserveAttempt(prisma, policy, "a", at(t0, 10))).toEqual({ allowed: true });
    expect(await reserveAttempt(prisma, policy, "a", at(t0, 11))).toEqual({ allowed: false, retryAfterSeconds: 19 });
    expect(await reserveAttempt(prisma, policy, "a", at(t0, 30))).toEqual({ allowed: true });
    expect(await reserveAttempt(prisma, policy, "a", at(t0, 31))).toEqual({ allowed: false, retryAfterSeconds: 24 }); // capped at 25 s
    // After the window, counting starts again from one.
    expect(await reserveAttempt(prisma, policy, "a", at(t0, 120))).toEqual({ allowed: true });
    expect((await prisma.loginThrottle.findUniqueOrThrow({ where: { key: "test:a" } })).failures).toBe(1);
  });

  it("keeps subjects and policies apart, and a refund gives one attempt back", async () => {
    const t0 = new Date("2026-02-01T00:00:00Z");
    for (let i = 0; i < 2; i++) await reserveAttempt(prisma, policy, "b", t0);
    expect(await reserveAttempt(prisma, { ...policy, name: "other" }, "b", t0)).toEqual({ allowed: true });
    await refundAttempt(prisma, policy, "b");
    expect((await prisma.loginThrottle.findUniqueOrThrow({ where: { key: "test:b" } })).failures).toBe(1);
  });
});

describe("sign-in credentials check", () => {
  it("treats a wrong password and an unknown email the same, and refuses once the email's attempts are used, even with the right password", async () => {
    expect(await verifyCredentials(prisma, { email: "nobody@example.com", password: "whatever1" })).toBeNull();
    for (let i = 0; i < SIGN_IN_PER_EMAIL.limit; i++) {
      expect(await verifyCredentials(prisma, { email: "THROTTLE@example.com", password: "wrong password" })).toBeNull();
    }
    const blocked = verifyCredentials(prisma, { email: "throttle@example.com", password: "right password" });
    await expect(blocked).rejects.toBeInstanceOf(AppError);
    await expect(blocked).rejects.toMatchObject({ code: "RATE_LIMITED", message: "Too many sign-in attempts." });
  });

  it("clears the email's count on success", async () => {
    await registerUser(prisma, { email: "clear@example.com", password: "right password" });
    expect(await verifyCredentials(prisma, { email: "clear@example.com", password: "wrong password" })).toBeNull();
    const user = await verifyCredentials(prisma, { email: "clear@example.com", password: "right password" });
    expect(user).toMatchObject({ email: "clear@example.com", role: "USER" });
    expect(await prisma.loginThrottle.findUnique({ where: { key: "sign-in:email:clear@example.com" } })).toBeNull();
  });
});
