import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Db } from "@/server/db";
import { parseDatabaseUrl } from "@/server/db/client";

/** Shared by the connection and ad-account DB tests: users, raw SQL and whole-state snapshots. */

export async function createUser(db: Db, label = "user"): Promise<string> {
  const user = await db.user.create({ data: { email: `${label}-${randomBytes(4).toString("hex")}@example.com` }, select: { id: true } });
  return user.id;
}

/** Raw SQL straight to the database: sees exactly what is stored (vault envelopes, not plaintext). */
export async function rawQuery<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: parseDatabaseUrl(url).connectionString });
  await client.connect();
  try {
    const schema = new URL(url).searchParams.get("schema");
    if (schema) await client.query(`SET search_path TO "${schema}"`);
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every row the user owns, as stored, in a stable order: equal snapshots mean nothing changed. */
export async function snapshotUser(url: string, userId: string) {
  const q = (sql: string) => rawQuery(url, sql, [userId]);
  return {
    accounts: await q(`SELECT * FROM accounts WHERE user_id = $1 ORDER BY id`),
    connections: await q(`SELECT * FROM meta_connections WHERE user_id = $1 ORDER BY id`),
    adAccounts: await q(`SELECT * FROM meta_ad_accounts WHERE user_id = $1 ORDER BY id`),
    audit: await q(`SELECT * FROM audit_events WHERE user_id = $1 ORDER BY id`),
  };
}

/** Every text value in the user's tables and the audit log, for "no token anywhere" checks. */
export async function dumpEverything(url: string): Promise<string> {
  const tables = ["users", "accounts", "meta_connections", "meta_ad_accounts", "audit_events"];
  const parts = await Promise.all(tables.map((t) => rawQuery(url, `SELECT * FROM ${t}`)));
  return JSON.stringify(parts);
}
