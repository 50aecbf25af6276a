import { randomBytes } from "node:crypto";

/** Environment for in-process route-handler tests: set before anything reads env(). */
export function useAppEnv(databaseUrl: string, overrides: Record<string, string> = {}) {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
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
