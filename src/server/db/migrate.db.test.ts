import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { createBaseClient, parseDatabaseUrl } from "./client";
import { applyMigrations, listMigrations } from "./migrate";
import { createTestDatabase, type TestDatabase } from "../../../tests/helpers/test-db";

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
    const connection = await prisma.metaConnection.create({
      data: { userId: user.id, accountId: account.id, metaUserId: "1", name: "A" },
    });
    const base = { connectionId: connection.id, userId: user.id, currency: "USD", timezoneName: "UTC", accountStatus: 1 };
    await prisma.metaAdAccount.create({ data: { ...base, adAccountId: "act_1", accountId: "1", name: "One", isSelected: true } });
    await expect(
      prisma.metaAdAccount.create({ data: { ...base, adAccountId: "act_2", accountId: "2", name: "Two", isSelected: true } }),
    ).rejects.toThrow();
    await prisma.$disconnect();
  });

  it("erases the unsalted Meta user id hashes of data-deletion requests recorded before keyed hashes", async () => {
    const fresh = await createTestDatabase({ migrate: false });
    const dir = mkdtempSync(path.join(tmpdir(), "linkboard-migrations-"));
    try {
      const all = await listMigrations();
      const keyed = all.findIndex((m) => m.name.endsWith("_keyed_user_id_hash"));
      expect(keyed).toBeGreaterThan(0);
      for (const m of all.slice(0, keyed)) cpSync(path.join(process.cwd(), "prisma", "migrations", m.name), path.join(dir, m.name), { recursive: true });
      await applyMigrations(fresh.url, dir);
      const client = new pg.Client({ connectionString: parseDatabaseUrl(fresh.url).connectionString });
      await client.connect();
      try {
        await client.query(
          `INSERT INTO meta_data_deletion_requests (id, confirmation_code, meta_user_id_hash, status, requested_at)
           VALUES ('r1', 'c1', encode(sha256('meta-user:123'::bytea), 'hex'), 'completed', now())`,
        );
        await applyMigrations(fresh.url);
        const rows = await client.query(`SELECT meta_user_id_hash FROM meta_data_deletion_requests`);
        expect(rows.rows).toEqual([{ meta_user_id_hash: null }]);
      } finally {
        await client.end();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await fresh.close();
    }
  });
});
