import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** One throwaway data directory per test process, so no test writes into the checkout's `.data/`. */
let scratch: string | undefined;
function scratchDataDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(path.join(tmpdir(), "linkboard-test-data-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return mkdtempSync(path.join(scratch, "env-"));
}

/**
 * Environment for in-process route-handler tests: set before anything reads env(). Each call gets
 * a fresh DATA_DIR unless one is given: a new configuration mounts a new in-app sandbox, whose
 * state file must not be the one the previous mount still holds open.
 */
export function useAppEnv(databaseUrl: string, overrides: Record<string, string> = {}) {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    DATA_DIR: scratchDataDir(),
    AUTH_SECRET: randomBytes(33).toString("base64"),
    AUTH_URL: "http://localhost:3000",
    ENCRYPTION_KEYS: `test:${randomBytes(32).toString("base64")}`,
    ...overrides,
  });
  delete (globalThis as { __linkboardEnv?: unknown }).__linkboardEnv;
  delete (globalThis as { __linkboardDb?: unknown }).__linkboardDb;
  delete (globalThis as { __linkboardSandbox?: unknown }).__linkboardSandbox;
}

export function jsonRequest(path: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost:3000${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost:3000", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
