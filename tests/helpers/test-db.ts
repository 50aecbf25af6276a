import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { applyMigrations } from "@/server/db/migrate";
import { servePglite } from "@/server/db/pglite-server";
import { createAppClient } from "@/server/db/vault";
import { parseKeyRing } from "@/server/crypto";

/**
 * A fresh, migrated database for one test file: in-memory PGlite served over the wire protocol
 * (the same path the app uses for the embedded database), or a private schema in the PostgreSQL
 * named by TEST_DATABASE_URL when the suite runs in the "postgres" project.
 */
export type TestDatabase = {
  url: string;
  backend: "pglite" | "postgres";
  /** The throwaway vault key of the file's client: a second client with it reads the same tokens (a second server). */
  encryptionKeys: string;
  close: () => Promise<void>;
};

const throwawayKeys = () => `test:${randomBytes(32).toString("base64")}`;

/** `migrate: false` leaves the database empty (for migration tests that apply their own subset). */
export async function createTestDatabase(o: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = o.migrate ?? true;
  if (process.env.TEST_DB_BACKEND === "postgres") {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error("TEST_DATABASE_URL is required for the postgres test project");
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const url = new URL(base);
    url.searchParams.set("schema", schema);
    if (migrate) await applyMigrations(url.toString());
    return {
      url: url.toString(),
      backend: "postgres",
      encryptionKeys: throwawayKeys(),
      close: async () => {
        const client = new pg.Client({ connectionString: base });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        // The job queue's schema beside it (src/server/jobs/create-job-queue.ts, queueSchemaFor).
        await client.query(`DROP SCHEMA IF EXISTS "${schema}_jobs" CASCADE`);
        await client.end();
      },
    };
  }
  const db = new PGlite();
  const server = await servePglite(db);
  const url = server.url;
  if (migrate) await applyMigrations(url);
  return {
    url,
    backend: "pglite",
    encryptionKeys: throwawayKeys(),
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}

/** The app's client (vault extension included) on a test database, with a throwaway key unless given one. */
export function createTestClient(url: string, encryptionKeys = throwawayKeys()) {
  return createAppClient(url, parseKeyRing(encryptionKeys), { max: 5 });
}

/**
 * Registers a test file's database: a fresh migrated database and the app's client before all
 * tests, both closed after them. `ready` receives them (assign them to the file's variables).
 */
export function withTestDb(ready: (database: TestDatabase, client: ReturnType<typeof createTestClient>) => void) {
  let database: TestDatabase | undefined;
  let client: ReturnType<typeof createTestClient> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    client = createTestClient(database.url, database.encryptionKeys);
    ready(database, client);
  });
  afterAll(async () => {
    await client?.$disconnect();
    await database?.close();
  });
}
