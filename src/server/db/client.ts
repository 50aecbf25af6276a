import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";

/**
 * Splits Prisma's `?schema=` convention off a PostgreSQL URL: node-postgres does not know it, and
 * Prisma qualifies every table with the schema it is given.
 */
export function parseDatabaseUrl(connectionString: string) {
  const url = new URL(connectionString);
  const schema = url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  if (schema) url.searchParams.set("options", `-c search_path="${schema}"`);
  return { connectionString: url.toString(), schema };
}

/** A Prisma client over node-postgres: one runtime path for PostgreSQL and the embedded database. */
export function createBaseClient(databaseUrl: string, options: { max?: number } = {}) {
  const { connectionString, schema } = parseDatabaseUrl(databaseUrl);
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 }, schema ? { schema } : undefined);
  return new PrismaClient({ adapter });
}

export type BaseClient = ReturnType<typeof createBaseClient>;
