import "server-only";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { resolveDataDir } from "../../data-dir";
import { servePglite } from "./pglite-server";

/**
 * The embedded database. PGlite has no lock of its own, and two processes opening one data
 * directory silently lose writes, so exactly one process owns it: the owner serves it over the
 * Postgres wire protocol and records its pid and port in a lock file; every other process (the
 * Next server, scripts, the CLI) connects through that port like it would to PostgreSQL.
 * See docs/decisions/002-prisma-rust-free-and-embedded-postgres.md.
 */
export const DATA_DIR = resolveDataDir(process.env.DATA_DIR);

type LockInfo = { pid: number; port: number };

export function urlForPort(port: number) {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
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
  return lock && isAlive(lock.pid) && lock.port > 0 ? urlForPort(lock.port) : null;
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
    const server = await servePglite(db, { port: options.port });
    const port = server.port;
    writeSync(fd, JSON.stringify({ pid: process.pid, port } satisfies LockInfo));
    closeSync(fd);
    let stopped = false;
    return {
      url: urlForPort(port),
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
