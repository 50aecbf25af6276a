import { mkdirSync, renameSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { FORMAT_VERSION, readSnapshot, SNAPSHOT_FORMAT, snapshotFile, takeLock, writeSnapshot, writeSnapshotSync } from "./snapshot-file";

export { SNAPSHOT_FORMAT, snapshotFile } from "./snapshot-file";

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

const openFiles = new Set<string>();

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

  // The state as the file holds it (absent file = the initial state). A write happens only when the
  // state differs, so close and exit also catch changes made without a request (in-process controls).
  let saved = outcome === "loaded" ? JSON.stringify(sandbox.exportState()) : initial;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> | null = null;

  const envelope = (state: string) =>
    `{"format":${JSON.stringify(SNAPSHOT_FORMAT)},"formatVersion":${FORMAT_VERSION},"provider":${JSON.stringify(o.provider)},"stateVersion":${version},"savedAt":${Date.now()},"state":${state}}`;

  const cancelTimer = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };

  async function flush(): Promise<void> {
    cancelTimer();
    while (writing) await writing;
    if (!writable) return;
    const state = JSON.stringify(sandbox.exportState());
    if (state === saved) return;
    writing = writeSnapshot(file, envelope(state))
      .then(() => {
        saved = state;
      })
      .catch((error: unknown) => {
        log(`Could not save the ${o.provider} sandbox's state to ${file}: ${(error as Error).message}`);
      })
      .finally(() => {
        writing = null;
      });
    await writing;
  }

  // At exit nothing asynchronous runs any more: a pending change is written synchronously.
  const onExit = () => {
    if (!writable) return;
    try {
      const state = JSON.stringify(sandbox.exportState());
      if (state !== saved) writeSnapshotSync(file, envelope(state));
    } catch {
      // Exiting anyway; the previous snapshot is intact.
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
      saved = initial;
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

export type PersistOptions = { dataDir: string; reset?: boolean; log?: (message: string) => void };

/**
 * For code that serves a sandbox on a port: with `persist`, its state is loaded now and kept;
 * `track` wraps each handler that serves it, `close` writes the last change. Without, a no-op.
 */
export function keepSandboxState(sandbox: StatefulSandbox, provider: string, persist: PersistOptions | undefined) {
  const store = persist ? openSandboxStore(sandbox, { provider, ...persist }) : null;
  return {
    store,
    track: <H extends (request: Request) => Promise<Response>>(handler: H): H => (store ? persistedHandler(handler, store) : handler),
    close: async () => {
      await store?.close();
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
