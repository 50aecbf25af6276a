import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { resolveDataDir } from "../../data-dir";
import { embeddedDatabaseUrl, servePglite } from "./pglite-server";

/**
 * The embedded database. PGlite has no lock of its own, and two processes opening one data
 * directory silently lose writes, so exactly one process owns it: the owner serves it over the
 * Postgres wire protocol and records its pid and port in a lock file; every other process (the
 * Next server, scripts, the CLI) connects through that port like it would to PostgreSQL, with the
 * password kept in the data directory (readable by its owner only).
 * See docs/decisions/002-prisma-rust-free-and-embedded-postgres.md and 017-embedded-database-password-and-limits.md.
 */
export const DATA_DIR = resolveDataDir(process.env.DATA_DIR);

type LockInfo = { pid: number; port: number };

const PASSWORD_FILE = "pglite.password";

/**
 * The embedded database's password: generated once into `<dataDir>/pglite.password` (mode 0600), or
 * null when `create` is false and there is none. A file another user can read is tightened.
 */
export function embeddedDatabasePassword(dataDir = DATA_DIR, o: { create: boolean } = { create: false }): string | null {
  const file = path.join(dataDir, PASSWORD_FILE);
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const password = readFileSync(file, "utf8").trim();
    if (password) return password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!o.create) return null;
  const password = randomBytes(24).toString("base64url");
  try {
    const fd = openSync(file, "wx", 0o600);
    writeSync(fd, password);
    closeSync(fd);
    return password;
  } catch (error) {
    // Another process wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(lockFile: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(lockFile, "utf8")) as LockInfo;
    return Number.isInteger(info.pid) && Number.isInteger(info.port) ? info : null;
  } catch {
    return null;
  }
}

/** The URL of the running owner of the embedded database, or null when nobody owns it. */
export function findEmbeddedDatabase(dataDir = DATA_DIR): string | null {
  const lock = readLock(path.join(dataDir, "pglite.lock"));
  if (!lock || !isAlive(lock.pid) || lock.port <= 0) return null;
  const password = embeddedDatabasePassword(dataDir);
  return password ? embeddedDatabaseUrl(lock.port, password) : null;
}

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

/**
 * Becomes the owner of the data directory and serves it on 127.0.0.1 (an ephemeral port unless
 * given). Refuses when another live process owns it.
 */
export async function startEmbeddedDatabase(options: { dataDir?: string; port?: number } = {}): Promise<EmbeddedDatabase> {
  const dataDir = options.dataDir ?? DATA_DIR;
  const lockFile = path.join(dataDir, "pglite.lock");
  mkdirSync(dataDir, { recursive: true });
  const fd = acquireLock(lockFile);
  try {
    const db = new PGlite(path.join(dataDir, "pglite"));
    await db.waitReady;
    const server = await servePglite(db, { port: options.port, password: embeddedDatabasePassword(dataDir, { create: true })! });
    const port = server.port;
    writeSync(fd, JSON.stringify({ pid: process.pid, port } satisfies LockInfo));
    closeSync(fd);
    let stopped = false;
    return {
      url: server.url,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        rmSync(lockFile, { force: true });
      },
    };
  } catch (error) {
    closeSync(fd);
    rmSync(lockFile, { force: true });
    throw error;
  }
}

function acquireLock(lockFile: string): number {
  try {
    return openSync(lockFile, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const lock = readLock(lockFile);
    if (lock && isAlive(lock.pid)) {
      throw new Error(
        `The embedded database is already served by process ${lock.pid} on port ${lock.port}. ` +
          "Stop that process, or connect to it instead of opening the data directory.",
      );
    }
    // A stale lock from a process that died: take over.
    rmSync(lockFile, { force: true });
    return openSync(lockFile, "wx");
  }
}
