import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/**
 * The snapshot file of a sandbox (see persistence.ts): its envelope, atomic writes, reading it
 * back with a reason when it cannot be used, and the one-writer lock.
 */
export const SNAPSHOT_FORMAT = "linkboard.sandbox-snapshot";
export const FORMAT_VERSION = 1;

const envelopeSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  provider: z.string(),
  stateVersion: z.number().int(),
  savedAt: z.number(),
  state: z.unknown(),
});

export function snapshotFile(dataDir: string, provider: string): string {
  if (!/^[a-z0-9-]+$/.test(provider)) throw new Error(`Invalid sandbox provider name: ${provider}`);
  return path.join(dataDir, "sandboxes", `${provider}.json`);
}

let tmpCounter = 0;
const tmpName = (file: string) => `${file}.${process.pid}.${++tmpCounter}.tmp`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes `<file>.lock` for this process; false when another live process holds it. */
export function takeLock(lockFile: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockFile, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) return false;
      // Left behind by a process that is gone: take it over.
      rmSync(lockFile, { force: true });
    }
  }
  return false;
}

export function writeSnapshotSync(file: string, text: string): void {
  const tmp = tmpName(file);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export async function writeSnapshot(file: string, text: string): Promise<void> {
  const tmp = tmpName(file);
  try {
    const handle = await open(tmp, "w", 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  // The rename is durable once the directory is synced.
  const dir = await open(path.dirname(file), "r");
  try {
    await dir.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await dir.close();
  }
}

export function readSnapshot(file: string, provider: string, version: number): { state: unknown } | { problem: string } | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return { problem: `it could not be read (${(error as Error).message})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { problem: "it is not valid JSON" };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { problem: "it is not a sandbox snapshot of a format this version reads" };
  if (envelope.data.provider !== provider) return { problem: `it belongs to the ${envelope.data.provider} sandbox` };
  if (envelope.data.stateVersion !== version) {
    return { problem: `it was written for state version ${envelope.data.stateVersion}, this sandbox reads version ${version}` };
  }
  return { state: envelope.data.state };
}
