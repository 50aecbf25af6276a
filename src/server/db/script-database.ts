import "server-only";
import { findEmbeddedDatabase, startEmbeddedDatabase } from "./embedded";
import { applyMigrations } from "./migrate";

/**
 * For command-line scripts: the database to use, without ever opening a PGlite directory that
 * another process owns. DATABASE_URL wins; otherwise the running dev/prod server's embedded
 * database; otherwise this process becomes the owner for the duration of `work`.
 */
export async function withScriptDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const configured = process.env.DATABASE_URL?.trim();
  if (configured) return work(configured);
  const running = findEmbeddedDatabase();
  if (running) return work(running);
  const owned = await startEmbeddedDatabase();
  try {
    await applyMigrations(owned.url);
    return await work(owned.url);
  } finally {
    await owned.stop();
  }
}
