import { describe, expect, it } from "vitest";
import type { Db } from "@/server/db";
import { createTestClient, withTestDb, type TestDatabase } from "@kit/db";
import { blockedUntil, holdUntil } from "./shared-rate-limits";

let db: Db;
let database: TestDatabase;
withTestDb((created, client) => {
  db = client;
  database = created;
});

const T0 = new Date(Date.UTC(2026, 10, 21, 12, 0));
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe("shared rate-limit holds", () => {
  it("extends a hold but never shortens it, and reads the latest running hold among keys", async () => {
    await holdUntil(db, "x:a", at(10), { now: T0, reason: "throttled" });
    await holdUntil(db, "x:a", at(5), { now: T0, reason: "near_limit", usagePercent: 91 });
    expect(await db.rateLimit.findUniqueOrThrow({ where: { key: "x:a" } })).toMatchObject({ blockedUntil: at(10), reason: "throttled" });
    await holdUntil(db, "x:b", at(20), { now: T0, reason: "near_limit", usagePercent: 97 });
    expect(await blockedUntil(db, ["x:a", "x:b"], T0)).toEqual(at(20));
    expect(await blockedUntil(db, ["x:a"], at(10))).toBeNull();
    expect(await blockedUntil(db, ["x:none"], T0)).toBeNull();
  });

  it("ends with the latest hold when two servers write at the same moment", async () => {
    const other = createTestClient(database.url, database.encryptionKeys);
    try {
      const writes = [];
      for (let i = 1; i <= 10; i++) writes.push(holdUntil(i % 2 ? db : other, "x:race", at(i), { now: T0, reason: "throttled" }));
      await Promise.all(writes);
      expect(await blockedUntil(other, ["x:race"], T0)).toEqual(at(10));
    } finally {
      await other.$disconnect();
    }
  });
});
