import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/**
 * Sandboxes remember their world across restarts: each keeps everything it can change in one
 * plain JSON value and offers `exportState()` / `importState(state)`; this module saves that value
 * as a snapshot file, `<dataDir>/sandboxes/<provider>.json`, and loads it again on start.
 *
 * - Saves are debounced (changes within `debounceMs` make one write) and atomic (temporary file,
 *   fsync, rename), so a crash leaves the previous snapshot or the new one, never half of each.
 * - Snapshots carry the sandbox's `stateVersion`; one the sandbox cannot read (another version,
 *   unparsable, refused by `importState`) is set aside as `<provider>.json.ignored` with a message,
 *   and the sandbox starts clean.
 * - One process keeps a snapshot at a time (`<provider>.lock` holds its pid); a second process
 *   reads it but does not write.
 * - A pending save is written when the process exits; `close()` does it on purpose.
 *
 * Framework-free on purpose: the app's mounts and the standalone `npm run sandbox` both use it.
 */

/** What a sandbox offers to be kept across restarts. */
export type StatefulSandbox = {
  exportState(): unknown;
  /** Replaces the sandbox's state; throws when `state` is not one it can use. */
  importState(state: unknown): void;
  /** Bump when the exported shape changes incompatibly (default 1). */
  stateVersion?: number;
};

export type SandboxStoreOptions = {
  /** Names the snapshot file; lowercase letters, digits and dashes. */
  provider: string;
  dataDir: string;
  /** Forget any saved state instead of loading it. */
  reset?: boolean;
  debounceMs?: number;
  /** Where messages go (ignored snapshots, failed writes, a second process). */
  log?: (message: string) => void;
};

export type LoadOutcome = "fresh" | "loaded" | "reset" | "ignored";

export type SandboxStore = {
  readonly file: string;
  /** What opening found: nothing, a snapshot it loaded, a reset, or a snapshot it set aside. */
  readonly outcome: LoadOutcome;
  /** False when another process keeps this snapshot; this one then never writes. */
  readonly writable: boolean;
  /** The state changed; a save follows within `debounceMs`. */
  changed(): void;
  /** Writes a pending change now (and waits for a write in flight). */
  flush(): Promise<void>;
  /** Forgets everything: the sandbox back to how it started, the snapshot deleted. */
  reset(): Promise<void>;
  /** Writes a pending change and stops saving. */
  close(): Promise<void>;
};

/** What a reset forgets, in words for confirmations and messages (true of every sandbox). */
export const RESET_FORGETS =
  "every token and code it issued, every grant (permissions, declined permissions, chosen Pages and roles), its clock, and everything published or reported through it";

export const SNAPSHOT_FORMAT = "linkboard.sandbox-snapshot";
const FORMAT_VERSION = 1;

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

const openFiles = new Set<string>();
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
function takeLock(lockFile: string): boolean {
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

function writeSnapshotSync(file: string, text: string): void {
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

async function writeSnapshot(file: string, text: string): Promise<void> {
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

function readSnapshot(file: string, provider: string, version: number): { state: unknown } | { problem: string } | null {
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

export function openSandboxStore(sandbox: StatefulSandbox, o: SandboxStoreOptions): SandboxStore {
  const file = snapshotFile(o.dataDir, o.provider);
  const resolved = path.resolve(file);
  if (openFiles.has(resolved)) throw new Error(`The ${o.provider} sandbox snapshot ${file} is already open in this process.`);
  const log = o.log ?? ((message: string) => console.warn(message));
  const version = sandbox.stateVersion ?? 1;
  const debounceMs = o.debounceMs ?? 250;
  // The state before anything was loaded: what a reset returns to.
  const initial = JSON.stringify(sandbox.exportState());
  mkdirSync(path.dirname(file), { recursive: true });
  const lockFile = `${file}.lock`;
  const writable = takeLock(lockFile);
  if (!writable) {
    log(`Another process keeps the ${o.provider} sandbox's state in ${file}; this one starts from it but will not save its changes.`);
  }

  let outcome: LoadOutcome = "fresh";
  if (o.reset && writable) {
    rmSync(file, { force: true });
    outcome = "reset";
  } else {
    const found = readSnapshot(file, o.provider, version);
    let problem = found && "problem" in found ? found.problem : null;
    if (found && "state" in found) {
      try {
        sandbox.importState(found.state);
        outcome = "loaded";
      } catch (error) {
        sandbox.importState(JSON.parse(initial));
        problem = (error as Error).message;
      }
    }
    if (problem !== null) {
      outcome = "ignored";
      if (writable) renameSync(file, `${file}.ignored`);
      log(
        `Ignoring the saved ${o.provider} sandbox state in ${file}: ${problem}. ` +
          `The sandbox starts with a clean slate${writable ? `; the old file is kept as ${path.basename(file)}.ignored` : ""}.`,
      );
    }
  }
  openFiles.add(resolved);

  let dirty = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | null = null;

  const serialize = () =>
    JSON.stringify({ format: SNAPSHOT_FORMAT, formatVersion: FORMAT_VERSION, provider: o.provider, stateVersion: version, savedAt: Date.now(), state: sandbox.exportState() });

  const cancelTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  async function flush(): Promise<void> {
    cancelTimer();
    while (writing) await writing;
    if (!dirty || !writable) return;
    dirty = false;
    writing = Promise.resolve()
      .then(() => writeSnapshot(file, serialize()))
      .catch((error: unknown) => {
        dirty = true;
        log(`Could not save the ${o.provider} sandbox's state to ${file}: ${(error as Error).message}`);
      })
      .finally(() => {
        writing = null;
      });
    await writing;
  }

  // At exit nothing asynchronous runs any more: a pending change is written synchronously.
  const onExit = () => {
    if (dirty && writable) {
      try {
        writeSnapshotSync(file, serialize());
      } catch {
        // Exiting anyway; the previous snapshot is intact.
      }
    }
    if (writable) rmSync(lockFile, { force: true });
  };
  process.on("exit", onExit);

  return {
    file,
    outcome,
    writable,
    changed() {
      if (closed) return;
      dirty = true;
      if (!timer) {
        timer = setTimeout(() => void flush(), debounceMs);
        timer.unref?.();
      }
    },
    flush,
    async reset() {
      cancelTimer();
      while (writing) await writing;
      sandbox.importState(JSON.parse(initial));
      dirty = false;
      if (writable) await rm(file, { force: true });
    },
    async close() {
      if (closed) return;
      await flush();
      closed = true;
      cancelTimer();
      process.off("exit", onExit);
      if (writable) rmSync(lockFile, { force: true });
      openFiles.delete(resolved);
    },
  };
}

/** A sandbox's fetch handler that tells the store after every call (calls are what change state). */
export function persistedHandler<H extends (request: Request) => Promise<Response>>(handler: H, store: SandboxStore): H {
  const wrapped = async (request: Request) => {
    try {
      return await handler(request);
    } finally {
      store.changed();
    }
  };
  return Object.assign(wrapped, handler) as H;
}
