import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createBaseClient, parseDatabaseUrl } from "./client";
import { applyMigrations, listMigrations } from "./migrate";
import { createTestDatabase, type TestDatabase } from "@kit/db";

describe("migration runner", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it("records every migration in Prisma's table and applies nothing twice", async () => {
    const again = await applyMigrations(db.url);
    const all = await listMigrations();
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(all.length);
    const { connectionString } = parseDatabaseUrl(db.url);
    const client = new pg.Client({ connectionString });
    await client.connect();
    const rows = await client.query(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
    await client.end();
    expect(rows.rows.map((r) => r.migration_name)).toEqual(all.map((m) => m.name));
    expect(rows.rows.map((r) => r.checksum)).toEqual(all.map((m) => m.checksum));
  });

  it("keeps at most one selected ad account per user", async () => {
    const prisma = createBaseClient(db.url);
    const user = await prisma.user.create({ data: { email: "one-selected@example.com" } });
    const account = await prisma.account.create({
      data: { userId: user.id, type: "oauth", provider: "facebook", providerAccountId: "1" },
    });
    const connection = await prisma.connection.create({
      data: { userId: user.id, accountId: account.id, provider: "facebook", externalId: "1", name: "A" },
    });
    const base = { connectionId: connection.id, userId: user.id, currency: "USD", timezoneName: "UTC", accountStatus: 1 };
    await prisma.metaAdAccount.create({ data: { ...base, adAccountId: "act_1", accountId: "1", name: "One", isSelected: true } });
    await expect(
      prisma.metaAdAccount.create({ data: { ...base, adAccountId: "act_2", accountId: "2", name: "Two", isSelected: true } }),
    ).rejects.toMatchObject({ code: "P2002" });
    await prisma.$disconnect();
  });
});
