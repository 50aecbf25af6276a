import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openSandboxStore, persistedHandler, snapshotFile, SNAPSHOT_FORMAT, type SandboxStore, type StatefulSandbox } from "./persistence";

/** A sandbox whose whole state is a counter and a list: enough to see what is saved and loaded. */
type Counter = StatefulSandbox & { state: { count: number; items: string[] }; exports: number };
function counter(o: { stateVersion?: number; refuse?: boolean } = {}): Counter {
  const c: Counter = {
    state: { count: 0, items: [] },
    exports: 0,
    stateVersion: o.stateVersion,
    exportState() {
      c.exports++;
      return c.state;
    },
    importState(state: unknown) {
      const s = state as Counter["state"];
      if (o.refuse || typeof s?.count !== "number") throw new Error("not a counter state");
      c.state = { count: s.count, items: [...s.items] };
    },
  };
  return c;
}

let dir: string;
let messages: string[];
const stores: SandboxStore[] = [];
const open = (sandbox: StatefulSandbox, extra: { reset?: boolean; debounceMs?: number } = {}) => {
  const store = openSandboxStore(sandbox, { provider: "counter", dataDir: dir, log: (m) => messages.push(m), ...extra });
  stores.push(store);
  return store;
};
const file = () => snapshotFile(dir, "counter");
const saved = () => JSON.parse(readFileSync(file(), "utf8")) as { format: string; stateVersion: number; state: Counter["state"] };

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "sandbox-store-"));
  messages = [];
});
afterEach(async () => {
  vi.useRealTimers();
  for (const s of stores.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sandbox snapshot store", () => {
  it("starts fresh, saves changes debounced into one write, and a new store loads them", async () => {
    vi.useFakeTimers();
    const a = counter();
    const store = open(a, { debounceMs: 200 });
    expect(store.outcome).toBe("fresh");
    const exportsAtOpen = a.exports;
    for (let i = 1; i <= 3; i++) {
      a.state.count = i;
      a.state.items.push(`item ${i}`);
      store.changed();
    }
    vi.advanceTimersByTime(199);
    expect(existsSync(file())).toBe(false);
    vi.advanceTimersByTime(1);
    // The timer's flush has read the state once for the three changes.
    expect(a.exports - exportsAtOpen).toBe(1);
    await store.flush();
    expect(saved()).toMatchObject({ format: SNAPSHOT_FORMAT, stateVersion: 1, state: { count: 3, items: ["item 1", "item 2", "item 3"] } });
    await store.close();

    const b = counter();
    expect(open(b).outcome).toBe("loaded");
    expect(b.state).toEqual({ count: 3, items: ["item 1", "item 2", "item 3"] });
  });

  it("writes atomically: owner-only file, no temporary files left, the directory created on demand", async () => {
    dir = path.join(dir, "nested", "data");
    const a = counter();
    const store = open(a);
    a.state.count = 7;
    store.changed();
    await store.flush();
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(file())).sort()).toEqual(["counter.json", "counter.json.lock"]);
  });

  it("keeps the previous snapshot when a write fails, says so, and writes on the next try", async () => {
    const a = counter();
    const store = open(a);
    a.state.count = 1;
    store.changed();
    await store.flush();
    // A directory where a file is expected: the rename fails.
    rmSync(file());
    mkdirSync(file());
    a.state.count = 2;
    store.changed();
    await store.flush();
    expect(messages.some((m) => m.startsWith("Could not save the counter sandbox's state"))).toBe(true);
    expect(readdirSync(path.dirname(file())).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    rmSync(file(), { recursive: true });
    await store.close();
    expect(saved().state.count).toBe(2);
  });

  it.each([
    ["another state version", (f: string) => writeFileSync(f, JSON.stringify({ format: SNAPSHOT_FORMAT, formatVersion: 1, provider: "counter", stateVersion: 0, savedAt: 0, state: { count: 9, items: [] } })), "state version 0, this sandbox reads version 1"],
    ["another provider", (f: string) => writeFileSync(f, JSON.stringify({ format: SNAPSHOT_FORMAT, formatVersion: 1, provider: "x", stateVersion: 1, savedAt: 0, state: {} })), "belongs to the x sandbox"],
    ["not JSON", (f: string) => writeFileSync(f, "{ half a file"), "not valid JSON"],
    ["not a snapshot", (f: string) => writeFileSync(f, JSON.stringify({ count: 9 })), "not a sandbox snapshot"],
    ["refused by the sandbox", (f: string) => writeFileSync(f, JSON.stringify({ format: SNAPSHOT_FORMAT, formatVersion: 1, provider: "counter", stateVersion: 1, savedAt: 0, state: { nope: true } })), "not a counter state"],
  ])("ignores a snapshot that is %s: message, file set aside, clean start", (_label, write, reason) => {
    mkdirSync(path.dirname(file()), { recursive: true });
    write(file());
    const original = readFileSync(file(), "utf8");
    const a = counter();
    const store = open(a);
    expect(store.outcome).toBe("ignored");
    expect(a.state).toEqual({ count: 0, items: [] });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(reason);
    expect(messages[0]).toContain("clean slate");
    expect(existsSync(file())).toBe(false);
    expect(readFileSync(`${file()}.ignored`, "utf8")).toBe(original);
  });

  it("starts clean with reset, and store.reset() forgets everything at runtime", async () => {
    const a = counter();
    const first = open(a);
    a.state.count = 5;
    first.changed();
    await first.close();

    const b = counter();
    const second = open(b, { reset: true });
    expect(second.outcome).toBe("reset");
    expect(b.state.count).toBe(0);
    expect(existsSync(file())).toBe(false);
    await second.close();

    const c = counter();
    const third = open(c);
    expect(third.outcome).toBe("fresh");
    c.state.count = 4;
    third.changed();
    await third.flush();
    await third.reset();
    expect(c.state).toEqual({ count: 0, items: [] });
    expect(existsSync(file())).toBe(false);
  });

  it("a handler wrapped by persistedHandler marks a change after every call, failed or not, and keeps its properties", async () => {
    const a = counter();
    const store = open(a);
    const spy = vi.spyOn(store, "changed");
    const handler = Object.assign(async (r: Request) => (r.method === "POST" ? Promise.reject(new Error("boom")) : new Response("ok")), { label: "h" });
    const wrapped = persistedHandler(handler, store);
    expect(wrapped.label).toBe("h");
    await wrapped(new Request("http://x/"));
    await expect(wrapped(new Request("http://x/", { method: "POST" }))).rejects.toThrow("boom");
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it("leaves a snapshot another live process keeps alone, and takes over a lock left by a dead one", async () => {
    mkdirSync(path.dirname(file()), { recursive: true });
    writeFileSync(`${file()}.lock`, String(process.ppid));
    const a = counter();
    const store = open(a);
    expect(store.writable).toBe(false);
    expect(messages[0]).toContain("Another process keeps the counter sandbox's state");
    a.state.count = 1;
    store.changed();
    await store.close();
    expect(existsSync(file())).toBe(false);
    expect(readFileSync(`${file()}.lock`, "utf8")).toBe(String(process.ppid));

    writeFileSync(`${file()}.lock`, "2147483646");
    const b = counter();
    const taken = open(b);
    expect(taken.writable).toBe(true);
    expect(readFileSync(`${file()}.lock`, "utf8")).toBe(String(process.pid));
  });

  it("close saves a change made without a request, and an unchanged state is never rewritten", async () => {
    const a = counter();
    const store = open(a);
    await store.flush();
    expect(existsSync(file())).toBe(false);
    a.state.count = 9;
    await store.close();
    expect(saved().state.count).toBe(9);
    const mtime = statSync(file()).mtimeMs;

    const b = counter();
    const again = open(b);
    again.changed();
    await again.close();
    expect(statSync(file()).mtimeMs).toBe(mtime);
  });

  it("refuses to open one snapshot twice in a process", () => {
    open(counter());
    expect(() => open(counter())).toThrow(/already open in this process/);
  });

  it("writes a change not yet saved when the process exits", () => {
    const script = `
      import { openSandboxStore } from "./src/emulators/persistence.ts";
      const sandbox = { state: { count: 0, items: [] }, exportState() { return this.state; }, importState() {} };
      openSandboxStore(sandbox, { provider: "counter", dataDir: ${JSON.stringify(dir)}, debounceMs: 60000 });
      // Changed without a request (an in-process control): nothing scheduled, the exit still saves it.
      sandbox.state = { count: 41, items: ["at exit"] };
      process.exit(0);
    `;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(saved().state).toEqual({ count: 41, items: ["at exit"] });
    expect(existsSync(`${file()}.lock`)).toBe(false);
  });
});
